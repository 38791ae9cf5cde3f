// The server on the real ledger and ingest engine (LedgerIntake).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <mutex>
#include <string>
#include <vector>

#include "core/ledger/ledger.hpp"
#include "server/ledger_intake.hpp"
#include "server_test_util.hpp"

using namespace istd;
using namespace istd::test;
using json = nlohmann::json;

namespace {

ingest::Options ingest_options() {
  ingest::Options o;
  o.today = {2025, 4, 10};
  o.sync_files = false;
  return o;
}

std::int64_t rows(const std::filesystem::path& db) { return ledger::Ledger(db).message_count(); }

/// Posts `msg` as `party`; the 202's JSON (fails the test on any other answer).
json post_as(const TestServer& ts, const std::string& party, const std::string& msg) {
  TestClient c(ts.port(), party);
  REQUIRE_FALSE(c.connect());
  // Not a structured binding: clang 14 cannot capture one in doctest's INFO lambda.
  const auto answer = c.request(http::verb::post, "/v1/messages", msg);
  REQUIRE_FALSE(answer.first);
  const auto& res = answer.second;
  INFO(res.body());
  REQUIRE(res.result_int() == 202);
  return json::parse(res.body());
}

/// GET `target` (the messages delivered to `party`): the answer's JSON; 200 required.
json list_as(const TestServer& ts, const std::string& party,
             const std::string& target = "/v1/messages") {
  TestClient c(ts.port(), party);
  REQUIRE_FALSE(c.connect());
  auto [ec, res] = c.request(http::verb::get, target);
  REQUIRE_FALSE(ec);
  REQUIRE(res.result_int() == 200);
  return json::parse(res.body());
}

/// Whether the validation object of an answer has a finding with retourcode `code`.
bool has_retourcode(const json& answer, const std::string& code) {
  for (const auto& f : answer["validation"]["findings"])
    if (f["retourcode"] == code) return true;
  return false;
}

// The sample month's Jeugd client C4: the gemeente 0363 allocates 300201 (the number of C1's
// Wmo allocation) to the provider 65656055, who starts the care.
std::string jw301() { return sample_message("12-JW301-C4-toewijzing.xml"); }
std::string jw305() { return sample_message("13-JW305-C4-start.xml"); }
std::string wmo301() { return sample_message("01-WMO301-C1-toewijzing.xml"); }

}  // namespace

