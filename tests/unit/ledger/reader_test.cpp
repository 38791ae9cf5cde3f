// ledger::Reader: the read-only connection's version check, table scans and listing.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include <algorithm>
#include <vector>

#include "../ingest/ingest_env.hpp"
#include "core/errors.hpp"
#include "core/ledger/ledger.hpp"
#include "core/ledger/reader.hpp"
#include "raw_sqlite.hpp"
#include "test_ledger.hpp"

using namespace istd;
using namespace istd::ledger;
using istd::test::TempDir;

namespace {

NewMessage row(const std::string& type, const std::string& id, const std::string& route,
               Role role = Role::input) {
  NewMessage m;
  m.role = role;
  m.type = type;
  m.identificatie = id;
  m.bytes = "<" + id + "/>";
  m.verdict = role == Role::input ? Verdict::accepted : Verdict::recorded;
  m.route_path = route;
  return m;
}

AllocationVersion version(MessageId msg, std::int64_t nummer, const std::string& datum) {
  AllocationVersion v;
  v.message_id = msg;
  v.gemeente = "0363";
  v.toewijzing_nummer = nummer;
  v.toewijzingsdatum = datum;
  v.toewijzingstijd = "12:00:00";
  v.bsn = "999900031";
  v.agb = "65656055";
  v.ingangsdatum = "2025-01-01";
  return v;
}

}  // namespace

