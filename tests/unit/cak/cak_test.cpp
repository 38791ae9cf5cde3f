// `istd cak`: the start/stop list of the eigen bijdrage for the CAK (docs/cak.md). Scenarios on
// a real ledger built from ingested 301/305/307 messages, and pure tests of cak::diff.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/cak/cak_list.hpp"
#include "core/cak/export.hpp"
#include "core/errors.hpp"
#include "core/ledger/ledger.hpp"
#include "core/reconcile/csv.hpp"
#include "ingest/ingest_env.hpp"

using namespace istd;
using namespace istd::test;
using istd::model::Date;

namespace {

Date day(const char* s) { return model::parse_date(s).value(); }

/// A line as "<bsn> #<EbStartNummer> <kind> <datum> prev=<previous> status=<n> <reason>".
std::string str(const ledger::CakLineRecord& l) {
  return fmt::format("{} #{} {} {} prev={} status={} {}", l.bsn, l.eb_start_nummer, l.kind,
                     l.datum, l.previous.value_or("-"), l.status, l.reason);
}

std::vector<std::string> strs(const std::vector<ledger::CakLineRecord>& lines) {
  std::vector<std::string> out;
  for (const auto& l : lines) out.push_back(str(l));
  return out;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

const std::string kCsvHeader =
    "Exportnummer;Aanmaakdatum;Gemeente;Bsn;EbStartNummer;EbStartdatum;EbStopdatum;"
    "StatusAanlevering;VorigeDatum;Reden;Toelichting;Berichten\n";

/// An ingest environment (gemeente side) with an output directory for the exports.
struct CakEnv : Env {
  TempDir out_dir;

  std::filesystem::path db() const { return dir.path / "ledger.db"; }

  /// Sends a message and requires it to be accepted.
  void accept(const std::string& xml) {
    auto o = send(xml);
    INFO(report_text(o));
    REQUIRE(o.accepted);
  }

  cak::Options options(Date on) const {
    cak::Options o;
    o.today = on;
    o.out = out_dir.path;
    return o;
  }

  /// Makes a new export on `on` and checks that the ledger recorded exactly its lines.
  cak::Result run(Date on) {
    auto r = cak::run(db(), options(on));
    CHECK_FALSE(r.rewritten);
    CHECK(strs(ledger->cak_lines(r.export_record.number)) == strs(r.lines));
    return r;
  }

  std::string file(const std::filesystem::path& p) const {
    REQUIRE(std::filesystem::exists(p));
    return read_file(p);
  }
};

/// The usual allocation: 300201 for C1 from G to P1, 2025-04-01 .. 2025-12-31.
void allocate(CakEnv& e) { e.accept(m301("A1", {TP{}})); }

}  // namespace

TEST_SUITE("cak") {

TEST_CASE("cak: first export lists each client's start with numbers 1 and 2") {
  CakEnv e;
  allocate(e);
  e.accept(m301("A2", {TP{.nr = "300202"}}, C2));
  e.accept(m305("S1", {SP{}}));
  e.accept(m305("S2", {SP{.nr = "300202", .begin = "2025-04-07"}}, P1, C2));

  const auto r = e.run(day("2025-04-15"));
  CHECK(strs(r.lines) == std::vector<std::string>{
                             C1 + " #1 start 2025-04-03 prev=- status=1 start",
                             C2 + " #2 start 2025-04-07 prev=- status=1 start"});
  REQUIRE(r.lines.size() == 2);
  CHECK(r.lines[0].seq == 1);
  CHECK(r.lines[1].seq == 2);
  CHECK(r.lines[0].gemeente == G);
  CHECK(r.lines[0].evidence == std::vector<std::string>{"WMO305:S1"});
  CHECK(r.lines[1].evidence == std::vector<std::string>{"WMO305:S2"});
  CHECK(r.running == 2);
  CHECK(r.stopped == 0);

  // Recorded: the export and the episodes as reported.
  const auto exports = e.ledger->cak_exports();
  REQUIRE(exports.size() == 1);
  CHECK(exports[0].number == 1);
  CHECK(exports[0].made_on == "2025-04-15");
  CHECK(exports[0].line_count == 2);
  const auto eps = e.ledger->cak_episodes();
  REQUIRE(eps.size() == 2);
  CHECK(eps[0].eb_start_nummer == 1);
  CHECK(eps[0].bsn == C1);
  CHECK(eps[0].startdatum == "2025-04-03");
  CHECK_FALSE(eps[0].stopdatum);
  CHECK_FALSE(eps[0].withdrawn);
  CHECK(eps[0].first_export == 1);
  CHECK(eps[1].eb_start_nummer == 2);
  CHECK(eps[1].bsn == C2);
  CHECK(eps[1].startdatum == "2025-04-07");

  // The CSV: header and two rows.
  CHECK(r.csv == e.out_dir.path / "cak-export-0001.csv");
  CHECK(r.jsonl == e.out_dir.path / "cak-export-0001.jsonl");
  const std::string csv = e.file(r.csv);
  CHECK(csv.rfind(kCsvHeader, 0) == 0);
  const auto rows = reconcile::csv::parse(csv, "cak-export-0001.csv", ';');
  REQUIRE(rows.size() == 3);
  REQUIRE(rows[1].fields.size() == 12);
  CHECK(rows[1].fields[0] == "1");
  CHECK(rows[1].fields[1] == "2025-04-15");
  CHECK(rows[1].fields[2] == G);
  CHECK(rows[1].fields[3] == C1);
  CHECK(rows[1].fields[4] == "1");
  CHECK(rows[1].fields[5] == "2025-04-03");
  CHECK(rows[1].fields[6] == "");
  CHECK(rows[1].fields[7] == "1");
  CHECK(rows[1].fields[8] == "");
  CHECK(rows[1].fields[9] == "start");
  CHECK(rows[1].fields[10].find("EbStartdatum 2025-04-03") != std::string::npos);
  CHECK(rows[1].fields[11] == "WMO305:S1");
  REQUIRE(rows[2].fields.size() == 12);
  CHECK(rows[2].fields[3] == C2);
  CHECK(rows[2].fields[4] == "2");
  CHECK(rows[2].fields[5] == "2025-04-07");

  // The JSON Lines: one object per line.
  const std::string jsonl = e.file(r.jsonl);
  std::vector<nlohmann::json> objs;
  for (std::size_t pos = 0, eol; (eol = jsonl.find('\n', pos)) != std::string::npos; pos = eol + 1)
    objs.push_back(nlohmann::json::parse(jsonl.substr(pos, eol - pos)));
  REQUIRE(objs.size() == 2);
  CHECK(jsonl.back() == '\n');
  CHECK(objs[0]["export"] == 1);
  CHECK(objs[0]["seq"] == 1);
  CHECK(objs[0]["bsn"] == C1);
  CHECK(objs[0]["EbStartNummer"] == 1);
  CHECK(objs[0]["EbStartdatum"] == "2025-04-03");
  CHECK_FALSE(objs[0].contains("EbStopdatum"));
  CHECK(objs[0]["StatusAanlevering"] == 1);
  CHECK(objs[0]["previous"].is_null());
  CHECK(objs[0]["reason"] == "start");
  CHECK(objs[0]["evidence"] == nlohmann::json::array({"WMO305:S1"}));
  CHECK(objs[1]["bsn"] == C2);
  CHECK(objs[1]["EbStartNummer"] == 2);
  CHECK(objs[1]["EbStartdatum"] == "2025-04-07");
}

TEST_CASE("cak: a late 305 with an earlier Begindatum changes the start (status 2)") {
  CakEnv e;
  allocate(e);
  e.accept(m305("S1", {SP{.begin = "2025-04-10"}}));
  const auto r1 = e.run(day("2025-04-20"));
  CHECK(strs(r1.lines) ==
        std::vector<std::string>{C1 + " #1 start 2025-04-10 prev=- status=1 start"});

  // The provider deletes its start and sends the right one: care began on 2025-04-03.
  e.accept(m305("S2", {SP{.begin = "2025-04-10", .status = "3"}}));
  e.accept(m305("S3", {SP{.begin = "2025-04-03"}}));
  const auto r2 = e.run(day("2025-05-01"));
  CHECK(strs(r2.lines) == std::vector<std::string>{
                              C1 + " #1 start 2025-04-03 prev=2025-04-10 status=2 start-changed"});
  REQUIRE(r2.lines.size() == 1);
  CHECK(contains(r2.lines[0].evidence, "WMO305:S3"));
  CHECK(r2.lines[0].toelichting.find("EbStartdatum 2025-04-10 wordt 2025-04-03") !=
        std::string::npos);

  const auto eps = e.ledger->cak_episodes();
  REQUIRE(eps.size() == 1);
  CHECK(eps[0].eb_start_nummer == 1);
  CHECK(eps[0].startdatum == "2025-04-03");
  CHECK(eps[0].first_export == 1);

  const auto rows = reconcile::csv::parse(e.file(r2.csv), "cak-export-0002.csv", ';');
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].fields.at(0) == "2");
  CHECK(rows[1].fields.at(5) == "2025-04-03");
  CHECK(rows[1].fields.at(7) == "2");
  CHECK(rows[1].fields.at(8) == "2025-04-10");
}

