// The server on the real ledger and ingest engine (LedgerIntake).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

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
    TestClient c(ts.port(), who);
    REQUIRE_FALSE(c.connect());
    auto [ec, res] = c.request(http::verb::get, target);
    REQUIRE_FALSE(ec);
    REQUIRE(res.result_int() == 200);
    return json::parse(res.body());
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

}  // TEST_SUITE