TEST_SUITE("ledger") {

TEST_CASE("ledger: a Reader refuses a missing file and schema versions it cannot read (SQLite)") {
  TempDir d;
  const auto db = d.path / "l.db";
  CHECK_THROWS_WITH_AS(Reader{db}, doctest::Contains("no such ledger"), ConfigError);
  { Ledger l(db); }
  {
    const Reader r(db);
    CHECK(r.schema_version() == kSchemaVersion);
    CHECK(r.max_message_id() == 0);
  }
  raw_exec(db, "UPDATE schema_version SET version = 99");
  const std::string want = "ledger schema version 99 (this istd reads versions 1 to " +
                           std::to_string(kSchemaVersion) + "; use a newer istd)";
  CHECK_THROWS_WITH_AS(Reader{db}, doctest::Contains(want.c_str()), ConfigError);
  // An older version is read as it is (never migrated: the connection is read-only).
  raw_exec(db, "UPDATE schema_version SET version = 1");
  CHECK(Reader(db).schema_version() == 1);
}

TEST_CASE("ledger: Reader scans give the rows the Ledger wrote, in their documented order") {
  TempDir d;
  const auto db = d.path / "l.db";
  {
    Ledger l(test::ledger_at(db));
    auto tx = l.begin();
    const auto m301 = l.add_message(row("WMO301", "A1", "65656055/WMO301/a1.xml"));
    const auto m305 = l.add_message(row("WMO305", "S1", "0363/WMO305/s1.xml"));
    l.add_message(row("WMO306", "ISTD00000003", "65656055/WMO306/r.xml", Role::output));
    const auto m323 = l.add_message(row("WMO323", "D1", "0363/WMO323/d1.xml"));
    l.add_allocation_version(version(m301, 7, "2025-02-01"));
    l.add_allocation_version(version(m301, 3, "2025-01-01"));
    l.add_allocation_version(version(m301, 7, "2025-01-15"));
    StartRecord s;
    s.agb = "65656055";
    s.gemeente = "0363";
    s.bsn = "999900031";
    s.toewijzing_nummer = 7;
    s.begindatum = "2025-02-03";
    s.inserted_by = m305;
    const auto numbered = l.add_start(s);
    l.delete_start(numbered, m305);
    s.toewijzing_nummer.reset();  // taakgericht: no ToewijzingNummer
    l.add_start(s);
    for (int k = 0; k < 2; ++k) {
      DeclarationRecord dr;
      dr.message_id = m323;
      dr.agb = "65656055";
      dr.gemeente = "0363";
      dr.declaratie_nummer = "N" + std::to_string(k);
      dr.periode_begin = "2025-06-01";
      dr.periode_eind = "2025-06-30";
      dr.intake_codes = k == 0 ? std::vector<std::string>{"9056", "8848"}
                               : std::vector<std::string>{};
      const auto decl = l.add_declaration(dr);
      for (int p = 0; p < 2; ++p) {
        PrestatieRecord pr;
        pr.declaration_id = decl;
        pr.position = 1 - p;
        pr.referentie_nummer = "R" + std::to_string(k) + std::to_string(p);
        pr.debet_credit = "D";
        l.add_prestatie(pr);
      }
    }
    tx.commit();
  }
  const Reader r(test::ledger_at(db));
  CHECK(r.max_message_id() == 4);
  std::vector<std::string> labels;
  for (const auto& m : r.functional_inputs()) labels.push_back(m.type + ":" + m.identificatie);
  std::sort(labels.begin(), labels.end());
  CHECK(labels == std::vector<std::string>{"WMO301:A1", "WMO305:S1"});

  std::vector<std::string> versions;
  r.for_each_allocation_version([&](AllocationVersion&& v) {
    versions.push_back(std::to_string(v.toewijzing_nummer) + " " + v.toewijzingsdatum);
  });
  CHECK(versions == std::vector<std::string>{"3 2025-01-01", "7 2025-01-15", "7 2025-02-01"});

  std::vector<StartRecord> starts;
  r.for_each_numbered_start([&](StartRecord&& s) { starts.push_back(std::move(s)); });
  REQUIRE(starts.size() == 1);
  CHECK(starts[0].toewijzing_nummer == 7);
  CHECK(starts[0].deleted_by == 2);
  int stops = 0;
  r.for_each_numbered_stop([&](StopRecord&&) { ++stops; });
  CHECK(stops == 0);

  std::vector<DeclarationRecord> decls;
  r.for_each_declaration([&](DeclarationRecord&& dr) { decls.push_back(std::move(dr)); });
  REQUIRE(decls.size() == 2);
  CHECK(decls[0].intake_codes == std::vector<std::string>{"9056", "8848"});
  CHECK(decls[1].declaratie_nummer == "N1");
  std::vector<std::string> refs;
  r.for_each_prestatie([&](RowId decl) { return decl == decls[1].id; },
                       [&](PrestatieRecord&& p) { refs.push_back(p.referentie_nummer); });
  CHECK(refs == std::vector<std::string>{"R10", "R11"});  // by id, not by position
}

TEST_CASE("ledger: Reader::routed_to lists a party's messages by the first part of their route") {
  TempDir d;
  const auto db = d.path / "l.db";
  Ledger l(test::ledger_at(db));
  {
    auto tx = l.begin();
    l.add_message(row("WMO305", "S1", "0363/WMO305/s1.xml"));
    l.add_message(row("WMO306", "ISTD00000002", "65656055/WMO306/r.xml", Role::output));
    l.add_message(row("WMO305", "S2", "03630/WMO305/s2.xml"));  // another party
    l.add_message(row("WMO305", "S3", "quarantine/s3.xml"));
    l.add_message(row("WMO305", "S4", "0363/WMO305/s4.xml"));
    tx.commit();
  }
  const Reader r(test::ledger_at(db));
  auto ids = [](const std::vector<RoutedMessage>& v) {
    std::vector<MessageId> out;
    for (const auto& m : v) out.push_back(m.id);
    return out;
  };
  CHECK(ids(r.routed_to("0363", 0, "", 10)) == std::vector<MessageId>{1, 5});
  CHECK(ids(r.routed_to("0363", 1, "", 10)) == std::vector<MessageId>{5});
  CHECK(ids(r.routed_to("0363", 0, "", 1)) == std::vector<MessageId>{1});
  CHECK(ids(r.routed_to("65656055", 0, "", 10)) == std::vector<MessageId>{2});
  CHECK(r.routed_to("0363", 0, "9999", 10).empty());  // received before that time
  const auto listed = r.routed_to("0363", 0, "", 10);
  CHECK(listed[0].received_at.size() == 20);  // "YYYY-MM-DDTHH:MM:SSZ"
}

}  // TEST_SUITE