TEST_CASE("cak: a deleted 305 without replacement withdraws the episode (status 3)") {
  CakEnv e;
  allocate(e);
  e.accept(m305("S1", {SP{}}));
  CHECK(e.run(day("2025-04-15")).lines.size() == 1);

  e.accept(m305("S2", {SP{.status = "3"}}));
  const auto r2 = e.run(day("2025-05-01"));
  CHECK(strs(r2.lines) == std::vector<std::string>{
                              C1 + " #1 start 2025-04-03 prev=2025-04-03 status=3 episode-withdrawn"});
  REQUIRE(r2.lines.size() == 1);
  CHECK(contains(r2.lines[0].evidence, "WMO305:S2"));
  CHECK(r2.running == 0);
  CHECK(r2.stopped == 0);
  auto eps = e.ledger->cak_episodes();
  REQUIRE(eps.size() == 1);
  CHECK(eps[0].withdrawn);

  SUBCASE("a new start later gets a new number: a withdrawn number is never reused") {
    e.accept(m305("S3", {SP{.begin = "2025-05-01"}}));
    const auto r3 = e.run(day("2025-05-15"));
    CHECK(strs(r3.lines) ==
          std::vector<std::string>{C1 + " #2 start 2025-05-01 prev=- status=1 start"});
    eps = e.ledger->cak_episodes();
    REQUIRE(eps.size() == 2);
    CHECK(eps[0].withdrawn);
    CHECK_FALSE(eps[1].withdrawn);
    CHECK(eps[1].first_export == 3);
  }
}

