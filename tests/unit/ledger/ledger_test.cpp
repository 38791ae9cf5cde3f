// The SQLite ledger: creation, versioning, reopening, lookups and the reconcile write API.
#include "core/ledger/ledger.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <fstream>
#include <functional>

#include "../ingest/ingest_env.hpp"
#include "core/errors.hpp"
#include "core/ledger/pg.hpp"
#include "core/util/read_file.hpp"
#include "raw_sqlite.hpp"
#include "test_ledger.hpp"

using namespace istd;
using namespace istd::ledger;
using istd::test::TempDir;

namespace {

NewMessage input(const std::string& id, const std::string& bytes) {
  NewMessage m;
  m.type = "WMO305";
  m.berichtcode = "418";
  m.afzender = "65656055";
  m.ontvanger = "0363";
  m.identificatie = id;
  m.dagtekening = "2025-08-01";
  m.bytes = bytes;
  m.verdict = Verdict::accepted;
  m.route_path = "0363/WMO305/" + id + ".xml";
  return m;
}

/// Allocation 300201 of gemeente 0363 for client 999900006 at provider 65656055, from 2025-04-01,
/// given at `datum` `tijd` in message `m`.
AllocationVersion allocation(MessageId m, const std::string& datum, const std::string& tijd) {
  AllocationVersion v;
  v.message_id = m;
  v.gemeente = "0363";
  v.toewijzing_nummer = 300201;
  v.bsn = "999900006";
  v.agb = "65656055";
  v.ingangsdatum = "2025-04-01";
  v.toewijzingsdatum = datum;
  v.toewijzingstijd = tijd;
  return v;
}

/// A start of that client's allocation-less product (no ToewijzingNummer) on `begindatum`.
StartRecord start(MessageId by, const std::string& begindatum) {
  StartRecord s;
  s.agb = "65656055";
  s.gemeente = "0363";
  s.bsn = "999900006";
  s.begindatum = begindatum;
  s.inserted_by = by;
  return s;
}

using test::commit_elsewhere;
using test::read_elsewhere;

/// A ledger at a new place (PostgreSQL in the tests that use commit_elsewhere) holding one
/// committed message, `m`.
struct LedgerWithMessage {
  TempDir d;
  std::string where = test::ledger_at(d.path / "l.db").string();
  Ledger l{where};
  MessageId m = [this] {
    auto tx = l.begin();
    const auto id = l.add_message(input("M1", "a"));
    tx.commit();
    return id;
  }();
};

}  // namespace