TEST_SUITE("server") {

TEST_CASE("server ledger: a provider posting as another gets 403 and the ledger stays empty") {
  TempDir dir;
  const auto db = dir.path / "ledger.db";
  {
    auto intake = std::make_shared<server::LedgerIntake>(db, bundle(), ingest_options());
    TestServer ts(intake);
    TestClient c(ts.port(), "12345678");
    REQUIRE_FALSE(c.connect());
    auto [ec, res] = c.request(http::verb::post, "/v1/messages", wmo305());
    REQUIRE_FALSE(ec);
    CHECK(res.result_int() == 403);
  }
  CHECK(rows(db) == 0);
}

TEST_CASE("server ledger: POST /v1/messages ingests and answers the verdict and the retour") {
  TempDir dir;
  const auto db = dir.path / "ledger.db";
  auto intake = std::make_shared<server::LedgerIntake>(db, bundle(), ingest_options());
  TestServer ts(intake);
  TestClient c(ts.port(), "65656055");
  REQUIRE_FALSE(c.connect());
  auto [ec, res] = c.request(http::verb::post, "/v1/messages", wmo305());
  REQUIRE_FALSE(ec);
  REQUIRE(res.result_int() == 202);
  const auto j = json::parse(res.body());
  // No allocation in the ledger: the start is rejected on the cross-message rules (306 says so).
  CHECK(j["verdict"] == "rejected");
  CHECK(j["duplicate"] == false);
  REQUIRE(j["retour"].is_string());
  CHECK(j["retour"].get<std::string>().find("wmo306") != std::string::npos);
  CHECK(j["retour_route"].get<std::string>().starts_with("65656055/WMO306/"));
  // Stored and routed under its Afzender and BerichtIdentificatie, not under one name for every
  // post (each post would probe request, request-2, ... for a free route).
  ledger::Ledger l(db);
  const auto stored = l.message(j["id"].get<ledger::MessageId>());
  CHECK(stored.route_path ==
        stored.ontvanger + "/WMO305/65656055-" + stored.identificatie + ".xml");
}

TEST_CASE("server ledger: the same message posted twice concurrently is stored once") {
  TempDir dir;
  const auto db = dir.path / "ledger.db";
  {
    auto intake = std::make_shared<server::LedgerIntake>(db, bundle(), ingest_options());
    TestServer ts(intake);
    TestClient a(ts.port(), "65656055"), b(ts.port(), "65656055");
    REQUIRE_FALSE(a.connect());
    REQUIRE_FALSE(b.connect());
    // Both requests are in flight at once: two client threads.
    std::pair<beast::error_code, Response> ra, rb;
    std::thread ta([&] { ra = a.request(http::verb::post, "/v1/messages", wmo305()); });
    std::thread tb([&] { rb = b.request(http::verb::post, "/v1/messages", wmo305()); });
    ta.join();
    tb.join();
    REQUIRE_FALSE(ra.first);
    REQUIRE_FALSE(rb.first);
    CHECK(ra.second.result_int() == 202);
    CHECK(rb.second.result_int() == 202);
    const auto ja = json::parse(ra.second.body()), jb = json::parse(rb.second.body());
    CHECK(ja["duplicate"] != jb["duplicate"]);  // exactly one of them is the duplicate
    CHECK(ja["id"] == jb["id"]);
    CHECK(ja["retour"] == jb["retour"]);
  }
  CHECK(rows(db) == 2);  // the 305 and its 306
}

TEST_CASE("server ledger: each party reads only the messages and retours delivered to it") {
  TempDir dir;
  const auto db = dir.path / "ledger.db";
  auto intake = std::make_shared<server::LedgerIntake>(db, bundle(), ingest_options());
  TestServer ts(intake);
  {
    TestClient p(ts.port(), "65656055");
    REQUIRE_FALSE(p.connect());
    REQUIRE(p.request(http::verb::post, "/v1/messages", wmo305()).second.result_int() == 202);
  }
  auto list = [&](const std::string& who, const std::string& target = "/v1/messages") {
    return list_as(ts, who, target);
  };
  const auto gemeente = list("0363");
  REQUIRE(gemeente["messages"].size() == 1);
  CHECK(gemeente["messages"][0]["type"] == "WMO305");
  CHECK(gemeente["messages"][0]["role"] == "input");
  const auto provider = list("65656055");
  REQUIRE(provider["messages"].size() == 1);
  CHECK(provider["messages"][0]["type"] == "WMO306");
  CHECK(provider["messages"][0]["role"] == "output");
  CHECK(provider["messages"][0]["xml"].get<std::string>().find("T305-0001") != std::string::npos);
  CHECK(list("0599")["messages"].empty());
  CHECK(list("12345678")["messages"].empty());
  CHECK(list("0363", "/v1/messages?since=2999-01-01T00:00:00Z")["messages"].empty());
  CHECK(list("0363", "/v1/messages?since=2000-01-01T00%3A00%3A00Z")["messages"].size() == 1);
}

TEST_CASE("server ledger: a JW301 and a JW305 on it are accepted, the 305 answered by a JW306") {
  TempDir dir;
  const auto db = dir.path / "ledger.db";
  {
    auto intake = std::make_shared<server::LedgerIntake>(db, bundle(), ingest_options());
    TestServer ts(intake);
    {
      // Each message only from its own Afzender.
      TestClient provider(ts.port(), "65656055");
      REQUIRE_FALSE(provider.connect());
      CHECK(provider.request(http::verb::post, "/v1/messages", jw301()).second.result_int() == 403);
    }
    const auto a = post_as(ts, "0363", jw301());
    INFO(a.dump(2));
    CHECK(a["validation"]["message"] == "JW301");
    CHECK(a["verdict"] == "accepted");
    CHECK(a["accepted"] == true);
    const auto s = post_as(ts, "65656055", jw305());
    INFO(s.dump(2));
    CHECK(s["validation"]["message"] == "JW305");
    CHECK(s["verdict"] == "accepted");
    CHECK(s["accepted"] == true);
    REQUIRE(s["retour"].is_string());
    const std::string retour = s["retour"];
    CHECK(retour.find("http://www.istandaarden.nl/ijw/3_2/jw306/schema") != std::string::npos);
    CHECK(retour.find("BerichtCode>439</") != std::string::npos);
    CHECK(retour.find("iwmo") == std::string::npos);
    // The retour is itself a valid JW306 (its root's namespace, BerichtCode 439, the iJw schema).
    const ValidationResult rv = Validator(bundle(), ValidateOptions{}).validate(retour, "retour");
    CHECK(rv.type == model::MessageType::JW306);
    CHECK(rv.valid());
    CHECK(retour.find("A65-J305-01") != std::string::npos);  // the 305 it answers
    CHECK(s["retour_route"].get<std::string>().starts_with("65656055/JW306/"));
  }
  CHECK(rows(db) == 3);  // the 301, the 305 and its 306
}

TEST_CASE("server ledger: a WMO301 and a JW301 with the same ToewijzingNummer are both accepted") {
  TempDir dir;
  const auto db = dir.path / "ledger.db";
  auto intake = std::make_shared<server::LedgerIntake>(db, bundle(), ingest_options());
  TestServer ts(intake);
  const auto w = post_as(ts, "0363", wmo301());
  INFO(w.dump(2));
  CHECK(w["validation"]["message"] == "WMO301");
  CHECK(w["verdict"] == "accepted");
  const auto j = post_as(ts, "0363", jw301());
  INFO(j.dump(2));
  CHECK(j["validation"]["message"] == "JW301");
  CHECK(j["verdict"] == "accepted");
  CHECK_FALSE(has_retourcode(j, "9332"));
  // The two are for other clients and products: in one domain that is a 9332, as a second
  // JW301 of 300201 for another client (C1, the Wmo client) shows.
  const auto again = post_as(
      ts, "0363",
      replaced(replaced(jw301(), "<ijw:Identificatie>G0363-J0101<",
                        "<ijw:Identificatie>G0363-J0102<"),
               "<Bsn>999900043<", "<Bsn>999900006<"));
  INFO(again.dump(2));
  CHECK(again["verdict"] != "accepted");
  CHECK(has_retourcode(again, "9332"));
}

TEST_CASE("server ledger: each party reads the iJw messages and retours delivered to it") {
  TempDir dir;
  const auto db = dir.path / "ledger.db";
  auto intake = std::make_shared<server::LedgerIntake>(db, bundle(), ingest_options());
  TestServer ts(intake);
  post_as(ts, "0363", jw301());
  post_as(ts, "65656055", jw305());
  auto list = [&](const std::string& who) { return list_as(ts, who)["messages"]; };
  auto types = [](const json& msgs) {
    std::vector<std::string> out;
    for (const auto& m : msgs)
      out.push_back(m["role"].get<std::string>() + " " + m["type"].get<std::string>());
    return out;
  };
  const auto provider = list("65656055");
  INFO(provider.dump(2));
  CHECK(types(provider) == std::vector<std::string>{"input JW301", "output JW306"});
  REQUIRE(provider.size() == 2);
  CHECK(provider[0]["identificatie"] == "G0363-J0101");
  CHECK(provider[0]["ontvanger"] == "65656055");
  CHECK(provider[0]["xml"].get<std::string>().find("/ijw/3_2/jw301/schema") != std::string::npos);
  CHECK(provider[1]["xml"].get<std::string>().find("A65-J305-01") != std::string::npos);
  const auto gemeente = list("0363");
  CHECK(types(gemeente) == std::vector<std::string>{"input JW305"});
  REQUIRE(gemeente.size() == 1);
  CHECK(gemeente[0]["identificatie"] == "A65-J305-01");
  CHECK(gemeente[0]["afzender"] == "65656055");
  CHECK(list("0599").empty());
  CHECK(list("12345678").empty());
}

TEST_CASE("server ledger: posts queued together are committed as one group, in order") {
  TempDir dir;
  const auto db = dir.path / "ledger.db";
  server::LedgerIntake intake(db, bundle(), ingest_options());
  Validator v(bundle(), ValidateOptions{});
  // A JW301, the JW305 on it, and the JW301 again: within one group the 305 sees the 301
  // stored before it and the repeated 301 is a duplicate of the first, as when posted apart.
  const std::vector<std::string> bodies{jw301(), jw305(), jw301()};
  std::vector<server::Submission> group(bodies.size());
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    group[i].input = ingest::prepare(bodies[i]);
    group[i].result = v.validate(bodies[i], "request");
  }
  const auto results = intake.submit_all(group);
  REQUIRE(results.size() == 3);
  CHECK(results[0].verdict == ledger::Verdict::accepted);
  CHECK(results[1].verdict == ledger::Verdict::accepted);
  CHECK(results[1].retour.starts_with("65656055/JW306/"));
  CHECK(results[1].retour_xml.find("jw306") != std::string::npos);
  CHECK(results[2].duplicate);
  CHECK(results[2].message_id == results[0].message_id);
  intake.close();
  // Committed: the 301, the 305 and its 306 (the duplicate stored nothing).
  CHECK(rows(db) == 3);
}