TEST_CASE("cak: a pause of three weeks inside care gives no stop or start") {
  CakEnv e;
  allocate(e);
  e.accept(m305("S1", {SP{}}));
  CHECK(strs(e.run(day("2025-04-15")).lines) ==
        std::vector<std::string>{C1 + " #1 start 2025-04-03 prev=- status=1 start"});

  // Pause from 2025-05-21 (Einddatum 05-20 is the last delivered day), restart 2025-06-10.
  e.accept(m307("T1", {STP{.eind = "2025-05-20"}}));
  e.accept(m305("S2", {SP{.begin = "2025-06-10"}}));
  const auto r2 = e.run(day("2025-07-15"));
  CHECK(r2.lines.empty());
  CHECK(r2.running == 1);
  CHECK(r2.stopped == 0);
  const auto exports = e.ledger->cak_exports();
  REQUIRE(exports.size() == 2);
  CHECK(exports[1].line_count == 0);
}

TEST_CASE("cak: a pause over a whole calendar month stops the episode and the restart is new") {
  CakEnv e;
  allocate(e);
  e.accept(m305("S1", {SP{}}));
  CHECK(e.run(day("2025-04-15")).lines.size() == 1);

  // Last delivered day 2025-05-09, paused 05-10 .. 06-30 (all of June), restart 2025-07-01.
  e.accept(m307("T1", {STP{.eind = "2025-05-09"}}));
  e.accept(m305("S2", {SP{.begin = "2025-07-01"}}));
  const auto r2 = e.run(day("2025-07-15"));
  CHECK(strs(r2.lines) == std::vector<std::string>{
                              C1 + " #1 stop 2025-05-09 prev=- status=1 stop-pause",
                              C1 + " #2 start 2025-07-01 prev=- status=1 start"});
  REQUIRE(r2.lines.size() == 2);
  CHECK(contains(r2.lines[0].evidence, "WMO307:T1"));
  CHECK(contains(r2.lines[1].evidence, "WMO305:S2"));
  CHECK_FALSE(contains(r2.lines[1].evidence, "WMO305:S1"));
  CHECK(r2.running == 1);
  CHECK(r2.stopped == 1);

  const auto eps = e.ledger->cak_episodes();
  REQUIRE(eps.size() == 2);
  CHECK(eps[0].startdatum == "2025-04-03");
  CHECK(eps[0].stopdatum == std::optional<std::string>("2025-05-09"));
  CHECK(eps[0].first_export == 1);
  CHECK(eps[1].startdatum == "2025-07-01");
  CHECK_FALSE(eps[1].stopdatum);
  CHECK(eps[1].first_export == 2);

  const auto rows = reconcile::csv::parse(e.file(r2.csv), "cak-export-0002.csv", ';');
  REQUIRE(rows.size() == 3);
  CHECK(rows[1].fields.at(4) == "1");
  CHECK(rows[1].fields.at(5) == "");
  CHECK(rows[1].fields.at(6) == "2025-05-09");
  CHECK(rows[1].fields.at(9) == "stop-pause");
}