TEST_SUITE("ledger") {

/// Takes a current ledger back to schema 5 as released (no domain columns; the
/// allocation_versions UNIQUE without the domain). Only for ledgers without allocations.
static void back_to_schema_5(const std::filesystem::path& db) {
  raw_exec(db,
           "DROP TABLE allocation_versions;"
           "CREATE TABLE allocation_versions(id INTEGER PRIMARY KEY, message_id INTEGER NOT NULL "
           "REFERENCES messages(id), gemeente TEXT NOT NULL, toewijzing_nummer INTEGER NOT NULL, "
           "toewijzingsdatum TEXT NOT NULL, toewijzingstijd TEXT NOT NULL, bsn TEXT NOT NULL, "
           "agb TEXT NOT NULL, categorie TEXT, code TEXT, ingangsdatum TEXT NOT NULL, einddatum "
           "TEXT, reden_wijziging TEXT, volume INTEGER, eenheid TEXT, frequentie TEXT, budget "
           "INTEGER, referentie_aanbieder TEXT, UNIQUE(gemeente, toewijzing_nummer, "
           "toewijzingsdatum, toewijzingstijd));"
           "CREATE INDEX allocation_bsn ON allocation_versions(bsn);"
           "CREATE INDEX allocation_client ON allocation_versions(gemeente, agb, bsn);"
           "CREATE INDEX allocation_agb ON allocation_versions(agb, gemeente);"
           "CREATE INDEX allocation_ref ON allocation_versions(agb, referentie_aanbieder) "
           "WHERE referentie_aanbieder IS NOT NULL;"
           "ALTER TABLE starts DROP COLUMN domain; ALTER TABLE stops DROP COLUMN domain;"
           "ALTER TABLE declarations DROP COLUMN domain; ALTER TABLE prestaties DROP COLUMN domain;"
           "ALTER TABLE requests DROP COLUMN domain; ALTER TABLE answers DROP COLUMN domain;"
           "UPDATE schema_version SET version = 5;");
}

TEST_CASE("ledger: a new file gets the current schema and reopens with its data") {
  TempDir d;
  const auto db = d.path / "l.db";
  {
    Ledger l(test::ledger_at(db));
    CHECK(l.schema_version() == kSchemaVersion);
    auto tx = l.begin();
    l.add_message(input("M1", "<a/>"));
    tx.commit();
  }
  Ledger l(test::ledger_at(db));
  CHECK(l.message_count() == 1);
  CHECK(l.message(1).bytes == "<a/>");
}

TEST_CASE("ledger: a file with a newer schema version is refused with a clear error (SQLite)") {
  TempDir d;
  const auto db = d.path / "l.db";
  { Ledger l(db); }
  raw_exec(db, "UPDATE schema_version SET version = 99");
  const std::string want = "has schema version 99, newer than this istd supports (" +
                           std::to_string(kSchemaVersion) + "); use a newer istd";
  CHECK_THROWS_WITH_AS(Ledger{db}, doctest::Contains(want.c_str()), ConfigError);
}

TEST_CASE("ledger: migrations run from version 0 and keep existing rows of schema_version (SQLite)") {
  TempDir d;
  const auto db = d.path / "l.db";
  raw_exec(db, "CREATE TABLE schema_version(version INTEGER NOT NULL);"
               "INSERT INTO schema_version VALUES (0);");
  Ledger l(db);
  CHECK(l.schema_version() == kSchemaVersion);
  CHECK(l.message_count() == 0);
}

TEST_CASE("ledger: a version 1 file is migrated to partial message indexes, rows and lookups kept (SQLite)") {
  TempDir d;
  const auto db = d.path / "l.db";
  {
    Ledger l(db);
    auto tx = l.begin();
    const auto in = l.add_message(input("M1", "<x>1</x>"));
    auto out = input("R1", "<r>1</r>");
    out.role = Role::output;
    out.reply_to = in;
    l.add_message(out);
    tx.commit();
  }
  // Back to version 1 as it was released: full indexes, no message_bytes.encoding (these tiny
  // bytes are stored raw, as version 1 stored every row).
  CHECK(raw_query(db, "SELECT group_concat(encoding) FROM message_bytes") == "0,0\n");
  back_to_schema_5(db);
  raw_exec(db,
           "ALTER TABLE message_bytes DROP COLUMN encoding;"
           "DROP INDEX messages_tr056; DROP INDEX messages_hash; DROP INDEX messages_reply;"
           "CREATE INDEX messages_tr056 ON messages(berichtcode, afzender, identificatie);"
           "CREATE INDEX messages_hash ON messages(content_hash);"
           "CREATE INDEX messages_reply ON messages(reply_to);"
           "DROP TABLE cak_lines; DROP TABLE cak_episodes; DROP TABLE cak_exports;"
           "DROP TABLE requests; DROP TABLE answers; DROP INDEX allocation_ref;"
           "UPDATE schema_version SET version = 1;");
  auto index_sql = [&](const std::string& name) {
    return raw_query(db, "SELECT sql FROM sqlite_master WHERE name = '" + name + "'");
  };
  Ledger l(db);
  CHECK(l.schema_version() == kSchemaVersion);
  CHECK(index_sql("messages_tr056").find("WHERE role = 'input'") != std::string::npos);
  CHECK(index_sql("messages_hash").find("WHERE role = 'input'") != std::string::npos);
  CHECK(index_sql("messages_reply").find("WHERE reply_to IS NOT NULL") != std::string::npos);
  CHECK(l.message_count() == 2);
  CHECK(l.inputs_with_bytes("<x>1</x>").size() == 1);
  CHECK(l.inputs_with_bytes("<r>1</r>").empty());  // outputs are never duplicates of inputs
  CHECK(l.inputs_by_key("418", "65656055", "M1").size() == 1);
  REQUIRE(l.reply_of(1));
  CHECK(l.reply_of(1)->identificatie == "R1");
  CHECK_FALSE(l.reply_of(2));
}

// A realistic message: the bench and the sample month are 1-3 KB of iWmo XML.
std::string fixture_message() {
  std::ifstream f(std::string(ISTD_SOURCE_DIR) + "/fixtures/messages/WMO305-start-multiple-aspecific.xml",
                  std::ios::binary);
  REQUIRE(f);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

TEST_CASE("ledger: message bytes are stored compressed and read back exactly (SQLite)") {
  TempDir d;
  const auto db = d.path / "l.db";
  const std::string xml = fixture_message();
  REQUIRE(xml.size() > 1500);
  Ledger l(db);
  MessageId in = 0, out = 0;
  {
    auto tx = l.begin();
    in = l.add_message(input("M1", xml));
    auto o = input("R1", "placeholder");
    o.role = Role::output;
    o.reply_to = in;
    out = l.add_message(o);
    l.set_message_bytes(out, xml + "<!-- answer -->");
    tx.commit();
  }
  const auto stored = raw_query(db, "SELECT length(bytes) || ' ' || encoding FROM message_bytes "
                                    "ORDER BY id");
  const auto first = std::stoul(stored.substr(0, stored.find(' ')));
  CAPTURE(stored);
  CHECK(first < xml.size() / 2);
  CHECK(stored.substr(stored.find(' '), 3) == " 1\n");
  CHECK(l.message(in).bytes == xml);
  CHECK(l.message(out).bytes == xml + "<!-- answer -->");
  CHECK(l.message(out).content_hash == content_hash(xml + "<!-- answer -->"));
  // Duplicate detection compares the original bytes.
  CHECK(l.inputs_with_bytes(xml).size() == 1);
  CHECK(l.inputs_with_bytes(xml + " ").empty());
  // Recovery writes the original bytes.
  auto pending = l.unmaterialised();
  REQUIRE(pending.size() == 2);
  CHECK(pending[0].bytes == xml);
  // A caller's own pack() of the bytes is stored as given (ingest packs on its validation
  // threads); the row reads back the same.
  auto m2 = input("M2", xml + "\n");
  m2.packed = pack(m2.bytes);
  {
    auto tx = l.begin();
    const auto id = l.add_message(m2);
    tx.commit();
    CHECK(l.message(id).bytes == xml + "\n");
  }
}

TEST_CASE("ledger: bytes compression cannot shrink are stored raw, even a zstd frame (SQLite)") {
  TempDir d;
  const auto db = d.path / "l.db";
  // Someone's compressed file given as input (it gets quarantined): it must come back as
  // the file, not as what it decompresses to.
  const std::string frame = pack(fixture_message()).data;
  REQUIRE(pack(fixture_message()).encoding == Encoding::zstd);
  CHECK(pack(frame).encoding == Encoding::raw);
  CHECK(pack("").encoding == Encoding::raw);
  CHECK(pack("<a/>").data == "<a/>");
  Ledger l(db);
  auto tx = l.begin();
  const auto id = l.add_message(input("Z1", frame));
  const auto empty = l.add_message(input("Z2", ""));
  tx.commit();
  CHECK(raw_query(db, "SELECT encoding FROM message_bytes WHERE id = " + std::to_string(id)) ==
        "0\n");
  CHECK(l.message(id).bytes == frame);
  CHECK(l.message(empty).bytes.empty());
}

TEST_CASE("ledger: a version 2 file is migrated - its raw rows read as they are (SQLite)") {
  TempDir d;
  const auto db = d.path / "l.db";
  const std::string xml = fixture_message();
  REQUIRE(xml.find('\'') == std::string::npos);
  { Ledger l(db); }
  back_to_schema_5(db);
  // Version 2 as released: message_bytes(id, bytes), every row raw.
  raw_exec(db, "ALTER TABLE message_bytes DROP COLUMN encoding;"
               "DROP TABLE cak_lines; DROP TABLE cak_episodes; DROP TABLE cak_exports;"
               "DROP TABLE requests; DROP TABLE answers; DROP INDEX allocation_ref;"
               "UPDATE schema_version SET version = 2;");
  {
    sqlite3* h = nullptr;
    REQUIRE(sqlite3_open(db.c_str(), &h) == SQLITE_OK);
    const std::string sql =
        "INSERT INTO messages VALUES(1, 'input', 'WMO305', '418', '65656055', '0363', 'M1', "
        "'2025-08-01', '3.2.0', '3.2.0', 'a.xml', " +
        std::to_string(content_hash(xml)) +
        ", 'accepted', 0, '[]', NULL, '0363/WMO305/M1.xml', NULL, '2025-08-01T00:00:00Z');"
        "INSERT INTO message_bytes VALUES(1, CAST('" +
        xml + "' AS BLOB));";
    REQUIRE(sqlite3_exec(h, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(h);
  }
  Ledger l(db);
  CHECK(l.schema_version() == kSchemaVersion);
  CHECK(raw_query(db, "SELECT encoding FROM message_bytes") == "0\n");
  CHECK(l.message(1).bytes == xml);
  CHECK(l.inputs_with_bytes(xml).size() == 1);  // a re-delivery is still a duplicate
  auto tx = l.begin();
  const auto id = l.add_message(input("M2", xml + "\n"));
  tx.commit();
  CHECK(raw_query(db, "SELECT encoding FROM message_bytes WHERE id = " + std::to_string(id)) ==
        "1\n");
  CHECK(l.message(id).bytes == xml + "\n");
}

TEST_CASE("ledger: damaged stored bytes, or an encoding from a newer istd, give a clear error (SQLite)") {
  TempDir d;
  const auto db = d.path / "l.db";
  {
    Ledger l(db);
    auto tx = l.begin();
    l.add_message(input("M1", fixture_message()));
    tx.commit();
  }
  SUBCASE("unknown encoding") {
    raw_exec(db, "UPDATE message_bytes SET encoding = 7");
    Ledger l(db);
    CHECK_THROWS_WITH_AS(l.message(1),
                         doctest::Contains("encoding 7, unknown to this istd; use a newer istd"),
                         RuntimeError);
  }
  SUBCASE("not a frame") {
    raw_exec(db, "UPDATE message_bytes SET bytes = X'3C613E'");
    Ledger l(db);
    CHECK_THROWS_WITH_AS(l.message(1), doctest::Contains("stored message bytes are damaged"),
                         RuntimeError);
  }
  SUBCASE("a cut-off frame") {
    raw_exec(db, "UPDATE message_bytes SET bytes = substr(bytes, 1, length(bytes) - 20)");
    Ledger l(db);
    CHECK_THROWS_WITH_AS(l.message(1), doctest::Contains("stored message bytes are damaged"),
                         RuntimeError);
  }
}

TEST_CASE("ledger: the message lookups use their (partial) indexes (SQLite)") {
  TempDir d;
  const auto db = d.path / "l.db";
  { Ledger l(db); }
  auto plan = [&](const std::string& q) { return raw_query(db, "EXPLAIN QUERY PLAN " + q, 3); };
  CHECK(plan("SELECT * FROM messages WHERE berichtcode = ?1 AND afzender = ?2 AND "
             "identificatie = ?3 AND role = 'input' ORDER BY id")
            .find("INDEX messages_tr056") != std::string::npos);
  CHECK(plan("SELECT * FROM messages WHERE content_hash = ?1 AND role = 'input' ORDER BY id")
            .find("INDEX messages_hash") != std::string::npos);
  CHECK(plan("SELECT * FROM messages WHERE reply_to = ?1 ORDER BY id LIMIT 1")
            .find("INDEX messages_reply") != std::string::npos);
}

TEST_CASE("ledger: a file that is not an istd ledger is refused (SQLite)") {
  TempDir d;
  SUBCASE("another SQLite database") {
    raw_exec(d.path / "o.db", "CREATE TABLE t(x);");
    CHECK_THROWS_WITH_AS(Ledger(d.path / "o.db"),
                         doctest::Contains("not an istd ledger (SQLite file without a "
                                           "schema_version table)"),
                         ConfigError);
  }
  SUBCASE("not SQLite at all") {
    std::ofstream(d.path / "x.db") << "this is not a database, but long enough to be read as one "
                                      "by sqlite when it opens the file header....................";
    CHECK_THROWS_AS(Ledger(d.path / "x.db"), ConfigError);
  }
  SUBCASE("missing and create=false") {
    OpenOptions o;
    o.create = false;
    CHECK_THROWS_AS(Ledger(d.path / "missing.db", o), RuntimeError);
  }
}

TEST_CASE("ledger: duplicates are found by bytes, TR056 candidates by key") {
  TempDir d;
  Ledger l(test::ledger_at(d.path / "l.db"));
  auto tx = l.begin();
  l.add_message(input("M1", "<x>1</x>"));
  CHECK(l.inputs_with_bytes("<x>1</x>").size() == 1);
  CHECK(l.inputs_with_bytes("<x>2</x>").empty());
  CHECK(l.inputs_by_key("418", "65656055", "M1").size() == 1);
  CHECK(l.inputs_by_key("420", "65656055", "M1").empty());
  CHECK(l.unique_route("0363/WMO305/M1.xml") == "0363/WMO305/M1-2.xml");
  CHECK(l.unique_route("0363/WMO305/M2.xml") == "0363/WMO305/M2.xml");
  tx.commit();
}

TEST_CASE("ledger: earlier_inputs reads re-deliveries, TR056 candidates and taken routes at once") {
  TempDir d;
  Ledger l(test::ledger_at(d.path / "l.db"));
  CHECK_FALSE(l.in_transaction());  // opening (and migrating) ends its transaction
  CHECK_FALSE(l.next_message_id());  // istd numbers rows only inside a write transaction
  auto tx = l.begin();
  l.add_message(input("M1", "<x>1</x>"));
  const std::string taken = "0363/WMO305/M1.xml";
  const std::string free = "0363/WMO305/M1-2.xml";
  auto e = l.earlier_inputs("<x>1</x>", content_hash("<x>1</x>"),
                            Ledger::InputKey{"418", "65656055", "M1"}, {taken, free});
  REQUIRE(e.same_bytes.size() == 1);
  CHECK(e.same_bytes[0].identificatie == "M1");
  REQUIRE(e.same_key.size() == 1);
  CHECK(e.same_key[0].identificatie == "M1");
  CHECK(e.taken == std::vector<std::string>{taken});
  e = l.earlier_inputs("<x>2</x>", content_hash("<x>2</x>"), std::nullopt, {free});
  CHECK(e.same_bytes.empty());
  CHECK(e.same_key.empty());
  CHECK(e.taken.empty());
  // `free` was found free, but another row takes it first (the next free name after `taken`):
  // the row that wanted it must not be lost (on PostgreSQL it would otherwise be sent unchecked).
  auto b = input("M2", "<x>2</x>");
  b.route_path = taken;
  l.add_message_unique_route(b);
  CHECK(b.route_path == free);
  auto c = input("M3", "<x>3</x>");
  c.route_path = free;
  const auto id_c = l.add_message_unique_route(c);
  CHECK(c.route_path == "0363/WMO305/M1-2-2.xml");
  // A route found free is added as asked, under the next id.
  const auto next = l.next_message_id();
  e = l.earlier_inputs("<x>4</x>", content_hash("<x>4</x>"), std::nullopt,
                       {"0363/WMO305/M4.xml"});
  auto f = input("M4", "<x>4</x>");
  const auto id_f = l.add_message_unique_route(f);
  CHECK(f.route_path == "0363/WMO305/M4.xml");
  CHECK(id_f == id_c + 1);
  if (next) CHECK(*next == id_f);
  tx.commit();
  CHECK(l.message(id_f).route_path == "0363/WMO305/M4.xml");
  CHECK(l.message(id_c).route_path == "0363/WMO305/M1-2-2.xml");
  CHECK(l.message_count() == 4);
}

TEST_CASE("ledger: a failed write is reported by the next read or the commit, and leaves nothing") {
  // On PostgreSQL writes are sent without waiting for their answer: the failure of one comes
  // with the next statement that waits. Either way nothing of its transaction stays.
  TempDir d;
  Ledger l(test::ledger_at(d.path / "l.db"));
  auto s = start(424242, "2025-04-03");  // no such message: the foreign key refuses the row
  {
    auto tx = l.begin();
    l.add_message(input("M1", "a"));
    auto write_then_read = [&] {
      l.add_start(s);
      (void)l.live_starts(s.agb, s.gemeente, s.bsn, std::nullopt);
    };
    CHECK_THROWS_AS(write_then_read(), RuntimeError);
    // On PostgreSQL the server aborted the transaction: istd refuses anything but the rollback,
    // saying so (SQLite refused only the one row).
    if (test::ledger_on_postgresql())
      CHECK_THROWS_WITH_AS(l.add_message(input("M9", "z")),
                           doctest::Contains("must be rolled back"), RuntimeError);
  }
  CHECK(l.message_count() == 0);
  {
    auto tx = l.begin();
    l.add_message(input("M2", "b"));
    auto write_then_commit = [&] {
      l.add_start(s);
      tx.commit();
    };
    CHECK_THROWS_AS(write_then_commit(), RuntimeError);
  }
  CHECK(l.message_count() == 0);
  {
    // Reads sent ahead after the failed write (on PostgreSQL pushed to the server, their answers
    // read without a sync): the read that takes its answer reports the failure, and the
    // transaction is rolled back.
    auto tx = l.begin();
    auto fine = start(l.add_message(input("M4", "d")), "");
    const std::vector<std::string> routes{"0363/WMO305/M5.xml"};
    // Once before, so that its statement is prepared (as it is in a running ingest).
    l.expect_earlier_inputs("e", content_hash("e"), std::nullopt, routes);
    (void)l.earlier_inputs("e", content_hash("e"), std::nullopt, routes);
    auto write_then_read_ahead = [&] {
      l.add_start(s);
      // More rows than are held back at once: the refused one is sent with them.
      for (int i = 0; i < 300; ++i) {
        fine.begindatum = fmt::format("2025-{:04}", i);
        l.add_start(fine);
      }
      l.expect_earlier_inputs("e", content_hash("e"), std::nullopt, routes);
      (void)l.earlier_inputs("e", content_hash("e"), std::nullopt, routes);
    };
    CHECK_THROWS_AS(write_then_read_ahead(), RuntimeError);
  }
  CHECK(l.message_count() == 0);
  // The ledger goes on as before.
  auto tx = l.begin();
  const auto m = l.add_message(input("M3", "c"));
  s.inserted_by = m;
  l.add_start(s);
  tx.commit();
  CHECK(l.message_count() == 1);
  CHECK(l.live_starts(s.agb, s.gemeente, s.bsn, std::nullopt).size() == 1);
}

TEST_CASE("ledger: reads sent after many writes get their answers, however many writes") {
  // On PostgreSQL the answers of writes sent without waiting are read every 256 statements:
  // a read sent as the 256th must still get its rows.
  TempDir d;
  Ledger l(test::ledger_at(d.path / "l.db"));
  std::size_t expected = 0;
  for (int writes = 250; writes <= 260; ++writes) {
    auto tx = l.begin();
    const auto m = l.add_message(input("M" + std::to_string(writes), std::to_string(writes)));
    auto s = start(m, "");
    for (int i = 0; i < writes; ++i) {
      s.begindatum = fmt::format("{}-{:04}", writes, i);
      l.add_start(s);
    }
    expected += static_cast<std::size_t>(writes);
    const auto state = l.allocation_state(
        StartKey{s.agb, s.gemeente, s.bsn, std::nullopt, std::nullopt, std::nullopt, "x"});
    CHECK(state.starts.size() == expected);
    tx.commit();
  }
}

TEST_CASE("ledger: new rows are numbered as SQLite numbers rowids, also after a rollback") {
  TempDir d;
  Ledger l(test::ledger_at(d.path / "l.db"));
  auto s = start(0, "2025-04-03");
  {
    auto tx = l.begin();
    CHECK(l.add_message(input("M1", "a")) == 1);
    s.inserted_by = 1;
    CHECK(l.add_start(s) == 1);
    {
      Ledger::Savepoint sp(l);
      CHECK(l.add_message(input("M2", "b")) == 2);
      s.begindatum = "2025-05-01";
      CHECK(l.add_start(s) == 2);
      sp.rollback();
    }
    CHECK(l.add_message(input("M3", "c")) == 2);
    s.begindatum = "2025-06-01";
    CHECK(l.add_start(s) == 2);
    tx.commit();
  }
  {
    auto tx = l.begin();
    CHECK(l.add_message(input("M4", "d")) == 3);
  }  // rolled back
  auto tx = l.begin();
  CHECK(l.add_message(input("M5", "e")) == 3);
  // Allocation versions taken out of force (a rejecting 302) free their numbers, as on SQLite.
  auto v = allocation(3, "2025-04-01", "09:00:00");
  CHECK(l.add_allocation_version(v) == 1);
  v.toewijzingstijd = "10:00:00";
  CHECK(l.add_allocation_version(v) == 2);
  CHECK(l.withdraw_allocations_of(3) == std::vector<std::int64_t>{300201});
  v.toewijzingstijd = "11:00:00";
  CHECK(l.add_allocation_version(v) == 1);
  tx.commit();
  CHECK(l.live_starts(s.agb, s.gemeente, s.bsn, std::nullopt).size() == 2);
}

TEST_CASE("ledger: content_hash fed in pieces equals content_hash of the whole") {
  const std::string bytes = std::string("<a>\0\xff</a>", 9) + std::string(5000, 'x');
  for (std::size_t cut : {std::size_t(0), std::size_t(1), std::size_t(7), bytes.size()}) {
    ContentHasher h;
    h.update(std::string_view(bytes).substr(0, cut));
    h.update(std::string_view(bytes).substr(cut));
    CHECK(h.value() == content_hash(bytes));
  }
  CHECK(ContentHasher().value() == content_hash(""));
}

TEST_CASE("ledger: a file too large to hold is stored, found and read back in pieces, exactly") {
  TempDir d;
  Ledger l(test::ledger_at(d.path / "l.db"));
  // Over a few pieces of 1 MiB and over kHeldBytes; every byte value.
  std::string big(kHeldBytes + 3 * (1u << 20) + 12345, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>((i * 7919) % 251);
  std::string other = big;
  other[other.size() / 2] ^= 1;  // same size, another content
  auto file = [&](const std::string& name, const std::string& bytes) {
    std::ofstream(d.path / name, std::ios::binary) << bytes;
    return util::UniqueFd(::open((d.path / name).c_str(), O_RDONLY | O_CLOEXEC));
  };
  const auto a = file("a.xml", big);
  const auto b = file("b.xml", other);
  NewMessage m;
  m.source = "a.xml";
  m.verdict = Verdict::quarantined;
  m.level = 1;
  m.route_path = "quarantine/a.xml";
  m.reason = "too large";
  auto tx = l.begin();
  const auto r = l.add_message_from_file(m, a.get(), big.size(), content_hash(big));
  REQUIRE(r.status == FileInsert::Status::stored);
  CHECK(l.message(r.id).bytes == big);
  CHECK(l.message(r.id).content_hash == content_hash(big));
  std::string pieces;
  std::size_t n_pieces = 0;
  l.stream_bytes(r.id, [&](std::string_view p) {
    CHECK(p.size() <= (1u << 20));
    pieces += p;
    ++n_pieces;
  });
  CHECK(pieces == big);
  CHECK(n_pieces > 4);
  // Duplicates: the same bytes from a file or in memory; not a file of the same size and hash
  // with other bytes (a collision is simulated by asking with the first file's hash).
  CHECK(l.inputs_with_file(a.get(), big.size(), content_hash(big)).size() == 1);
  CHECK(l.inputs_with_file(b.get(), other.size(), content_hash(big)).empty());
  CHECK(l.inputs_with_bytes(big).size() == 1);
  // The second file, under the same name: its own row and route; a file that changed after it
  // was hashed leaves nothing.
  NewMessage m2 = m;
  const auto r2 = l.add_message_from_file(m2, b.get(), other.size(), content_hash(other));
  REQUIRE(r2.status == FileInsert::Status::stored);
  CHECK(m2.route_path == "quarantine/a-2.xml");
  NewMessage m3 = m;
  const auto count = l.message_count();
  CHECK(l.add_message_from_file(m3, b.get(), other.size(), content_hash(big)).status ==
        FileInsert::Status::changed);
  CHECK(l.add_message_from_file(m3, b.get(), other.size() + 1, content_hash(other)).status ==
        FileInsert::Status::changed);
  CHECK(l.add_message_from_file(m3, b.get(), other.size() - 1, content_hash(other)).status ==
        FileInsert::Status::changed);
  CHECK(l.message_count() == count);
  tx.commit();
  // Unwritten rows: bytes beyond kHeldBytes are left out, to be streamed.
  const auto rows = l.unmaterialised();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].bytes_left_out);
  CHECK(rows[0].bytes.empty());
  CHECK(rows[0].reason == std::optional<std::string>("too large"));
  // SQLite: about 1 GB; PostgreSQL: 64 MiB (docs/postgresql.md).
  CHECK(l.max_message_bytes() >= (test::ledger_on_postgresql() ? 64u << 20 : 900'000'000u));
}

TEST_CASE("ledger: add_message_unique_route takes the next free name when the route is taken") {
  TempDir d;
  Ledger l(test::ledger_at(d.path / "l.db"));
  auto tx = l.begin();
  auto a = input("M1", "<x>1</x>");
  const auto wanted = a.route_path;
  l.add_message_unique_route(a);
  CHECK(a.route_path == wanted);
  auto b = input("M2", "<x>2</x>");
  b.route_path = wanted;
  const auto id_b = l.add_message_unique_route(b);
  CHECK(b.route_path != wanted);
  CHECK(b.route_path == l.message(id_b).route_path);
  auto c = input("M3", "<x>3</x>");
  c.route_path = wanted;
  l.add_message_unique_route(c);
  CHECK(c.route_path != b.route_path);
  CHECK(c.route_path != wanted);
  // The same names unique_route() gives, in the same order.
  const auto stem = wanted.substr(0, wanted.rfind('.'));
  CHECK(b.route_path == stem + "-2.xml");
  CHECK(c.route_path == stem + "-3.xml");
  CHECK(l.unique_route(wanted) == stem + "-4.xml");
  // Plain add_message refuses a taken route, naming it; nothing is inserted.
  auto e = input("M4", "<x>4</x>");
  e.route_path = wanted;
  CHECK_THROWS_WITH_AS(l.add_message(e), doctest::Contains(wanted.c_str()), RuntimeError);
  CHECK(l.inputs_by_key("418", "65656055", "M4").empty());
  tx.commit();
}

TEST_CASE("ledger: a rolled-back savepoint or transaction leaves nothing") {
  TempDir d;
  Ledger l(test::ledger_at(d.path / "l.db"));
  {
    auto tx = l.begin();
    l.add_message(input("M1", "a"));
    {
      Ledger::Savepoint sp(l);
      l.add_message(input("M2", "b"));
      sp.rollback();
    }
    tx.commit();
  }
  CHECK(l.message_count() == 1);
  {
    auto tx = l.begin();
    l.add_message(input("M3", "c"));
  }  // destroyed without commit
  CHECK(l.message_count() == 1);
}

TEST_CASE("ledger: rows written in a transaction are read back at once, and savepoints undo them") {
  // On PostgreSQL a writer holds new rows back and sends many in one statement, and opens a
  // savepoint on the server only when something goes after it: every read must still see the
  // rows written before it, and a rollback to a savepoint must undo exactly what came after it.
  TempDir d;
  Ledger l(test::ledger_at(d.path / "l.db"));
  const StartKey k{"65656055", "0363", "999900006", std::nullopt, std::nullopt, std::nullopt,
                   "2025-07-01"};
  auto begins = [&] {
    std::vector<std::string> out;
    for (const auto& s : l.allocation_state(k).starts) out.push_back(s.begindatum);
    return out;
  };
  // A message whose route earlier_inputs found free: the way ingest adds every message.
  auto add_checked = [&](const std::string& id, const std::string& bytes) {
    auto n = input(id, bytes);
    (void)l.earlier_inputs(bytes, content_hash(bytes), std::nullopt, {n.route_path});
    return l.add_message_unique_route(n);
  };
  MessageId m = 0;
  {
    auto tx = l.begin();
    m = add_checked("M1", "<m>1</m>");
    // The message is found by its bytes, its TR056 key and its route.
    auto e = l.earlier_inputs("<m>1</m>", content_hash("<m>1</m>"),
                              Ledger::InputKey{"418", "65656055", "M1"}, {"0363/WMO305/M1.xml"});
    CHECK(e.same_bytes.size() == 1);
    CHECK(e.same_key.size() == 1);
    CHECK(e.taken.size() == 1);
    l.add_start(start(m, "2025-04-01"));
    CHECK(begins() == std::vector<std::string>{"2025-04-01"});
    // An allocation version is found by its number, and by the client.
    l.add_allocation_version(allocation(m, "2025-03-20", "10:00:00"));
    CHECK(l.allocation_history("0363", 300201).size() == 1);
    CHECK(l.allocations_of_client("0363", "65656055", "999900006").size() == 1);
    CHECK(l.allocation_version_at("0363", 300201, "2025-03-20", "10:00:00"));

    // Rolled back: a row added after the savepoint is gone, the ones before stay.
    {
      Ledger::Savepoint sp(l);
      l.add_start(start(m, "2025-05-01"));
      CHECK(begins().size() == 2);
      sp.rollback();
    }
    CHECK(begins() == std::vector<std::string>{"2025-04-01"});
    // Released, then the enclosing savepoint rolled back: gone too.
    {
      Ledger::Savepoint outer(l);
      {
        Ledger::Savepoint inner(l);
        l.add_start(start(m, "2025-05-02"));
        inner.release();
      }
      CHECK(begins().size() == 2);
      outer.rollback();
    }
    CHECK(begins() == std::vector<std::string>{"2025-04-01"});
    // An inner savepoint rolled back, the outer one released: only the inner rows are gone.
    {
      Ledger::Savepoint outer(l);
      l.add_start(start(m, "2025-05-03"));
      {
        Ledger::Savepoint inner(l);
        l.add_start(start(m, "2025-05-04"));
        inner.rollback();
      }
      outer.release();
    }
    CHECK(begins() == std::vector<std::string>{"2025-04-01", "2025-05-03"});
    // A change that is not a new row (a start deleted), rolled back: the start is live again.
    {
      Ledger::Savepoint sp(l);
      const auto live = l.live_start(StartKey{k.agb, k.gemeente, k.bsn, std::nullopt,
                                              std::nullopt, std::nullopt, "2025-05-03"});
      REQUIRE(live);
      l.delete_start(live->id, m);
      CHECK(begins() == std::vector<std::string>{"2025-04-01"});
      sp.rollback();
    }
    CHECK(begins() == std::vector<std::string>{"2025-04-01", "2025-05-03"});
    // More rows after a savepoint than are held at once (some are sent on the way), rolled back.
    {
      Ledger::Savepoint sp(l);
      for (int i = 0; i < 600; ++i) {
        add_checked(fmt::format("R{}", i), fmt::format("<r>{}</r>", i));
        l.add_start(start(m, fmt::format("2026-{:04}", i)));
      }
      CHECK(begins().size() == 602);
      sp.rollback();
    }
    CHECK(begins() == std::vector<std::string>{"2025-04-01", "2025-05-03"});
    // Rows added after that rollback are numbered where the rolled-back ones were.
    const auto m2 = add_checked("M2", "<m>2</m>");
    CHECK(m2 == m + 1);
    l.add_stop(StopRecord{0, k.agb, k.gemeente, k.bsn, std::nullopt, std::nullopt, std::nullopt,
                          "2025-04-01", std::nullopt, "20", "2025-06-30", m2, std::nullopt});
    CHECK(l.allocation_state(k).stops.size() == 1);
    tx.commit();
  }
  // All of it stored by the commit, nothing of what was rolled back.
  CHECK(l.message_count() == 2);
  CHECK(begins() == std::vector<std::string>{"2025-04-01", "2025-05-03"});
  CHECK(l.allocation_state(k).stops.size() == 1);
  CHECK(l.allocation_history("0363", 300201).size() == 1);
  CHECK(l.message(m).bytes == "<m>1</m>");
  CHECK(l.unmaterialised().size() == 2);
}

TEST_CASE("ledger: the current allocation is the latest date/time, not the latest message") {
  TempDir d;
  Ledger l(test::ledger_at(d.path / "l.db"));
  auto tx = l.begin();
  const auto m = l.add_message(input("M1", "a"));
  auto v = allocation(m, "2025-05-10", "09:00:00");
  v.einddatum = "2026-03-31";
  l.add_allocation_version(v);
  v.toewijzingsdatum = "2025-04-01";
  v.einddatum = "2025-12-31";
  l.add_allocation_version(v);
  bool inserted = true;
  l.add_allocation_version(v, &inserted);
  CHECK_FALSE(inserted);
  tx.commit();
  CHECK(l.current_allocation("0363", 300201)->einddatum == "2026-03-31");
  CHECK(l.allocation_history("0363", 300201).size() == 2);
  CHECK(l.allocations_of_bsn("999900006").size() == 1);
  CHECK(l.allocations_of_provider("65656055").size() == 1);
  CHECK(l.allocations_of_provider("65656055", "0599").empty());
  CHECK(l.allocations_of_client("0363", "65656055", "999900006").size() == 1);
}

TEST_CASE("ledger: live starts match absent key elements only with absent ones") {
  TempDir d;
  Ledger l(test::ledger_at(d.path / "l.db"));
  auto tx = l.begin();
  const auto m = l.add_message(input("M1", "a"));
  StartRecord s;
  s.agb = "65656055";
  s.gemeente = "0363";
  s.bsn = "999900006";
  s.toewijzing_nummer = 300201;
  s.categorie = "01";
  s.begindatum = "2025-04-03";
  s.inserted_by = m;
  const auto id = l.add_start(s);
  StartKey k{"65656055", "0363", "999900006", 300201, "01", std::nullopt, "2025-04-03"};
  CHECK(l.live_start(k));
  k.code = "01A11";
  CHECK_FALSE(l.live_start(k));
  k.code.reset();
  l.delete_start(id, m);
  CHECK_FALSE(l.live_start(k));
  CHECK(l.starts_of_bsn("999900006", true).size() == 1);
  CHECK(l.starts_of_bsn("999900006", false).empty());
  tx.commit();
}

TEST_CASE("ledger: allocation_state gives what current_allocation, live_starts and live_stops give") {
  TempDir d;
  Ledger l(test::ledger_at(d.path / "l.db"));
  auto tx = l.begin();
  const auto m = l.add_message(input("M1", "a"));
  auto v = allocation(m, "2025-04-01", "09:00:00");
  l.add_allocation_version(v);
  v.toewijzingsdatum = "2025-05-01";
  v.einddatum = "2025-12-31";
  l.add_allocation_version(v);
  StartRecord s;
  s.agb = v.agb;
  s.gemeente = v.gemeente;
  s.bsn = v.bsn;
  s.toewijzing_nummer = 300201;
  s.inserted_by = m;
  for (const char* b : {"2025-06-01", "2025-04-03"}) {
    s.begindatum = b;
    l.add_start(s);
  }
  StopRecord st;
  st.agb = s.agb;
  st.gemeente = s.gemeente;
  st.bsn = s.bsn;
  st.toewijzing_nummer = s.toewijzing_nummer;
  st.inserted_by = m;
  st.begindatum = "2025-04-03";
  st.reden_beeindiging = "20";
  st.einddatum = "2025-05-01";
  l.add_stop(st);
  const StartKey k{v.agb, v.gemeente, v.bsn, 300201, std::nullopt, std::nullopt, "2025-07-01"};
  const auto state = l.allocation_state(k);
  REQUIRE(state.allocation);
  CHECK(state.allocation->einddatum == std::optional<std::string>("2025-12-31"));
  REQUIRE(state.starts.size() == 2);
  CHECK(state.starts[0].begindatum == "2025-04-03");  // by Begindatum
  CHECK(state.starts[1].begindatum == "2025-06-01");
  REQUIRE(state.stops.size() == 1);
  CHECK(state.stops[0].einddatum == "2025-05-01");
  // Without a ToewijzingNummer: no allocation, and only starts without one.
  const auto none = l.allocation_state(
      StartKey{v.agb, v.gemeente, v.bsn, std::nullopt, std::nullopt, std::nullopt, "2025-07-01"});
  CHECK_FALSE(none.allocation);
  CHECK(none.starts.empty());
  CHECK(none.stops.empty());
  tx.commit();
}

TEST_CASE("ledger: an allocation state read ahead is used only while nothing changed it") {
  TempDir d;
  Ledger l(test::ledger_at(d.path / "l.db"));
  auto tx = l.begin();
  const auto m = l.add_message(input("M1", "a"));
  const StartKey k{"65656055", "0363", "999900006", std::nullopt, std::nullopt, std::nullopt,
                   "2025-07-01"};
  const auto first = l.add_start(start(m, "2025-04-03"));

  // Nothing in between but a message's row: the answer read ahead is the state.
  l.expect_allocation_state(k);
  l.add_message(input("M2", "b"));
  auto state = l.allocation_state(k);
  REQUIRE(state.starts.size() == 1);
  CHECK(state.starts[0].begindatum == "2025-04-03");

  // A start added after the read went out: the state must show it.
  l.expect_allocation_state(k);
  l.add_start(start(m, "2025-06-01"));
  state = l.allocation_state(k);
  REQUIRE(state.starts.size() == 2);
  CHECK(state.starts[1].begindatum == "2025-06-01");

  // A start deleted after the read went out: gone from the state.
  l.expect_allocation_state(k);
  l.delete_start(first, m);
  state = l.allocation_state(k);
  REQUIRE(state.starts.size() == 1);
  CHECK(state.starts[0].begindatum == "2025-06-01");

  // Read ahead for another client: not taken for this one.
  StartKey other = k;
  other.bsn = "999900018";
  l.expect_allocation_state(other);
  CHECK(l.allocation_state(k).starts.size() == 1);
  CHECK(l.allocation_state(other).starts.empty());
  // Two reads ahead one after the other: the second one counts.
  l.expect_allocation_state(k);
  l.expect_allocation_state(other);
  CHECK(l.allocation_state(other).starts.empty());
  CHECK(l.allocation_state(k).starts.size() == 1);

  // More message rows between than the statements sent before answers are read: the answer
  // read on the way is kept.
  l.expect_allocation_state(k);
  for (int i = 0; i < 300; ++i) l.add_message(input(fmt::format("R{}", i), fmt::format("r{}", i)));
  state = l.allocation_state(k);
  REQUIRE(state.starts.size() == 1);
  CHECK(state.starts[0].begindatum == "2025-06-01");

  // Read ahead in the other domain (Jeugdwet): not taken for a Wmo read.
  l.set_standard(model::Standard::ijw);
  l.expect_allocation_state(k);
  l.set_standard(model::Standard::iwmo);
  CHECK(l.allocation_state(k).starts.size() == 1);

  // A change undone by a rollback to a savepoint after the read went out.
  {
    Ledger::Savepoint sp(l);
    l.add_start(start(m, "2025-09-01"));
    l.expect_allocation_state(k);
    sp.rollback();
  }
  CHECK(l.allocation_state(k).starts.size() == 1);

  // Read ahead and never used: the transaction still commits, and the next one reads afresh.
  l.expect_allocation_state(k);
  tx.commit();
  auto tx2 = l.begin();
  l.add_start(start(m, "2025-10-01"));
  CHECK(l.allocation_state(k).starts.size() == 2);
  tx2.commit();
}

TEST_CASE("ledger: a 301's allocation reads sent ahead are used only while nothing changed them") {
  TempDir d;
  Ledger l(test::ledger_at(d.path / "l.db"));
  auto tx = l.begin();
  const auto m = l.add_message(input("M1", "a"));
  auto v = allocation(m, "2025-04-01", "09:00:00");
  l.add_allocation_version(v);

  // Nothing in between but a message's row: the answers sent ahead are the state.
  l.expect_allocation_history("0363", 300201);
  l.expect_allocations_of_client("0363", "65656055", "999900006");
  l.add_message(input("M2", "b"));
  CHECK(l.allocation_history("0363", 300201).size() == 1);
  REQUIRE(l.allocations_of_client("0363", "65656055", "999900006").size() == 1);

  // A version added after they were sent: both show it.
  l.expect_allocation_history("0363", 300201);
  l.expect_allocations_of_client("0363", "65656055", "999900006");
  v.toewijzingsdatum = "2025-05-01";
  v.einddatum = "2025-12-31";
  l.add_allocation_version(v);
  CHECK(l.allocation_history("0363", 300201).size() == 2);
  auto current = l.allocations_of_client("0363", "65656055", "999900006");
  REQUIRE(current.size() == 1);
  CHECK(current[0].einddatum == std::optional<std::string>("2025-12-31"));

  // Another allocation of the client, added after the read went out.
  l.expect_allocations_of_client("0363", "65656055", "999900006");
  auto w = allocation(m, "2025-06-01", "10:00:00");
  w.toewijzing_nummer = 300202;
  l.add_allocation_version(w);
  CHECK(l.allocations_of_client("0363", "65656055", "999900006").size() == 2);

  // Sent for another number, another client, or the other domain: not taken.
  l.expect_allocation_history("0363", 300202);
  CHECK(l.allocation_history("0363", 300201).size() == 2);
  CHECK(l.allocation_history("0363", 300202).size() == 1);
  l.expect_allocations_of_client("0363", "65656055", "999900018");
  CHECK(l.allocations_of_client("0363", "65656055", "999900006").size() == 2);
  CHECK(l.allocations_of_client("0363", "65656055", "999900018").empty());
  // Sent in the other domain (Jeugdwet, which has no allocations here): not taken for Wmo.
  l.set_standard(model::Standard::ijw);
  l.expect_allocation_history("0363", 300201);
  l.expect_allocation_version_at("0363", 300201, "2025-04-01", "09:00:00");
  l.set_standard(model::Standard::iwmo);
  CHECK(l.allocation_history("0363", 300201).size() == 2);
  CHECK(l.allocation_version_at("0363", 300201, "2025-04-01", "09:00:00"));

  // The look for one version, sent ahead: taken only for that version.
  l.expect_allocation_version_at("0363", 300201, "2025-04-01", "09:00:00");
  CHECK_FALSE(l.allocation_version_at("0363", 300201, "2025-04-02", "09:00:00"));
  CHECK(l.allocation_version_at("0363", 300201, "2025-04-01", "09:00:00"));

  // Every kind sent at once: one is taken, then a write drops the others.
  StartKey k{"65656055", "0363", "999900006", 300201, std::nullopt, std::nullopt, "2025-07-01"};
  l.expect_allocation_state(k);
  l.expect_allocation_history("0363", 300201);
  l.expect_allocations_of_client("0363", "65656055", "999900006");
  l.expect_allocation_version_at("0363", 300201, "2025-08-01", "09:00:00");
  CHECK(l.allocation_history("0363", 300201).size() == 2);
  auto x = allocation(m, "2025-08-01", "09:00:00");
  l.add_allocation_version(x);
  CHECK(l.allocation_history("0363", 300201).size() == 3);
  CHECK(l.allocation_version_at("0363", 300201, "2025-08-01", "09:00:00"));
  REQUIRE(l.allocation_state(k).allocation);
  CHECK(l.allocation_state(k).allocation->toewijzingsdatum == "2025-08-01");
  bool found = false;
  for (const auto& a : l.allocations_of_client("0363", "65656055", "999900006"))
    found = found || a.toewijzingsdatum == "2025-08-01";
  CHECK(found);

  // A version undone by a rollback to a savepoint after the reads were sent.
  {
    Ledger::Savepoint sp(l);
    auto y = allocation(m, "2025-09-01", "09:00:00");
    y.toewijzing_nummer = 300203;
    l.add_allocation_version(y);
    l.expect_allocation_history("0363", 300203);
    l.expect_allocations_of_client("0363", "65656055", "999900006");
    l.expect_allocation_version_at("0363", 300203, "2025-09-01", "09:00:00");
    sp.rollback();
  }
  CHECK(l.allocation_history("0363", 300203).empty());
  CHECK_FALSE(l.allocation_version_at("0363", 300203, "2025-09-01", "09:00:00"));
  CHECK(l.allocations_of_client("0363", "65656055", "999900006").size() == 2);
  tx.commit();
}

TEST_CASE("ledger: an allocation state read ahead is the state of the round trip that sent it") {
  // Shows that the answers read ahead are used: a start that another connection commits after
  // that round trip is not in them, and a fresh read shows it. On SQLite nothing is read ahead.
  if (!test::ledger_on_postgresql()) return;
  LedgerWithMessage lw;
  const std::string& where = lw.where;
  Ledger& l = lw.l;
  const MessageId m = lw.m;
  const StartKey k{"65656055", "0363", "999900006", std::nullopt, std::nullopt, std::nullopt,
                   "2025-07-01"};
  auto tx = l.begin();
  l.expect_allocation_state(k);
  // The first read that waits (at a message's arrival: earlier_inputs) takes the answers along.
  l.earlier_inputs("<x/>", 1, std::nullopt, {"0363/WMO305/x.xml"});
  commit_elsewhere(where, fmt::format("INSERT INTO starts(agb, gemeente, bsn, begindatum, "
                                      "inserted_by) VALUES('65656055', '0363', '999900006', "
                                      "'2025-04-03', {})",
                                      m));
  CHECK(l.allocation_state(k).starts.empty());       // the answer read ahead
  CHECK(l.allocation_state(k).starts.size() == 1);   // read again

  // The same for a 301's reads: an allocation version committed by another connection after
  // the round trip.
  l.expect_allocation_history("0363", 300201);
  l.expect_allocations_of_client("0363", "65656055", "999900006");
  l.expect_allocation_version_at("0363", 300201, "2025-04-01", "09:00:00");
  l.earlier_inputs("<y/>", 2, std::nullopt, {"0363/WMO301/y.xml"});
  commit_elsewhere(where, fmt::format("INSERT INTO allocation_versions(message_id, gemeente, "
                                      "toewijzing_nummer, toewijzingsdatum, toewijzingstijd, "
                                      "bsn, agb, ingangsdatum) VALUES({}, '0363', 300201, "
                                      "'2025-04-01', '09:00:00', '999900006', '65656055', "
                                      "'2025-04-01')",
                                      m));
  CHECK(l.allocation_history("0363", 300201).empty());
  CHECK(l.allocations_of_client("0363", "65656055", "999900006").empty());
  CHECK_FALSE(l.allocation_version_at("0363", 300201, "2025-04-01", "09:00:00"));
  CHECK(l.allocation_version_at("0363", 300201, "2025-04-01", "09:00:00"));
  CHECK(l.allocation_history("0363", 300201).size() == 1);
  CHECK(l.allocations_of_client("0363", "65656055", "999900006").size() == 1);

  // The same for earlier_inputs (sent for the next message): an input with its bytes committed
  // by another connection after the round trip. Messages have no legal domain: sent while a
  // Jeugdwet message is judged, it is taken for the Wmo message that follows.
  const std::vector<std::string> routes{"0363/WMO305/z.xml"};
  l.set_standard(model::Standard::ijw);
  l.expect_earlier_inputs("z", content_hash("z"), std::nullopt, routes);
  l.set_standard(model::Standard::iwmo);
  l.earlier_inputs("<w/>", 3, std::nullopt, {"0363/WMO305/w.xml"});
  commit_elsewhere(where, fmt::format("WITH n AS (INSERT INTO messages(role, type, berichtcode, "
                                      "afzender, ontvanger, identificatie, dagtekening, "
                                      "xsd_basis, xsd_bericht, source, content_hash, verdict, "
                                      "level, findings, route_path, received_at) VALUES('input', "
                                      "'WMO305', '418', '65656055', '0363', 'Z', '2025-08-01', "
                                      "'', '', 'z.xml', {}, 'accepted', 0, '[]', "
                                      "'0363/WMO305/other-z.xml', '') RETURNING id) INSERT INTO "
                                      "message_bytes(id, bytes, encoding) SELECT id, 'z', 0 FROM n",
                                      content_hash("z")));
  CHECK(l.earlier_inputs("z", content_hash("z"), std::nullopt, routes).same_bytes.empty());
  CHECK(l.earlier_inputs("z", content_hash("z"), std::nullopt, routes).same_bytes.size() == 1);
  tx.commit();
}

TEST_CASE("ledger: an earlier_inputs read sent ahead is used only while no row it could find came") {
  // Ingest sends the next message's earlier_inputs while it judges this one; the rows this one
  // writes in between (held back on PostgreSQL) must not be missed.
  TempDir d;
  Ledger l(test::ledger_at(d.path / "l.db"));
  auto tx = l.begin();
  auto add_checked = [&](NewMessage n) {
    (void)l.earlier_inputs(n.bytes, content_hash(n.bytes), std::nullopt, {n.route_path});
    return l.add_message_unique_route(n);
  };
  auto ahead_then_read = [&](const NewMessage& n, const std::function<void()>& between) {
    const Ledger::InputKey key{n.berichtcode, n.afzender, n.identificatie};
    const std::vector<std::string> routes{n.route_path};
    l.expect_earlier_inputs(n.bytes, content_hash(n.bytes), key, routes);
    between();
    return l.earlier_inputs(n.bytes, content_hash(n.bytes), key, routes);
  };
  // Nothing in between: nothing earlier.
  auto e = ahead_then_read(input("M1", "<m>1</m>"), [] {});
  CHECK(e.same_bytes.empty());
  CHECK(e.same_key.empty());
  CHECK(e.taken.empty());
  // The same bytes stored in between (a re-delivery right after the first): found.
  e = ahead_then_read(input("M2", "<m>2</m>"), [&] { add_checked(input("M2", "<m>2</m>")); });
  CHECK(e.same_bytes.size() == 1);
  // Another message with the same TR056 key in between: found.
  e = ahead_then_read(input("M3", "<m>3</m>"), [&] {
    auto other = input("M3", "<m>3b</m>");
    other.route_path = "0363/WMO305/M3b.xml";
    add_checked(other);
  });
  CHECK(e.same_bytes.empty());
  CHECK(e.same_key.size() == 1);
  // A row that takes the route in between: the route is taken.
  e = ahead_then_read(input("M4", "<m>4</m>"), [&] {
    auto other = input("M4x", "<m>4x</m>");
    other.route_path = "0363/WMO305/M4.xml";
    add_checked(other);
  });
  CHECK(e.taken.size() == 1);
  // Written in between, but not held back (a row added without a route check; on PostgreSQL
  // the held rows are sent first).
  e = ahead_then_read(input("M5", "<m>5</m>"), [&] {
    auto other = input("M5", "<m>5</m>");
    other.route_path = "0363/WMO305/M5-first.xml";
    l.add_message(other);
  });
  CHECK(e.same_bytes.size() == 1);
  // A verdict changed in between: the row found says so.
  {
    auto first = input("M6", "<m>6</m>");
    first.verdict = Verdict::rejected;
    const auto id = add_checked(first);
    auto again = input("M6", "<m>6</m>");
    again.route_path = "0363/WMO305/M6-again.xml";
    e = ahead_then_read(again, [&] { l.set_message_verdict(id, Verdict::accepted, 0, "[]"); });
    REQUIRE(e.same_bytes.size() == 1);
    CHECK(e.same_bytes[0].verdict == Verdict::accepted);
  }
  // Sent for other routes (the retour's id guessed wrong): the read is made for these.
  {
    const auto n = input("M7", "<m>7</m>");
    add_checked(n);
    l.expect_earlier_inputs(n.bytes, content_hash(n.bytes), std::nullopt, {"0363/elsewhere.xml"});
    e = l.earlier_inputs(n.bytes, content_hash(n.bytes), std::nullopt, {n.route_path});
    CHECK(e.taken == std::vector<std::string>{n.route_path});
  }
  tx.commit();
}

TEST_CASE("ledger: on PostgreSQL a commit at Sync::normal leaves the disk to sync_wal(), which "
          "makes every commit before it durable") {
  if (!test::ledger_on_postgresql()) return;
  TempDir d;
  const std::string where = test::ledger_at(d.path / "l.db").string();
  Ledger l(where);
  l.set_synchronous(OpenOptions::Sync::normal);
  CHECK(l.synchronous() == OpenOptions::Sync::normal);
  for (int i = 0; i < 3; ++i) {
    {
      auto tx = l.begin();
      l.add_message(input(fmt::format("W{}", i), fmt::format("<w>{}</w>", i)));
      tx.commit();
    }
    // Where the server's WAL ends now: the commit is before it. The server's WAL writer flushes
    // what commits leave only every 200 ms, so without sync_wal the check below nearly always
    // fails (shown by making sync_wal do nothing).
    const std::string end =
        read_elsewhere(where, "SELECT CAST(pg_current_wal_insert_lsn() AS TEXT)");
    l.sync_wal();
    CHECK(read_elsewhere(where, fmt::format("SELECT pg_current_wal_flush_lsn() >= '{}'", end)) ==
          "t");
  }
  l.set_synchronous(OpenOptions::Sync::full);
  CHECK(l.message_count() == 3);
}

TEST_CASE("ledger: on PostgreSQL message_bytes and unwritten have no foreign key (schema 8); a "
          "schema 7 ledger loses them when opened") {
  if (!test::ledger_on_postgresql()) return;
  TempDir d;
  const std::string where = test::ledger_at(d.path / "l.db").string();
  auto keys = [&] {
    return read_elsewhere(
        where,
        "SELECT string_agg(conname, ' ' ORDER BY conname) FROM pg_constraint WHERE contype = 'f' "
        "AND conrelid IN (to_regclass('message_bytes'), to_regclass('unwritten'), "
        "to_regclass('starts'))");
  };
  {
    Ledger l(where);
    CHECK(l.schema_version() == 8);
  }
  CHECK(keys() == "starts_deleted_by_fkey starts_inserted_by_fkey");
  // A ledger as schema 7 left it.
  commit_elsewhere(where,
                   "ALTER TABLE message_bytes ADD FOREIGN KEY (id) REFERENCES messages(id);"
                   "ALTER TABLE unwritten ADD FOREIGN KEY (id) REFERENCES messages(id);"
                   "UPDATE schema_version SET version = 7");
  CHECK(keys() ==
        "message_bytes_id_fkey starts_deleted_by_fkey starts_inserted_by_fkey unwritten_id_fkey");
  Ledger l(where);
  CHECK(l.schema_version() == kSchemaVersion);
  CHECK(keys() == "starts_deleted_by_fkey starts_inserted_by_fkey");
  auto tx = l.begin();
  const MessageId m = l.add_message(input("K1", "<k/>"));
  tx.commit();
  const auto rows = l.unmaterialised();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].id == m);
  CHECK(rows[0].bytes == "<k/>");
}

TEST_CASE("ledger: the writer refreshes the planner's statistics only while they describe a small "
          "ledger") {
  if (!test::ledger_on_postgresql()) return;
  TempDir d;
  const std::string where = test::ledger_at(d.path / "l.db").string();
  Ledger l(where);
  // Only the writer's refreshes change the statistics here.
  commit_elsewhere(where,
                   "ALTER TABLE messages SET (autovacuum_enabled = false);"
                   "ALTER TABLE allocation_versions SET (autovacuum_enabled = false);"
                   "ALTER TABLE starts SET (autovacuum_enabled = false);"
                   "ALTER TABLE stops SET (autovacuum_enabled = false)");
  int written = 0;
  auto write = [&](Ledger& to, int n) {
    auto tx = to.begin();
    for (const int end = written + n; written < end; ++written)
      to.add_message(input(fmt::format("S{}", written), fmt::format("<s>{}</s>", written)));
    tx.commit();
  };
  // The message rows the statistics describe (reltuples, -1 before any).
  auto described = [&] {
    return read_elsewhere(
        where, "SELECT CAST(reltuples AS BIGINT) FROM pg_class WHERE oid = to_regclass('messages')");
  };
  auto describe = [&](const std::string& tables, int rows) {
    commit_elsewhere(where, fmt::format("UPDATE pg_class SET reltuples = {} WHERE oid IN ({})",
                                        rows, tables));
  };
  write(l, 300);  // 256 written: refreshed at the commit
  CHECK(described() == "300");
  write(l, 100);  // not yet doubled
  CHECK(described() == "300");
  // Many messages, but few starts and stops (a ledger of 301s, say): their lookups' plans are
  // not settled yet, so the writer refreshes when its messages have doubled.
  describe("to_regclass('messages')", 100000);
  write(l, 300);  // 700 written
  CHECK(described() == "700");
  // Statistics that describe a large ledger, in every table the rules look up (as after its
  // first thousands of messages, or autovacuum's): the plans are lookups by key for good, and
  // the writer leaves them.
  describe("to_regclass('messages'), to_regclass('allocation_versions'), to_regclass('starts'), "
           "to_regclass('stops')",
           100000);
  write(l, 700);  // 1,400 written
  CHECK(described() == "100000");
  // A writer that opens such a ledger refreshes nothing either.
  Ledger again(where);
  write(again, 300);
  CHECK(described() == "100000");
}

TEST_CASE("ledger: reads sent ahead outlive held rows sent that cannot change them") {
  // Ingest sends the reads of the next few messages while it judges this one, and the rows it
  // holds back are sent in between. A read sent ahead is then dropped exactly when a row sent
  // could change its answer; the others keep the answer of the round trip that sent them (shown
  // as in the test above: a row another connection commits after it is not in them).
  if (!test::ledger_on_postgresql()) return;
  LedgerWithMessage lw;
  const std::string& where = lw.where;
  Ledger& l = lw.l;
  const MessageId m = lw.m;
  auto key_of = [](const NewMessage& n) {
    return Ledger::InputKey{n.berichtcode, n.afzender, n.identificatie};
  };
  auto inputs = [&](const NewMessage& n) {
    return l.earlier_inputs(n.bytes, content_hash(n.bytes), key_of(n), {n.route_path});
  };
  const NewMessage a = input("A", "<a/>"), b = input("B", "<b/>"), c = input("C", "<c/>");
  NewMessage c_first = input("C", "<c/>");
  c_first.route_path = "0363/WMO305/C-first.xml";
  std::vector<NewMessage> fill;
  for (int i = 0; i < 300; ++i)
    fill.push_back(input(fmt::format("F{}", i), fmt::format("<f>{}</f>", i)));
  const StartKey k{"65656055", "0363", "999900006", std::nullopt, std::nullopt, std::nullopt,
                   "2025-07-01"};
  StartKey k2 = k;  // another client, of another gemeente
  k2.bsn = "999900018";
  k2.gemeente = "0599";
  // As ingest adds a message: its routes checked first, then its row is held back.
  auto add_checked = [&](NewMessage n) {
    (void)inputs(n);
    return l.add_message_unique_route(n);
  };

  auto tx = l.begin();
  // Three messages' reads, and two allocation states, sent ahead.
  for (const NewMessage* n : {&a, &b, &c})
    l.expect_earlier_inputs(n->bytes, content_hash(n->bytes), key_of(*n), {n->route_path});
  l.expect_allocation_state(k);
  l.expect_allocation_state(k2);
  // Held: a row with C's bytes, a start of k2's client, then more rows than are held at once,
  // so that all of them are sent.
  add_checked(c_first);
  StartRecord s2 = start(m, "2025-05-01");
  s2.bsn = k2.bsn;
  s2.gemeente = k2.gemeente;
  l.add_start(s2);
  for (auto& n : fill) add_checked(n);

  CHECK(inputs(a).same_bytes.empty());
  // Committed elsewhere now: B's bytes, and a start of k's client (with ids of their own: the
  // next free ones are this transaction's, and taking one would wait for it to end).
  commit_elsewhere(where, fmt::format(
      "WITH n AS (INSERT INTO messages(id, role, type, berichtcode, afzender, ontvanger, "
      "identificatie, dagtekening, xsd_basis, xsd_bericht, source, content_hash, verdict, level, "
      "findings, route_path, received_at) VALUES(100000, 'input', 'WMO305', '418', '65656055', "
      "'0363', 'B', '2025-08-01', '', '', 'b.xml', {}, 'accepted', 0, '[]', "
      "'0363/WMO305/other-b.xml', '') RETURNING id) INSERT INTO message_bytes(id, bytes, "
      "encoding) SELECT id, '<b/>', 0 FROM n",
      content_hash(b.bytes)));
  commit_elsewhere(where, fmt::format("INSERT INTO starts(id, agb, gemeente, bsn, begindatum, "
                                      "inserted_by) VALUES(100000, '65656055', '0363', "
                                      "'999900006', '2025-04-03', {})",
                                      m));
  // Not changed by the rows sent: the answers of the round trip that sent them.
  CHECK(inputs(b).same_bytes.empty());
  CHECK(l.allocation_state(k).starts.empty());
  CHECK(inputs(b).same_bytes.size() == 1);  // read again
  CHECK(l.allocation_state(k).starts.size() == 1);
  // Changed by a row sent: read again, and the row is found.
  CHECK(inputs(c).same_bytes.size() == 1);
  CHECK(l.allocation_state(k2).starts.size() == 1);
  tx.commit();
}

TEST_CASE("ledger: reconcile records verdicts, credits and the 325 in one transaction") {
  TempDir d;
  Ledger l(test::ledger_at(d.path / "l.db"));
  RowId decl = 0, debit = 0, credit = 0;
  {
    auto tx = l.begin();
    const auto m = l.add_message(input("D1", "323"));
    DeclarationRecord dr;
    dr.message_id = m;
    dr.agb = "65656055";
    dr.gemeente = "0363";
    dr.declaratie_nummer = "DN1";
    dr.periode_begin = "2025-05-01";
    dr.periode_eind = "2025-05-31";
    dr.totaal_dc = "D";
    decl = l.add_declaration(dr);
    PrestatieRecord p;
    p.declaration_id = decl;
    p.agb = "65656055";
    p.referentie_nummer = "R1";
    p.toewijzing_nummer = 300201;
    p.debet_credit = "D";
    p.bedrag = 5000;
    debit = l.add_prestatie(p);
    p.position = 1;
    p.referentie_nummer = "R2";
    p.vorig_referentie_nummer = "R1";
    p.debet_credit = "C";
    credit = l.add_prestatie(p);
    tx.commit();
  }
  CHECK(l.pending_declarations().size() == 1);
  {
    auto tx = l.begin();
    NewMessage a;
    a.role = Role::output;
    a.type = "WMO325";
    a.reply_to = l.pending_declarations()[0].message_id;
    a.route_path = "65656055/WMO325/x.xml";
    const auto out = l.add_message(a);
    l.set_message_bytes(out, "<325/>");
    l.set_prestatie_verdict(debit, PrestatieVerdict::approved, {"0200"});
    l.set_prestatie_verdict(credit, PrestatieVerdict::rejected, {"9307", "9308"});
    l.set_credited_by(debit, credit);
    l.set_declaration_answered(decl, {"0200"}, out);
    tx.commit();
  }
  CHECK(l.pending_declarations().empty());
  auto dr = l.declaration(decl);
  REQUIRE(dr);
  CHECK(dr->status == DeclarationStatus::answered);
  CHECK(dr->retourcodes == std::vector<std::string>{"0200"});
  auto lines = l.prestaties_of_declaration(decl);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].credited_by == credit);
  CHECK(lines[1].retourcodes == std::vector<std::string>{"9307", "9308"});
  CHECK(l.prestaties_of_allocation("65656055", 300201).size() == 2);
  CHECK(l.message(*dr->answer_message_id).bytes == "<325/>");
  CHECK(l.reply_of(dr->message_id)->type == "WMO325");
}

