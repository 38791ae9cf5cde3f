// The stages of the ingest pipeline called one by one (ingest.hpp): what each takes and
// returns, and the one outcome renderer of `istd ingest` and `istd serve`.
#include <doctest/doctest.h>

#include "core/ingest/judge.hpp"
#include "core/ingest/outcome.hpp"
#include "core/ingest/prepare.hpp"
#include "core/ingest/record.hpp"
#include "core/ledger/ledger.hpp"
#include "ingest_env.hpp"

using namespace istd;
using namespace istd::test;

TEST_SUITE("ingest") {

TEST_CASE("pipeline: prepare hashes and packs the bytes as the ledger does") {
  const std::string xml = m305("S1", {SP{}});
  const auto p = ingest::prepare(xml);
  CHECK(p.bytes == xml);
  CHECK(p.hash == ledger::content_hash(xml));
  REQUIRE(p.packed);
  CHECK(ledger::unpack(p.packed->data, static_cast<int>(p.packed->encoding)) == xml);
}

TEST_CASE("pipeline: a clean 305's class changes stay pending in the decision until recorded") {
  Env e;
  allocated(e);
  const std::string xml = m305("S1", {SP{}});
  auto input = ingest::prepare(xml);
  auto result = e.validator->validate(xml, "s1.xml");
  auto opt = e.options();
  opt.out_dir.clear();  // no output dir: the rows are recorded, their files written later
  {
    auto tx = e.ledger->begin();
    auto d = ingest::judge(*e.ledger, input, result, opt);
    CHECK(d.action == ingest::Decision::Action::record);
    CHECK(d.verdict == ledger::Verdict::accepted);
    REQUIRE(d.applied);
    REQUIRE(d.retour);  // received from the provider: the gemeente writes the 306
    CHECK(d.retour->header_codes.empty());
    CHECK(e.live_starts() == 1);  // applied, in the open savepoint
    // The decision dropped without being recorded: its savepoint rolls back.
  }
  CHECK(e.live_starts() == 0);
  {
    auto tx = e.ledger->begin();
    auto input2 = ingest::prepare(xml);
    auto result2 = e.validator->validate(xml, "s1.xml");
    auto d = ingest::judge(*e.ledger, input2, result2, opt);
    auto rec = ingest::record(*e.ledger, input2, std::move(result2), std::move(d), opt, nullptr);
    tx.commit();
    CHECK(rec.outcome.accepted);
    CHECK(rec.outcome.verdict == ledger::Verdict::accepted);
    CHECK(rec.outcome.retour.starts_with(P1 + "/WMO306/"));
    // No output dir in these options: no files to write (a later run writes them).
    CHECK(rec.files.empty());
  }
  CHECK(e.live_starts() == 1);
}

TEST_CASE("pipeline: a 305 failing a class rule is rolled back in judge and recorded rejected") {
  Env e;
  allocated(e);
  const std::string xml = m305("S1", {SP{.nr = "999999"}});
  auto input = ingest::prepare(xml);
  auto result = e.validator->validate(xml, "s1.xml");
  const auto opt = e.options();
  auto tx = e.ledger->begin();
  auto d = ingest::judge(*e.ledger, input, result, opt);
  CHECK(d.action == ingest::Decision::Action::record);
  CHECK(d.verdict == ledger::Verdict::rejected);
  CHECK(d.level == 3);
  CHECK_FALSE(d.applied);
  REQUIRE(d.retour);
  CHECK(d.retour->with_client);
  CHECK(d.retour->class_codes == std::vector<std::vector<std::string>>{{"9019"}});
  auto rec = ingest::record(*e.ledger, input, std::move(result), std::move(d), opt, nullptr);
  tx.commit();
  CHECK_FALSE(rec.outcome.accepted);
  CHECK(e.live_starts() == 0);
  // The input's file and its retour's, to be written once committed.
  REQUIRE(rec.files.size() == 2);
  CHECK(rec.files[0].route == rec.outcome.route);
  CHECK(rec.files[1].route == rec.outcome.retour);
  CHECK(rec.files[1].id == rec.outcome.message_id + 1);
}

TEST_CASE("pipeline: judge reports a re-delivery as a duplicate and level 1 as quarantine") {
  Env e;
  allocated(e);
  const std::string xml = m305("S1", {SP{}});
  REQUIRE(e.send(xml, "first.xml").accepted);
  const auto opt = e.options();
  auto tx = e.ledger->begin();
  auto input = ingest::prepare(xml);
  auto result = e.validator->validate(xml, "again.xml");
  auto d = ingest::judge(*e.ledger, input, result, opt);
  CHECK(d.action == ingest::Decision::Action::duplicate);
  REQUIRE(d.earlier);
  const std::string bad = "<not-a-message/>";
  auto input2 = ingest::prepare(bad);
  auto result2 = e.validator->validate(bad, "dir/bad.xml");
  auto q = ingest::judge(*e.ledger, input2, result2, opt);
  CHECK(q.action == ingest::Decision::Action::quarantine);
  CHECK(q.level == 1);
  CHECK(q.route == "quarantine/bad.xml");
  CHECK_FALSE(q.retour);
}

TEST_CASE("pipeline: one renderer gives the CLI and the service the same outcome fields") {
  Env e;
  allocated(e);
  auto o = e.send(m305("S1", {SP{}}), "s1.xml");
  REQUIRE(o.accepted);
  const auto j = ingest::outcome_json(o);
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  CHECK(keys == std::vector<std::string>{"id", "verdict", "accepted", "duplicate", "quarantined",
                                         "route", "retour_route"});
  CHECK(j["id"] == o.message_id);
  CHECK(j["verdict"] == "accepted");
  CHECK(j["route"] == G + "/WMO305/s1.xml");
  CHECK(j["retour_route"].get<std::string>().starts_with(P1 + "/WMO306/"));
  // Under an output dir the routes become paths.
  CHECK(ingest::outcome_json(o, "OUT")["route"] == "OUT/" + G + "/WMO305/s1.xml");
  const auto text = ingest::outcome_text(o, "OUT");
  CHECK(text.starts_with("s1.xml: WMO305 accepted -> OUT/" + G + "/WMO305/s1.xml; retour OUT/" +
                         P1 + "/WMO306/"));
  auto again = e.send(m305("S1", {SP{}}), "s1-again.xml");
  CHECK(ingest::verdict_word(again) == "duplicate");
  CHECK(ingest::outcome_json(again)["id"] == o.message_id);
}

}  // TEST_SUITE