TEST_CASE("cak: a running pause becomes a stop once it holds a whole calendar month") {
  CakEnv e;
  allocate(e);
  e.accept(m305("S1", {SP{}}));
  // Paused from 2025-05-21, no restart.
  e.accept(m307("T1", {STP{.eind = "2025-05-20"}}));

  const auto r1 = e.run(day("2025-06-15"));
  CHECK(strs(r1.lines) ==
        std::vector<std::string>{C1 + " #1 start 2025-04-03 prev=- status=1 start"});
  CHECK(r1.running == 1);

  // Near miss: on 2025-06-29 June is not yet whole.
  CHECK(e.run(day("2025-06-29")).lines.empty());

  // On 2025-06-30 the pause holds all of June: the same ledger now gives the stop.
  const auto r3 = e.run(day("2025-06-30"));
  CHECK(strs(r3.lines) ==
        std::vector<std::string>{C1 + " #1 stop 2025-05-20 prev=- status=1 stop-pause"});
  REQUIRE(r3.lines.size() == 1);
  CHECK(contains(r3.lines[0].evidence, "WMO307:T1"));
  CHECK(r3.running == 0);
  CHECK(r3.stopped == 1);

  // And it is reported once.
  CHECK(e.run(day("2025-07-15")).lines.empty());
  const auto exports = e.ledger->cak_exports();
  REQUIRE(exports.size() == 4);
  CHECK(exports[2].line_count == 1);
  CHECK(exports[3].line_count == 0);
}

