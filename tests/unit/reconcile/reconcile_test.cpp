// End to end over a real ledger: judge, record, 325 valid against our WMO325.xsd (E21), reruns,
// outputs; and the provider-side check of a received 325 (E20).
#include <doctest/doctest.h>

#include <filesystem>
#include <memory>
#include <utility>
#include <vector>

#include "core/ledger/ledger.hpp"
#include "core/reconcile/answer_325.hpp"
#include "core/reconcile/reconcile.hpp"
#include "core/validator.hpp"
#include "core/xml/platform.hpp"
#include "core/xml/schema_bundle.hpp"
#include "reconcile/reconcile_fixture.hpp"
#include "test_ledger.hpp"
#include "test_util.hpp"

namespace fs = std::filesystem;
using namespace istd;
using namespace istd::test::rec;

namespace {

struct TmpDir {
  fs::path p;
  TmpDir() {
    p = fs::temp_directory_path() /
        ("istd-reconcile-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    fs::remove_all(p);
    fs::create_directories(p);
  }
  ~TmpDir() { fs::remove_all(p); }
  static int& counter() {
    static int c = 0;
    return c;
  }
};

ledger::MessageId msg(ledger::Ledger& l, const std::string& type, const std::string& id,
                      const std::string& bytes = "") {
  ledger::NewMessage n;
  n.role = ledger::Role::input;
  n.type = type;
  n.identificatie = id;
  n.bytes = bytes;
  n.verdict = ledger::Verdict::accepted;
  n.route_path = l.unique_route("in/" + id + ".xml");
  return l.add_message(n);
}

/// Ledger with 300201 (C1, P1, 2025-04-01..12-31, 10 h/month), started 04-03, paused from 06-01
/// (307 E 05-31), and one pending 323 for June with three lines:
/// R1 June on 300201 (in-pause), R2 on an unknown allocation (9338), R3 May 12 h > 10 (9321).
void build(const fs::path& db) {
  ledger::Ledger l(db, {true, ledger::OpenOptions::Sync::off});
  auto tx = l.begin();
  const std::string b301 =
      "<Bericht><Client><Bsn>999990019</Bsn><Geboortedatum><Datum>1950-02-03</Datum>"
      "</Geboortedatum></Client></Bericht>";
  auto m301 = msg(l, "WMO301", "T301", b301);
  ledger::AllocationVersion a;
  a.message_id = m301;
  a.gemeente = kGemeente;
  a.toewijzing_nummer = 300201;
  a.toewijzingsdatum = "2025-03-20";
  a.toewijzingstijd = "10:00:00";
  a.bsn = kC1;
  a.agb = kP1;
  a.categorie = "02";
  a.code = "02A01";
  a.ingangsdatum = "2025-04-01";
  a.einddatum = "2025-12-31";
  a.volume = 10;
  a.eenheid = "04";
  a.frequentie = "4";
  l.add_allocation_version(a);
  auto m305 = msg(l, "WMO305", "S305");
  ledger::StartRecord s;
  s.agb = kP1;
  s.gemeente = kGemeente;
  s.bsn = kC1;
  s.toewijzing_nummer = 300201;
  s.begindatum = "2025-04-03";
  s.inserted_by = m305;
  l.add_start(s);
  auto m307 = msg(l, "WMO307", "P307");
  ledger::StopRecord p;
  p.agb = kP1;
  p.gemeente = kGemeente;
  p.bsn = kC1;
  p.toewijzing_nummer = 300201;
  p.begindatum = "2025-04-03";
  p.reden_beeindiging = "20";
  p.einddatum = "2025-05-31";
  p.inserted_by = m307;
  l.add_stop(p);
  auto m323 = msg(l, "WMO323", "D323");
  ledger::DeclarationRecord d;
  d.message_id = m323;
  d.agb = kP1;
  d.gemeente = kGemeente;
  d.declaratie_nummer = "DN06";
  d.periode_begin = "2025-06-01";
  d.periode_eind = "2025-06-30";
  d.declaratie_dagtekening = "2025-07-02";
  d.totaal_bedrag = (10 + 3 + 12) * 5000;
  d.totaal_dc = "D";
  d.identificatie = "D323";
  d.dagtekening = "2025-07-02";
  d.xsd_basis = "1.0.0";
  d.xsd_bericht = "1.0.0";
  auto did = l.add_declaration(d);
  auto add_line = [&](int pos, const std::string& ref, std::int64_t nummer, int month,
                      std::int64_t vol) {
    ledger::PrestatieRecord r;
    r.declaration_id = did;
    r.position = pos;
    r.agb = kP1;
    r.gemeente = kGemeente;
    r.bsn = kC1;
    r.referentie_nummer = ref;
    r.toewijzing_nummer = nummer;
    r.product_categorie = "02";
    r.product_code = "02A01";
    Date b{2025, month, 1};
    r.periode_begin = b.to_string();
    r.periode_eind = b.last_of_month().to_string();
    r.geleverd_volume = vol;
    r.eenheid = "04";
    r.product_tarief = 5000;
    r.bedrag = vol * 5000;
    r.debet_credit = "D";
    l.add_prestatie(r);
  };
  add_line(0, "R1", 300201, 6, 10);
  add_line(1, "R2", 999999, 6, 3);
  add_line(2, "R3", 300201, 5, 12);
  tx.commit();
}

/// Options of a reconcile of June 2025 (the month build() fills), run on 2025-07-03.
reconcile::Options june() {
  reconcile::Options o;
  o.year = 2025;
  o.month = 6;
  o.today = {2025, 7, 3};
  return o;
}

}  // namespace

TEST_SUITE("reconcile") {
  TEST_CASE("reconcile: end to end over the ledger: verdicts, 325, signals, rerun") {
    TmpDir t;
    const fs::path db = test::ledger_at(t.p / "ledger.db");
    build(db);
    reconcile::Options o = june();
    o.billing = std::vector<reconcile::BillingLine>{{kC1, 2025, 6, 2100, "", 2}};
    auto r = reconcile::run(db, o);
    REQUIRE(r.declarations.size() == 1);
    const auto& dr = r.declarations[0];
    CHECK(dr.judged_now);
    CHECK(dr.judgement.lines[0].approved);
    CHECK(dr.judgement.lines[1].codes() == std::vector<std::string>{"9338"});
    CHECK(dr.judgement.lines[2].codes() == std::vector<std::string>{"9321"});
    REQUIRE(dr.judgement.lines[0].signals.size() == 1);
    CHECK(dr.judgement.lines[0].signals[0].evidence ==
          std::vector<std::string>{"WMO305:S305", "WMO307:P307"});
    CHECK(dr.judgement.toegekend == 50000);
    CHECK(reconcile::tr342_consistent(dr.declaration, dr.lines, dr.judgement));
    // June is fully paused: the billed June is a `pause` refund.
    bool pause = false;
    for (const auto& f : r.at.findings) pause = pause || (f.month == "2025-06" && f.reason == "pause");
    CHECK(pause);

    // Recorded in the ledger.
    {
      ledger::Ledger l(db);
      auto d = l.declaration(dr.declaration.id);
      REQUIRE(d);
      CHECK(d->status == ledger::DeclarationStatus::answered);
      CHECK(d->retourcodes == std::vector<std::string>{"0200"});
      auto lines = l.prestaties_of_declaration(d->id);
      CHECK(lines[0].verdict == ledger::PrestatieVerdict::approved);
      CHECK(lines[2].retourcodes == std::vector<std::string>{"9321"});
      auto m = l.message(*d->answer_message_id);
      CHECK(m.bytes == dr.bytes_325);
      CHECK(m.route_path == kP1 + "/WMO325/" + m.identificatie + ".xml");
    }

    // E21: the 325 is valid against our bundle (XSD and level-2 rules incl. TR342).
    xml::Platform platform;
    auto bundle = std::make_shared<const SchemaBundle>(SchemaBundle::load(istd::test::schema_dir()));
    Validator v(bundle, {});
    auto vr = v.validate(dr.bytes_325, "325.xml");
    CAPTURE(dr.bytes_325);
    for (const auto& f : vr.findings) CAPTURE(f.text);
    CHECK(vr.xsd_valid);
    CHECK(vr.valid());

    // Outputs.
    reconcile::write_outputs(r, t.p / "out");
    CHECK(fs::exists(t.p / "out" / dr.route_325));
    CHECK(fs::exists(t.p / "out" / "summary.json"));
    const std::string jsonl = istd::test::read_file(t.p / "out" / "findings.jsonl");
    CHECK(jsonl.find("\"kind\":\"signal\"") != std::string::npos);
    CHECK(jsonl.find("\"retourcode\":\"9338\"") != std::string::npos);

    // Rerun: nothing judged again, same verdicts and 325.
    auto r2 = reconcile::run(db, o);
    REQUIRE(r2.declarations.size() == 1);
    CHECK_FALSE(r2.declarations[0].judged_now);
    CHECK(r2.declarations[0].bytes_325 == dr.bytes_325);
    CHECK(r2.declarations[0].route_325 == dr.route_325);
    CHECK(reconcile::findings_jsonl(r2) == reconcile::findings_jsonl(r));
  }

  TEST_CASE("reconcile: the progress callback counts every declaration of the month") {
    TmpDir t;
    const fs::path db = test::ledger_at(t.p / "ledger.db");
    build(db);
    reconcile::Options o = june();
    std::vector<std::pair<std::size_t, std::size_t>> calls;
    o.progress = [&](std::size_t done, std::size_t total) { calls.emplace_back(done, total); };
    reconcile::run(db, o);  // judged now
    reconcile::run(db, o);  // reported from the ledger
    using Calls = std::vector<std::pair<std::size_t, std::size_t>>;
    CHECK(calls == Calls{{1, 1}, {1, 1}});
    o.month = 5;  // no declarations: never called
    calls.clear();
    reconcile::run(db, o);
    CHECK(calls.empty());
  }

  TEST_CASE("reconcile: started twice at once, each declaration is answered once") {
    // The second run starts and finishes while the first is between reading the ledger and
    // recording its verdicts (from the first run's progress callback, so the order is fixed).
    TmpDir t;
    const fs::path db = test::ledger_at(t.p / "ledger.db");
    build(db);
    reconcile::Options o = june();
    reconcile::Result second;
    bool started = false;
    reconcile::Options first = o;
    first.progress = [&](std::size_t, std::size_t) {
      if (std::exchange(started, true)) return;
      second = reconcile::run(db, o);
    };
    const auto r = reconcile::run(db, first);
    REQUIRE(second.declarations.size() == 1);
    CHECK(second.declarations[0].judged_now);
    REQUIRE(r.declarations.size() == 1);
    CHECK_FALSE(r.declarations[0].judged_now);  // found answered when it came to record
    CHECK(r.declarations[0].bytes_325 == second.declarations[0].bytes_325);
    CHECK(r.declarations[0].route_325 == second.declarations[0].route_325);
    ledger::Ledger l(db);
    CHECK(l.message_count() == l.max_message_id());
    int answers = 0;
    for (ledger::MessageId id = 1; id <= l.max_message_id(); ++id)
      if (l.message(id).type == "WMO325") ++answers;
    CHECK(answers == 1);
  }

  TEST_CASE("reconcile: a message stored while judging is not overwritten; 325s number after it") {
    TmpDir t;
    const fs::path db = test::ledger_at(t.p / "ledger.db");
    build(db);
    reconcile::Options o = june();
    ledger::MessageId other = 0;
    o.progress = [&](std::size_t, std::size_t) {
      ledger::Ledger l(db);
      auto tx = l.begin();
      other = msg(l, "WMO305", "LATE-305");
      tx.commit();
    };
    const auto r = reconcile::run(db, o);
    REQUIRE(r.declarations.size() == 1);
    CHECK(r.declarations[0].judged_now);
    ledger::Ledger l(db);
    const auto d = l.declaration(r.declarations[0].declaration.id);
    REQUIRE(d);
    REQUIRE(d->answer_message_id);
    CHECK(*d->answer_message_id == other + 1);
    CHECK(l.message(other).identificatie == "LATE-305");
    CHECK(r.declarations[0].route_325.find(l.message(*d->answer_message_id).identificatie) !=
          std::string::npos);
  }

  TEST_CASE("reconcile: E21 every 325 shape of E1-E17 passes our WMO325.xsd and rules") {
    xml::Platform platform;
    auto bundle = std::make_shared<const SchemaBundle>(SchemaBundle::load(istd::test::schema_dir()));
    Validator v(bundle, {});
    reconcile::AnswerHeader h{"ISTD00000042", "2025-07-03", "1.0.0", "1.0.0"};
    auto check_valid = [&](const reconcile::Declaration& d, const std::vector<Line>& lines,
                           const reconcile::Judgement& j) {
      const std::string x = reconcile::build_325(d, lines, j, h);
      auto vr = v.validate(x, "325.xml");
      CAPTURE(x);
      for (const auto& f : vr.findings) CAPTURE(f.text);
      CHECK(vr.valid());
    };
    // All approved (E1).
    {
      History hist;
      add(hist, alloc(), {{D(4, 3), "s"}});
      auto d = decl(1, "D1", 5);
      std::vector<Line> lines{line(1, "R1", 5)};
      total(d, lines);
      check_valid(d, lines, reconcile::judge(hist, d, lines));
    }
    // Client rejection and line rejections, a net credit total (E2, E4, E13).
    {
      History hist;
      add(hist, alloc(), {{D(4, 3), "s"}});
      Line old = line(1, "R1", 4, 20);
      auto d0 = decl(1, "D1", 4);
      total(d0, {old});
      reconcile::judge(hist, d0, {old});
      auto d = decl(2, "D2", 5);
      Line cr = credit_of(old, 2, "R2");
      std::vector<Line> lines{cr, line(3, "R3", 5, 1, 999999), line(4, "R4", 5, 1, 300201, kC3)};
      total(d, lines);
      auto j = reconcile::judge(hist, d, lines);
      CHECK(j.toegekend < 0);
      check_valid(d, lines, j);
    }
    // Declaratie-level rejection (E15) and header-only (intake 0001).
    {
      History hist;
      add(hist, alloc(), {{D(4, 3), "s"}});
      hist.add_processed_declaration(decl(9, "D1", 4));
      auto d = decl(1, "D1", 5);
      std::vector<Line> lines{line(1, "R1", 5)};
      total(d, lines);
      check_valid(d, lines, reconcile::judge(hist, d, lines));
      auto d2 = decl(2, "D7", 5);
      d2.intake_codes = {"0001"};
      total(d2, lines);
      check_valid(d2, lines, reconcile::judge(hist, d2, lines));
    }
  }

  TEST_CASE("reconcile: E20 a received 325 with an unknown or changed line gives 9366 / 9367") {
    std::vector<Line> sent{line(1, "R1", 5), line(2, "R2", 5)};
    Line unknown = line(3, "R9", 5);
    Line changed = line(2, "R2", 5);
    changed.volume = 11;
    auto res = reconcile::check_received_325(sent, {unknown, changed, sent[0]});
    CHECK(res[0] == std::vector<std::string>{"9366"});
    CHECK(res[1] == std::vector<std::string>{"9367"});
    CHECK(res[2].empty());
  }
}