TEST_CASE("ledger: the verdicts of many lines at once land on each line, however many") {
  TempDir d;
  Ledger l(test::ledger_at(d.path / "l.db"));
  for (const std::size_t n : {std::size_t{1}, std::size_t{300}}) {  // 300 = 128+128+32+8+4
    std::vector<Ledger::PrestatieVerdictUpdate> updates;
    RowId decl = 0;
    {
      auto tx = l.begin();
      const auto m = l.add_message(input("V" + std::to_string(n), "323"));
      DeclarationRecord dr;
      dr.message_id = m;
      dr.agb = "65656055";
      dr.gemeente = "0363";
      dr.declaratie_nummer = "DV" + std::to_string(n);
      dr.periode_begin = "2025-05-01";
      dr.periode_eind = "2025-05-31";
      dr.totaal_dc = "D";
      decl = l.add_declaration(dr);
      for (std::size_t k = 0; k < n; ++k) {
        PrestatieRecord p;
        p.declaration_id = decl;
        p.position = static_cast<int>(k);
        p.agb = "65656055";
        p.referentie_nummer = "R" + std::to_string(k);
        p.toewijzing_nummer = 300201;
        p.debet_credit = "D";
        p.bedrag = 100;
        const RowId id = l.add_prestatie(p);
        if (k % 3 == 0)
          updates.push_back({id, PrestatieVerdict::approved, {}});
        else
          updates.push_back({id, PrestatieVerdict::rejected, {"93" + std::to_string(k % 100)}});
      }
      tx.commit();
    }
    {
      auto tx = l.begin();
      l.set_prestatie_verdicts(updates);
      tx.commit();
    }
    const auto lines = l.prestaties_of_declaration(decl);
    REQUIRE(lines.size() == n);
    for (std::size_t k = 0; k < n; ++k) {
      CAPTURE(k);
      CHECK(lines[k].id == updates[k].prestatie_id);
      CHECK(lines[k].verdict == updates[k].verdict);
      CHECK(lines[k].retourcodes == updates[k].retourcodes);
    }
  }
}