TEST_CASE("cak: a household of two gets lines and numbers per person") {
  CakEnv e;
  allocate(e);
  e.accept(m301("A2", {TP{.nr = "300202"}}, C2));
  e.accept(m305("S1", {SP{}}));
  e.accept(m305("S2", {SP{.nr = "300202"}}, P1, C2));
  CHECK(strs(e.run(day("2025-04-15")).lines) ==
        std::vector<std::string>{C1 + " #1 start 2025-04-03 prev=- status=1 start",
                                 C2 + " #2 start 2025-04-03 prev=- status=1 start"});

  // The second person pauses over a whole month; the first one's care goes on.
  e.accept(m307("T1", {STP{.eind = "2025-05-09", .nr = "300202"}}, P1, C2));
  const auto r2 = e.run(day("2025-07-15"));
  CHECK(strs(r2.lines) ==
        std::vector<std::string>{C2 + " #2 stop 2025-05-09 prev=- status=1 stop-pause"});
  CHECK(r2.running == 1);
  CHECK(r2.stopped == 1);
}

TEST_CASE("cak: one provider paused while another delivers is no stop") {
  CakEnv e;
  allocate(e);
  e.accept(m301("A2", {TP{.nr = "300202"}}, C1, "2025-03-20", P2));
  e.accept(m305("S1", {SP{}}));
  e.accept(m305("S2", {SP{.nr = "300202", .begin = "2025-04-07"}}, P2));

  // One person, one episode from the earliest start.
  const auto r1 = e.run(day("2025-04-15"));
  CHECK(strs(r1.lines) ==
        std::vector<std::string>{C1 + " #1 start 2025-04-03 prev=- status=1 start"});

  // P1 pauses from 2025-05-10 over all of June; P2 keeps delivering.
  e.accept(m307("T1", {STP{.eind = "2025-05-09"}}));
  const auto r2 = e.run(day("2025-07-15"));
  CHECK(r2.lines.empty());
  CHECK(r2.running == 1);
  CHECK(r2.stopped == 0);
}

TEST_CASE("cak: a rerun with nothing new is an empty export that is recorded") {
  CakEnv e;
  allocate(e);
  e.accept(m305("S1", {SP{}}));
  CHECK(e.run(day("2025-04-15")).lines.size() == 1);

  const auto r2 = e.run(day("2025-04-16"));
  CHECK(r2.lines.empty());
  CHECK(r2.export_record.number == 2);
  CHECK(r2.export_record.line_count == 0);
  CHECK(r2.running == 1);
  CHECK(e.file(e.out_dir.path / "cak-export-0002.csv") == kCsvHeader);
  CHECK(e.file(e.out_dir.path / "cak-export-0002.jsonl").empty());
  const auto exports = e.ledger->cak_exports();
  REQUIRE(exports.size() == 2);
  CHECK(exports[1].number == 2);
  CHECK(exports[1].made_on == "2025-04-16");
  CHECK(exports[1].line_count == 0);
  CHECK(e.ledger->cak_lines(2).empty());
  // The first export's files are left alone.
  CHECK(reconcile::csv::parse(e.file(e.out_dir.path / "cak-export-0001.csv"), "1.csv", ';')
            .size() == 2);
}