TEST_CASE("server ledger: a commit is durable before the answer - no WAL sync is left to the "
          "file thread") {
  // Batch ingest lets its commits return before the disk has them and has the file thread
  // make them durable later (point "wal"); the service answers right after its commit, so its
  // commits wait for the disk themselves.
  TempDir dir;
  const auto db = dir.path / "ledger.db";
  std::mutex mu;
  std::vector<std::string> points;
  ingest::Options o = ingest_options();
  o.out_dir = dir.path / "out";
  o.sync_files = true;
  o.durability_point = [&](std::string_view p) {
    std::lock_guard lk(mu);
    points.emplace_back(p);
  };
  {
    server::LedgerIntake intake(db, bundle(), o);
    Validator v(bundle(), ValidateOptions{});
    const std::string body = jw301();  // outlives the submission, which refers to its bytes
    std::vector<server::Submission> group(1);
    group[0].input = ingest::prepare(body);
    group[0].result = v.validate(body, "request");
    REQUIRE(intake.submit_all(group).size() == 1);
    intake.close();
  }
  CHECK(rows(db) == 1);
  std::lock_guard lk(mu);
  CHECK(std::count(points.begin(), points.end(), "commit") >= 1);
  CHECK(std::count(points.begin(), points.end(), "sync") >= 1);  // the files were synced
  CHECK(std::count(points.begin(), points.end(), "wal") == 0);
}

}  // TEST_SUITE