TEST_CASE("ledger: output identifications are 12 characters and deterministic") {
  CHECK(output_identificatie(42) == "ISTD00000042");
  CHECK(output_identificatie(42).size() == 12);
}

TEST_CASE("ledger: content_hash is FNV-1a 64, as stored in existing ledgers") {
  // The published FNV-1a 64 test vectors ("", "a", "foobar"; offset basis 0xcbf29ce484222325,
  // prime 0x100000001b3), also computed independently in Python. Stored hashes must not change
  // with a new implementation: duplicate detection compares them across runs.
  auto u = [](std::string_view s) { return static_cast<std::uint64_t>(content_hash(s)); };
  CHECK(u("") == 0xcbf29ce484222325ull);
  CHECK(u("a") == 0xaf63dc4c8601ec8cull);
  CHECK(u("foobar") == 0x85944171f73967e8ull);
  CHECK(u("abc") == 0xe71fa2190541574bull);
  CHECK(u("abd") == 0xe71fa71905415fcaull);
  CHECK(content_hash("abc") == -1792535898324117685);  // the signed value in messages.content_hash
  CHECK(u(std::string("<a>\0\xff</a>", 9)) == 0x5f99bfdc6b7e5a63ull);
}

}  // TEST_SUITE

TEST_CASE("ledger: the PostgreSQL driver numbers ?, ?N and :domain, and never shows a password") {
  int domain = 0, count = 0;
  CHECK(pg::translate("SELECT a FROM t WHERE x = ? AND y = ? AND d = :domain", domain, count) ==
        "SELECT a FROM t WHERE x = $1 AND y = $2 AND d = $3");
  CHECK(domain == 3);
  CHECK(count == 3);
  // ?N keeps its number and is reused; a bare ? follows the highest so far (as SQLite numbers).
  CHECK(pg::translate("x = ?1 OR y = ?1 OR z = ?2 OR w = ?", domain, count) ==
        "x = $1 OR y = $1 OR z = $2 OR w = $3");
  CHECK(domain == 0);
  CHECK(count == 3);
  // Quoted text and longer names are left alone.
  CHECK(pg::translate("SELECT '?', \"a?\", :domains FROM t WHERE v = ?", domain, count) ==
        "SELECT '?', \"a?\", :domains FROM t WHERE v = $1");
  CHECK(domain == 0);

  CHECK(pg::is_url("postgresql://istd@/istd?host=/run/postgresql"));
  CHECK(pg::is_url("postgres://h/db"));
  CHECK_FALSE(pg::is_url("/var/lib/istd/ledger.db"));
  CHECK(pg::redact("postgresql://istd:geheim@db.example/istd") ==
        "postgresql://istd:***@db.example/istd");
  CHECK(pg::redact("postgresql://istd@db/istd?sslmode=require&password=geheim&x=1") ==
        "postgresql://istd@db/istd?sslmode=require&password=***&x=1");
  CHECK(pg::redact("postgresql://istd@/istd?host=/tmp/s") == "postgresql://istd@/istd?host=/tmp/s");
  CHECK(display_location("postgresql://u:geheim@h/d") == "postgresql://u:***@h/d");
  CHECK(display_location("/tmp/l.db") == "/tmp/l.db");
}