TEST_CASE("cak: rewrite writes an earlier export again byte for byte") {
  CakEnv e;
  allocate(e);
  e.accept(m301("A2", {TP{.nr = "300202"}}, C2));
  e.accept(m305("S1", {SP{}}));
  e.accept(m305("S2", {SP{.nr = "300202", .begin = "2025-04-07"}}, P1, C2));
  const auto r1 = e.run(day("2025-04-15"));
  REQUIRE(r1.lines.size() == 2);
  e.accept(m307("T1", {STP{.eind = "2025-05-09"}}));
  const auto r2 = e.run(day("2025-07-15"));
  REQUIRE(r2.lines.size() == 1);

  const std::string csv1 = e.file(r1.csv), jsonl1 = e.file(r1.jsonl);
  const std::string csv2 = e.file(r2.csv), jsonl2 = e.file(r2.jsonl);
  for (const auto& p : {r1.csv, r1.jsonl, r2.csv, r2.jsonl}) std::filesystem::remove(p);

  // Another day and language: the export is written from the ledger alone.
  auto o = e.options(day("2025-09-01"));
  o.lang = explain::Lang::en;
  o.rewrite = 1;
  const auto w1 = cak::run(e.db(), o);
  CHECK(w1.rewritten);
  CHECK(w1.export_record.number == 1);
  CHECK(w1.export_record.made_on == "2025-04-15");
  CHECK(strs(w1.lines) == strs(r1.lines));
  CHECK(e.file(w1.csv) == csv1);
  CHECK(e.file(w1.jsonl) == jsonl1);
  CHECK_FALSE(std::filesystem::exists(r2.csv));

  o.rewrite = 2;
  const auto w2 = cak::run(e.db(), o);
  CHECK(w2.rewritten);
  CHECK(e.file(w2.csv) == csv2);
  CHECK(e.file(w2.jsonl) == jsonl2);

  // Nothing new was recorded.
  CHECK(e.ledger->cak_exports().size() == 2);
  CHECK(e.ledger->cak_episodes().size() == 2);

  SUBCASE("an export that does not exist is a ConfigError") {
    o.rewrite = 3;
    CHECK_THROWS_AS(cak::run(e.db(), o), ConfigError);
    o.rewrite = 0;
    CHECK_THROWS_AS(cak::run(e.db(), o), ConfigError);
    CHECK_FALSE(std::filesystem::exists(e.out_dir.path / "cak-export-0003.csv"));
    CHECK(e.ledger->cak_exports().size() == 2);
  }
  SUBCASE("near miss: on a ledger without exports even export 1 does not exist") {
    CakEnv fresh;
    allocate(fresh);
    auto fo = fresh.options(day("2025-04-15"));
    fo.rewrite = 1;
    CHECK_THROWS_AS(cak::run(fresh.db(), fo), ConfigError);
    CHECK(fresh.ledger->cak_exports().empty());
  }
}

TEST_CASE("cak: rewrite is byte for byte when an Identificatie holds a space") {
  // LDT_IdentificatieBericht allows inner spaces (pattern ".*\S.*", at most 12 characters).
  CakEnv e;
  allocate(e);
  e.accept(m305("START 1", {SP{}}));
  const auto r1 = e.run(day("2025-04-15"));
  REQUIRE(r1.lines.size() == 1);
  CHECK(r1.lines[0].evidence == std::vector<std::string>{"WMO305:START 1"});
  // The ledger keeps the evidence as it was written.
  const auto recorded = e.ledger->cak_lines(1);
  REQUIRE(recorded.size() == 1);
  CHECK(recorded[0].evidence.size() == 1);
  CHECK(recorded[0].evidence.front() == "WMO305:START 1");

  const std::string csv1 = e.file(r1.csv), jsonl1 = e.file(r1.jsonl);
  std::filesystem::remove(r1.csv);
  std::filesystem::remove(r1.jsonl);
  auto o = e.options(day("2025-04-15"));
  o.rewrite = 1;
  const auto w1 = cak::run(e.db(), o);
  CHECK(e.file(w1.csv) == csv1);
  CHECK(e.file(w1.jsonl) == jsonl1);
}

TEST_CASE("cak: nothing dated after today is reported") {
  CakEnv e;
  allocate(e);
  e.accept(m305("S1", {SP{.begin = "2025-04-20"}}));
  e.accept(m307("T1", {STP{.begin = "2025-04-20", .reden = "02", .eind = "2025-07-20"}}));

  // The start lies after today: it waits for a later export.
  CHECK(e.run(day("2025-04-15")).lines.empty());
  // The stop lies after today (in the same month): not a stop yet.
  CHECK(strs(e.run(day("2025-07-15")).lines) ==
        std::vector<std::string>{C1 + " #1 start 2025-04-20 prev=- status=1 start"});
  CHECK(strs(e.run(day("2025-07-21")).lines) ==
        std::vector<std::string>{C1 + " #1 stop 2025-07-20 prev=- status=1 stop"});
}

TEST_CASE("cak: a definitive stop is a stop line - deleting it withdraws the stop") {
  CakEnv e;
  allocate(e);
  e.accept(m305("S1", {SP{}}));
  CHECK(e.run(day("2025-04-15")).lines.size() == 1);

  e.accept(m307("T1", {STP{.reden = "02", .eind = "2025-06-30"}}));
  const auto r2 = e.run(day("2025-07-15"));
  CHECK(strs(r2.lines) ==
        std::vector<std::string>{C1 + " #1 stop 2025-06-30 prev=- status=1 stop"});
  REQUIRE(r2.lines.size() == 1);
  CHECK(contains(r2.lines[0].evidence, "WMO307:T1"));
  CHECK(r2.stopped == 1);
  auto eps = e.ledger->cak_episodes();
  REQUIRE(eps.size() == 1);
  CHECK(eps[0].stopdatum == std::optional<std::string>("2025-06-30"));

  // The stop was a mistake: the provider deletes it, care goes on.
  e.accept(m307("T2", {STP{.reden = "02", .eind = "2025-06-30", .status = "3"}}));
  const auto r3 = e.run(day("2025-07-20"));
  CHECK(strs(r3.lines) == std::vector<std::string>{
                              C1 + " #1 stop 2025-06-30 prev=2025-06-30 status=3 stop-withdrawn"});
  REQUIRE(r3.lines.size() == 1);
  CHECK(contains(r3.lines[0].evidence, "WMO307:T2"));
  CHECK(r3.running == 1);
  CHECK(r3.stopped == 0);
  eps = e.ledger->cak_episodes();
  REQUIRE(eps.size() == 1);
  CHECK_FALSE(eps[0].stopdatum);
  CHECK_FALSE(eps[0].withdrawn);

  const auto rows = reconcile::csv::parse(e.file(r3.csv), "cak-export-0003.csv", ';');
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].fields.at(6) == "2025-06-30");
  CHECK(rows[1].fields.at(7) == "3");
}

TEST_CASE("cak: diff keeps numbers, withdraws what no longer exists and never reuses numbers") {
  auto rec = [](std::int64_t nr, const std::string& bsn, const std::string& start,
                std::optional<std::string> stop = std::nullopt, bool withdrawn = false) {
    ledger::CakEpisodeRecord r;
    r.eb_start_nummer = nr;
    r.gemeente = G;
    r.bsn = bsn;
    r.startdatum = start;
    r.stopdatum = std::move(stop);
    r.withdrawn = withdrawn;
    r.first_export = 1;
    return r;
  };
  auto ep = [](const std::string& bsn, const char* start,
               std::optional<Date> stop = std::nullopt, std::string reason = "") {
    cak::Episode e;
    e.gemeente = G;
    e.bsn = bsn;
    e.start = day(start);
    e.stop = stop;
    if (stop) e.stop_reason = reason.empty() ? "stop" : reason;
    e.start_evidence = {"WMO305:" + bsn};
    if (stop) e.stop_evidence = {"WMO307:" + bsn};
    return e;
  };
  // "<bsn> #<nr> <kind> <datum> prev=<previous> status=<n> <reason>" of the changes.
  auto lines = [](const cak::Diff& d) {
    std::vector<std::string> out;
    for (const auto& c : d.changes)
      out.push_back(fmt::format("{} #{} {} {} prev={} status={} {}", c.bsn, c.eb_start_nummer,
                                c.kind, c.datum.to_string(),
                                c.previous ? c.previous->to_string() : "-", c.status, c.reason));
    return out;
  };

  SUBCASE("unchanged episodes keep their numbers and give nothing") {
    const auto d = cak::diff({rec(1, C1, "2025-04-03"), rec(2, C2, "2025-04-07", "2025-05-31")},
                             {ep(C1, "2025-04-03"), ep(C2, "2025-04-07", day("2025-05-31"))});
    CHECK(d.changes.empty());
    CHECK(d.episodes.empty());
  }

  SUBCASE("a changed date keeps the number") {
    const auto d = cak::diff({rec(7, C1, "2025-04-10", "2025-05-09")},
                             {ep(C1, "2025-04-03", day("2025-05-20"), "stop-pause")});
    CHECK(lines(d) == std::vector<std::string>{
                          C1 + " #7 start 2025-04-03 prev=2025-04-10 status=2 start-changed",
                          C1 + " #7 stop 2025-05-20 prev=2025-05-09 status=2 stop-changed"});
    REQUIRE(d.episodes.size() == 1);
    CHECK(d.episodes[0].eb_start_nummer == 7);
    CHECK(d.episodes[0].startdatum == "2025-04-03");
    CHECK(d.episodes[0].stopdatum == std::optional<std::string>("2025-05-20"));
    CHECK(d.episodes[0].first_export == 1);
  }

  SUBCASE("two reported episodes merged into one: the stop and the second are withdrawn") {
    const auto d = cak::diff(
        {rec(1, C1, "2025-04-03", "2025-05-09"), rec(2, C1, "2025-07-01")},
        {ep(C1, "2025-04-03")}, {{{G, C1}, {"WMO307:DEL"}}});
    CHECK(lines(d) == std::vector<std::string>{
                          C1 + " #1 stop 2025-05-09 prev=2025-05-09 status=3 stop-withdrawn",
                          C1 + " #2 start 2025-07-01 prev=2025-07-01 status=3 episode-withdrawn"});
    REQUIRE(d.changes.size() == 2);
    CHECK(d.changes[0].evidence == std::vector<std::string>{"WMO307:DEL", "WMO305:" + C1});
    CHECK(d.changes[1].evidence == std::vector<std::string>{"WMO307:DEL"});
    REQUIRE(d.episodes.size() == 2);
    CHECK(d.episodes[0].eb_start_nummer == 1);
    CHECK_FALSE(d.episodes[0].stopdatum);
    CHECK_FALSE(d.episodes[0].withdrawn);
    CHECK(d.episodes[1].eb_start_nummer == 2);
    CHECK(d.episodes[1].withdrawn);
  }

  SUBCASE("new numbers continue after the highest reported, withdrawn ones included") {
    const auto d = cak::diff(
        {rec(1, C1, "2025-04-03"), rec(5, C2, "2025-04-07", std::nullopt, true)},
        {ep(C1, "2025-04-03"), ep(C2, "2025-04-07", day("2025-06-30")), ep(C2, "2025-09-01")});
    // The withdrawn #5 is not matched again: C2's episodes are new, numbered 6 and 7.
    CHECK(lines(d) == std::vector<std::string>{
                          C2 + " #6 start 2025-04-07 prev=- status=1 start",
                          C2 + " #6 stop 2025-06-30 prev=- status=1 stop",
                          C2 + " #7 start 2025-09-01 prev=- status=1 start"});
    REQUIRE(d.episodes.size() == 2);
    CHECK(d.episodes[0].eb_start_nummer == 6);
    CHECK(d.episodes[0].stopdatum == std::optional<std::string>("2025-06-30"));
    CHECK(d.episodes[1].eb_start_nummer == 7);
    CHECK_FALSE(d.episodes[1].stopdatum);
  }

  SUBCASE("a split episode: the first keeps its number and stops, the second is new") {
    const auto d = cak::diff({rec(3, C1, "2025-04-03")},
                             {ep(C1, "2025-04-03", day("2025-05-09"), "stop-pause"),
                              ep(C1, "2025-07-01")});
    CHECK(lines(d) == std::vector<std::string>{
                          C1 + " #3 stop 2025-05-09 prev=- status=1 stop-pause",
                          C1 + " #4 start 2025-07-01 prev=- status=1 start"});
  }
}

}  // TEST_SUITE
