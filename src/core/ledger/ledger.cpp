// SQLite implementation of the ledger (design in ledger.hpp).
#include "core/ledger/ledger.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <map>
#include <sstream>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "core/errors.hpp"
#include "core/ledger/ledger_impl.hpp"
#include "core/ledger/pack.hpp"
#include "core/ledger/rows.hpp"
#include "core/ledger/statement.hpp"

namespace istd::ledger {

// -------------------------------------------------------------------------------------------
// Schema and migrations

namespace {

// Migration n brings the schema from version n to n+1. Never edit a released migration; add one.
const char* const kMigrations[] = {
    // 0 -> 1
    R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE messages(
  id INTEGER PRIMARY KEY,
  role TEXT NOT NULL,
  type TEXT NOT NULL,
  berichtcode TEXT NOT NULL,
  afzender TEXT NOT NULL,
  ontvanger TEXT NOT NULL,
  identificatie TEXT NOT NULL,
  dagtekening TEXT NOT NULL,
  xsd_basis TEXT NOT NULL,
  xsd_bericht TEXT NOT NULL,
  source TEXT NOT NULL,
  content_hash INTEGER NOT NULL,
  verdict TEXT NOT NULL,
  level INTEGER NOT NULL,
  findings TEXT NOT NULL,
  reply_to INTEGER REFERENCES messages(id),
  route_path TEXT NOT NULL,
  reason TEXT,
  received_at TEXT NOT NULL);
-- The bytes live apart so that message rows stay small (lookups, verdict updates).
CREATE TABLE message_bytes(
  id INTEGER PRIMARY KEY REFERENCES messages(id),
  bytes BLOB NOT NULL);
-- Rows whose files are not yet known durable in the output dir (materialisation queue).
CREATE TABLE unwritten(id INTEGER PRIMARY KEY REFERENCES messages(id));
CREATE INDEX messages_tr056 ON messages(berichtcode, afzender, identificatie);
CREATE INDEX messages_hash ON messages(content_hash);
CREATE UNIQUE INDEX messages_route ON messages(route_path);
CREATE INDEX messages_reply ON messages(reply_to);

CREATE TABLE allocation_versions(
  id INTEGER PRIMARY KEY,
  message_id INTEGER NOT NULL REFERENCES messages(id),
  gemeente TEXT NOT NULL,
  toewijzing_nummer INTEGER NOT NULL,
  toewijzingsdatum TEXT NOT NULL,
  toewijzingstijd TEXT NOT NULL,
  bsn TEXT NOT NULL,
  agb TEXT NOT NULL,
  categorie TEXT, code TEXT,
  ingangsdatum TEXT NOT NULL,
  einddatum TEXT,
  reden_wijziging TEXT,
  volume INTEGER, eenheid TEXT, frequentie TEXT,
  budget INTEGER,
  referentie_aanbieder TEXT,
  UNIQUE(gemeente, toewijzing_nummer, toewijzingsdatum, toewijzingstijd));
CREATE INDEX allocation_bsn ON allocation_versions(bsn);
CREATE INDEX allocation_client ON allocation_versions(gemeente, agb, bsn);
CREATE INDEX allocation_agb ON allocation_versions(agb, gemeente);

CREATE TABLE starts(
  id INTEGER PRIMARY KEY,
  agb TEXT NOT NULL, gemeente TEXT NOT NULL, bsn TEXT NOT NULL,
  toewijzing_nummer INTEGER, categorie TEXT, code TEXT,
  begindatum TEXT NOT NULL,
  toewijzing_ingangsdatum TEXT,
  inserted_by INTEGER NOT NULL REFERENCES messages(id),
  deleted_by INTEGER REFERENCES messages(id));
CREATE INDEX starts_scope ON starts(bsn, toewijzing_nummer, agb, gemeente);
CREATE TABLE stops(
  id INTEGER PRIMARY KEY,
  agb TEXT NOT NULL, gemeente TEXT NOT NULL, bsn TEXT NOT NULL,
  toewijzing_nummer INTEGER, categorie TEXT, code TEXT,
  begindatum TEXT NOT NULL,
  toewijzing_ingangsdatum TEXT,
  reden_beeindiging TEXT NOT NULL,
  einddatum TEXT NOT NULL,
  inserted_by INTEGER NOT NULL REFERENCES messages(id),
  deleted_by INTEGER REFERENCES messages(id));
CREATE INDEX stops_scope ON stops(bsn, toewijzing_nummer, agb, gemeente);

CREATE TABLE declarations(
  id INTEGER PRIMARY KEY,
  message_id INTEGER NOT NULL REFERENCES messages(id),
  agb TEXT NOT NULL, gemeente TEXT NOT NULL,
  declaratie_nummer TEXT NOT NULL,
  periode_begin TEXT NOT NULL, periode_eind TEXT NOT NULL,
  declaratie_dagtekening TEXT NOT NULL,
  totaal_bedrag INTEGER NOT NULL, totaal_dc TEXT NOT NULL,
  identificatie TEXT NOT NULL, dagtekening TEXT NOT NULL,
  xsd_basis TEXT NOT NULL, xsd_bericht TEXT NOT NULL,
  intake_codes TEXT NOT NULL,
  status TEXT NOT NULL,
  retourcodes TEXT NOT NULL,
  answer_message_id INTEGER REFERENCES messages(id));
CREATE INDEX declarations_status ON declarations(status);
CREATE INDEX declarations_periode ON declarations(periode_begin);
CREATE INDEX declarations_nummer ON declarations(agb, declaratie_nummer);

CREATE TABLE prestaties(
  id INTEGER PRIMARY KEY,
  declaration_id INTEGER NOT NULL REFERENCES declarations(id),
  position INTEGER NOT NULL,
  agb TEXT NOT NULL, gemeente TEXT NOT NULL, bsn TEXT NOT NULL,
  referentie_nummer TEXT NOT NULL,
  vorig_referentie_nummer TEXT,
  toewijzing_nummer INTEGER NOT NULL,
  product_categorie TEXT NOT NULL, product_code TEXT NOT NULL,
  periode_begin TEXT NOT NULL, periode_eind TEXT NOT NULL,
  geleverd_volume INTEGER NOT NULL,
  eenheid TEXT NOT NULL,
  product_tarief INTEGER,
  bedrag INTEGER NOT NULL,
  debet_credit TEXT NOT NULL,
  verdict TEXT NOT NULL,
  retourcodes TEXT NOT NULL,
  credited_by INTEGER REFERENCES prestaties(id));
CREATE INDEX prestaties_ref ON prestaties(agb, referentie_nummer);
CREATE INDEX prestaties_func ON prestaties(agb, toewijzing_nummer, product_categorie,
  product_code, periode_begin, periode_eind);
CREATE INDEX prestaties_decl ON prestaties(declaration_id);
)sql",
    // 1 -> 2: the message indexes cover only the rows their lookups ask for (TR056 and
    // duplicate lookups are of inputs; reply lookups of rows with a reply_to). Every retour
    // used to add two index entries nobody looked up, every input a NULL reply_to entry.
    R"sql(
DROP INDEX messages_tr056;
CREATE INDEX messages_tr056 ON messages(berichtcode, afzender, identificatie)
  WHERE role = 'input';
DROP INDEX messages_hash;
CREATE INDEX messages_hash ON messages(content_hash) WHERE role = 'input';
DROP INDEX messages_reply;
CREATE INDEX messages_reply ON messages(reply_to) WHERE reply_to IS NOT NULL;
)sql",
    // 2 -> 3: message bytes are stored compressed (pack.hpp); `encoding` says how each row is
    // stored. Existing rows stay as they are (raw, 0).
    R"sql(
ALTER TABLE message_bytes ADD COLUMN encoding INTEGER NOT NULL DEFAULT 0;
)sql",
    // 3 -> 4: the start/stop list of the eigen bijdrage reported to the CAK (`istd cak`).
    R"sql(
CREATE TABLE cak_exports(
  number INTEGER PRIMARY KEY,
  made_on TEXT NOT NULL,
  made_at TEXT NOT NULL,
  line_count INTEGER NOT NULL);
CREATE TABLE cak_lines(
  export_number INTEGER NOT NULL REFERENCES cak_exports(number),
  seq INTEGER NOT NULL,
  gemeente TEXT NOT NULL, bsn TEXT NOT NULL,
  eb_start_nummer INTEGER NOT NULL,
  kind TEXT NOT NULL,
  datum TEXT NOT NULL,
  previous TEXT,
  status INTEGER NOT NULL,
  reason TEXT NOT NULL,
  toelichting TEXT NOT NULL,
  evidence TEXT NOT NULL,
  PRIMARY KEY(export_number, seq));
CREATE TABLE cak_episodes(
  eb_start_nummer INTEGER PRIMARY KEY,
  gemeente TEXT NOT NULL, bsn TEXT NOT NULL,
  startdatum TEXT NOT NULL,
  stopdatum TEXT,
  withdrawn INTEGER NOT NULL,
  first_export INTEGER NOT NULL REFERENCES cak_exports(number));
CREATE INDEX cak_episodes_person ON cak_episodes(gemeente, bsn);
)sql",
    // 4 -> 5: requests and answers (315/317/319); allocations found by ReferentieAanbieder.
    R"sql(
CREATE TABLE requests(
  id INTEGER PRIMARY KEY,
  message_id INTEGER NOT NULL REFERENCES messages(id),
  type TEXT NOT NULL,
  gemeente TEXT NOT NULL, agb TEXT NOT NULL, bsn TEXT NOT NULL,
  referentie TEXT NOT NULL,
  dagtekening TEXT NOT NULL,
  summary TEXT NOT NULL);
CREATE INDEX requests_ref ON requests(agb, referentie);
CREATE INDEX requests_client ON requests(gemeente, agb, bsn);
CREATE TABLE answers(
  id INTEGER PRIMARY KEY,
  message_id INTEGER NOT NULL REFERENCES messages(id),
  gemeente TEXT NOT NULL, agb TEXT NOT NULL,
  referentie TEXT NOT NULL,
  verzoek_antwoord TEXT NOT NULL,
  reden TEXT,
  dagtekening TEXT NOT NULL);
CREATE INDEX answers_ref ON answers(agb, referentie);
CREATE INDEX allocation_ref ON allocation_versions(agb, referentie_aanbieder)
  WHERE referentie_aanbieder IS NOT NULL;
)sql",
    // 5 -> 6: the legal domain ('wmo' for iWmo, 'jw' for iJw) in every key of the cross-message
    // rules: the uniqueness rules hold per domain, so a Wmo and a Jeugd allocation with the same
    // number never meet. Existing rows are iWmo. allocation_versions is rebuilt for its UNIQUE.
    R"sql(
CREATE TABLE allocation_versions_6(
  id INTEGER PRIMARY KEY,
  message_id INTEGER NOT NULL REFERENCES messages(id),
  gemeente TEXT NOT NULL,
  toewijzing_nummer INTEGER NOT NULL,
  toewijzingsdatum TEXT NOT NULL,
  toewijzingstijd TEXT NOT NULL,
  bsn TEXT NOT NULL,
  agb TEXT NOT NULL,
  categorie TEXT, code TEXT,
  ingangsdatum TEXT NOT NULL,
  einddatum TEXT,
  reden_wijziging TEXT,
  volume INTEGER, eenheid TEXT, frequentie TEXT,
  budget INTEGER,
  referentie_aanbieder TEXT,
  domain TEXT NOT NULL DEFAULT 'wmo',
  UNIQUE(gemeente, toewijzing_nummer, toewijzingsdatum, toewijzingstijd, domain));
INSERT INTO allocation_versions_6(id, message_id, gemeente, toewijzing_nummer, toewijzingsdatum,
  toewijzingstijd, bsn, agb, categorie, code, ingangsdatum, einddatum, reden_wijziging, volume,
  eenheid, frequentie, budget, referentie_aanbieder)
  SELECT id, message_id, gemeente, toewijzing_nummer, toewijzingsdatum, toewijzingstijd, bsn, agb,
  categorie, code, ingangsdatum, einddatum, reden_wijziging, volume, eenheid, frequentie, budget,
  referentie_aanbieder FROM allocation_versions;
DROP TABLE allocation_versions;
ALTER TABLE allocation_versions_6 RENAME TO allocation_versions;
CREATE INDEX allocation_bsn ON allocation_versions(bsn);
CREATE INDEX allocation_client ON allocation_versions(gemeente, agb, bsn);
CREATE INDEX allocation_agb ON allocation_versions(agb, gemeente);
CREATE INDEX allocation_ref ON allocation_versions(agb, referentie_aanbieder)
  WHERE referentie_aanbieder IS NOT NULL;
ALTER TABLE starts ADD COLUMN domain TEXT NOT NULL DEFAULT 'wmo';
ALTER TABLE stops ADD COLUMN domain TEXT NOT NULL DEFAULT 'wmo';
ALTER TABLE declarations ADD COLUMN domain TEXT NOT NULL DEFAULT 'wmo';
ALTER TABLE prestaties ADD COLUMN domain TEXT NOT NULL DEFAULT 'wmo';
ALTER TABLE requests ADD COLUMN domain TEXT NOT NULL DEFAULT 'wmo';
ALTER TABLE answers ADD COLUMN domain TEXT NOT NULL DEFAULT 'wmo';
)sql",
    // 6 -> 7: what iJw requests and answers carry beyond iWmo: a JW315's GezagsdragerBekend
    // and the municipality a JW319 names under Woonplaatsbeginsel (NULL in iWmo).
    R"sql(
ALTER TABLE requests ADD COLUMN gezagsdrager_bekend TEXT;
ALTER TABLE answers ADD COLUMN woonplaatsbeginsel_gemeente TEXT;
CREATE INDEX requests_bsn ON requests(agb, bsn);
)sql",
    // 7 -> 8: nothing on SQLite. On PostgreSQL message_bytes and unwritten lose their foreign
    // keys to messages (ledger.hpp); SQLite keeps them (dropping one means copying the table).
    "",
};
constexpr int kMigrationCount = static_cast<int>(sizeof kMigrations / sizeof kMigrations[0]);
static_assert(kMigrationCount == kSchemaVersion);



}  // namespace


// -------------------------------------------------------------------------------------------

std::string display_location(const std::filesystem::path& location) {
  return pg::is_url(location.native()) ? pg::redact(location.native()) : location.string();
}

std::string output_identificatie(MessageId id) { return fmt::format("ISTD{:08d}", id); }

void ContentHasher::update(std::string_view bytes) {
  std::uint64_t h = h_;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  h_ = h;
}

std::int64_t ContentHasher::value() const {
  std::int64_t r;
  std::memcpy(&r, &h_, sizeof r);
  return r;
}

std::int64_t content_hash(std::string_view bytes) {
  ContentHasher h;
  h.update(bytes);
  return h.value();
}

std::string_view to_string(Verdict v) {
  switch (v) {
    case Verdict::accepted:
      return "accepted";
    case Verdict::rejected:
      return "rejected";
    case Verdict::quarantined:
      return "quarantined";
    case Verdict::recorded:
      return "recorded";
  }
  return "recorded";
}


std::string_view to_string(PrestatieVerdict v) {
  switch (v) {
    case PrestatieVerdict::pending:
      return "pending";
    case PrestatieVerdict::approved:
      return "approved";
    case PrestatieVerdict::rejected:
      return "rejected";
  }
  return "pending";
}

bool AllocationVersion::deleted() const {
  return model::allocation_deleted(reden_wijziging, ingangsdatum, einddatum);
}

// -------------------------------------------------------------------------------------------
// Open / migrate

Ledger::Ledger(const std::filesystem::path& file, OpenOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->file = file;
  if (pg::is_url(file.native())) {
    impl_->where = pg::redact(file.native());
    impl_->pg = std::make_unique<pg::Connection>(file.native(), false);
    impl_->version = open_postgresql(*impl_, options.create);
    set_synchronous(options.sync);
    return;
  }
  impl_->where = file.string();
  // Process-wide, once, before SQLite initialises (refused, harmlessly, if SQLite was already
  // initialised by someone else):
  // * No memory statistics: keeping them takes a global mutex on every SQLite allocation.
  // * Savepoint journals (ingest opens one per message inside a batch transaction) stay in
  //   memory up to 1 MiB, in one block. A message's journal (the original images of the pages
  //   it changes, ~40 KB) never reaches that. The defaults either spill to a temporary file
  //   beyond 64 KiB, which is then not truncated between savepoints (every message's pages
  //   were appended to it for the whole batch), or, with temp_store=MEMORY, keep the journal
  //   in 1 KiB pieces: ~50 allocations and frees per message (10% of the ledger thread's
  //   instructions, measured with callgrind). Temporary data only; the database, its WAL and
  //   their durability are unaffected. Sanitizer builds keep SQLite's default (64 KiB, then a
  //   temporary file): their allocators map and unmap every block over 128 KiB afresh, which
  //   for one 1 MiB block a savepoint dominated the ledger tests' time.
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
#ifndef ISTD_SANITIZED_BUILD
    sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 1 << 20);
#endif
    return true;
  }();
  (void)configured;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (options.create) flags |= SQLITE_OPEN_CREATE;
  if (sqlite3_open_v2(file.c_str(), &impl_->db, flags, nullptr) != SQLITE_OK)
    impl_->fail("cannot open");
  sqlite3_extended_result_codes(impl_->db, 1);
  impl_->start_profile();
  sqlite3_busy_timeout(impl_->db, 10000);
  // A file that is not SQLite at all fails here ("file is not a database").
  sqlite3_stmt* probe = nullptr;
  if (sqlite3_prepare_v2(impl_->db, "SELECT count(*) FROM sqlite_master", -1, &probe, nullptr) !=
          SQLITE_OK ||
      sqlite3_step(probe) != SQLITE_ROW) {
    std::string msg = sqlite3_errmsg(impl_->db);
    sqlite3_finalize(probe);
    throw ConfigError(fmt::format("ledger {}: not an istd ledger ({})", file.string(), msg));
  }
  sqlite3_finalize(probe);

  impl_->exec("PRAGMA journal_mode=WAL");
  set_synchronous(options.sync);
  impl_->exec("PRAGMA foreign_keys=ON");
  // 64 MiB page cache: the lookups of a large batch stay in memory.
  impl_->exec("PRAGMA cache_size=-65536");

  impl_->exec("BEGIN IMMEDIATE");
  try {
    bool has_version = false, has_tables = false;
    {
      auto s = impl_->prepare(
          "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'");
      while (s.step()) {
        has_tables = true;
        if (s.text(0) == "schema_version") has_version = true;
      }
    }
    int version = 0;
    if (has_version) {
      auto s = impl_->prepare("SELECT version FROM schema_version");
      if (s.step()) version = static_cast<int>(s.i64(0));
    } else if (has_tables) {
      throw ConfigError(
          fmt::format("ledger {}: not an istd ledger (SQLite file without a schema_version table)",
                      file.string()));
    } else {
      impl_->exec("CREATE TABLE schema_version(version INTEGER NOT NULL)");
      impl_->exec("INSERT INTO schema_version VALUES (0)");
    }
    if (version > kSchemaVersion)
      throw ConfigError(fmt::format(
          "ledger {} has schema version {}, newer than this istd supports ({}); use a newer "
          "istd",
          file.string(), version, kSchemaVersion));
    for (int v = version; v < kSchemaVersion; ++v) impl_->exec(kMigrations[v]);
    if (version != kSchemaVersion) {
      auto s = impl_->prepare("UPDATE schema_version SET version = ?");
      s.bind(1, kSchemaVersion).exec();
    }
    impl_->exec("COMMIT");
  } catch (...) {
    sqlite3_exec(impl_->db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  impl_->version = kSchemaVersion;
}

Ledger::~Ledger() = default;

bool Ledger::in_transaction() const {
  if (impl_->pg) return impl_->pg->in_transaction();
  return sqlite3_get_autocommit(impl_->db) == 0;
}

bool Ledger::is_server() const { return impl_->pg != nullptr; }

// The WAL upkeep below is SQLite's; on PostgreSQL the server keeps its own WAL (no-ops there).
void Ledger::set_auto_checkpoint(bool on) {
  if (impl_->pg) return;
  if (on) {
    // Also puts SQLite's own WAL hook (the automatic checkpoint) back in place of ours.
    impl_->exec("PRAGMA wal_autocheckpoint=1000");
    impl_->wal_frames = 0;
    return;
  }
  impl_->exec("PRAGMA wal_autocheckpoint=0");
  if (impl_->page_size == 0) {
    auto s = impl_->prepare("PRAGMA page_size");
    if (s.step()) impl_->page_size = static_cast<std::uint64_t>(s.i64(0));
  }
  // Called after every commit with the number of frames the WAL holds since it was last
  // started over (what SQLite's automatic checkpoint looks at; it is off now).
  sqlite3_wal_hook(
      impl_->db,
      [](void* arg, sqlite3*, const char*, int frames) {
        static_cast<Impl*>(arg)->wal_frames = static_cast<std::uint64_t>(frames);
        return SQLITE_OK;
      },
      impl_.get());
}

std::uint64_t Ledger::wal_in_use() const {
  return impl_->wal_frames * (impl_->page_size + 24);  // a frame: 24-byte header + a page
}

OpenOptions::Sync Ledger::synchronous() const { return impl_->sync; }

void Ledger::set_synchronous(OpenOptions::Sync sync) {
  impl_->sync = sync;
  if (impl_->pg) {
    // `full`: a commit is durable when it returns. `normal` and `off`: it returns before the
    // server's WAL is on disk (`normal` as SQLite's in WAL mode: durable at the next
    // sync_wal()). The server never corrupts the ledger either way; a crash of the database
    // server or its machine may lose the commits not yet durable, a crash of istd loses nothing
    // committed.
    impl_->exec(sync == OpenOptions::Sync::full ? "SET synchronous_commit = on"
                                               : "SET synchronous_commit = off");
    return;
  }
  switch (sync) {
    case OpenOptions::Sync::full:
      impl_->exec("PRAGMA synchronous=FULL");
      break;
    case OpenOptions::Sync::normal:
      impl_->exec("PRAGMA synchronous=NORMAL");
      break;
    case OpenOptions::Sync::off:
      impl_->exec("PRAGMA synchronous=OFF");
      break;
  }
}

void Ledger::sync_wal() const {
  if (impl_->pg) {
    // The server writes its WAL in order, so every commit before a durable one is durable too.
    // A commit that waits for the disk and writes a WAL record without touching a table (a
    // logical-decoding message, ignored by everything but logical decoding), on a connection of
    // its own: the writer's connection goes on meanwhile. One script, one transaction: the
    // setting holds for it even behind a pooler that hands each statement another session.
    std::lock_guard lock(impl_->flusher_mu);
    try {
      if (!impl_->flusher)
        impl_->flusher = std::make_unique<pg::Connection>(impl_->file.native(), false);
      impl_->flusher->exec(
          "BEGIN; SET LOCAL synchronous_commit = on; "
          "SELECT pg_logical_emit_message(true, 'istd', 'durable'); COMMIT");
    } catch (const std::exception& e) {
      impl_->flusher.reset();  // the next call starts over on a new connection
      throw RuntimeError(fmt::format(
          "{} (while making the commits durable: a commit that waits for the server's disk, on "
          "a second connection)",
          e.what()));
    }
    return;
  }
  const std::string wal = impl_->file.string() + "-wal";
  const int fd = ::open(wal.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return;
    throw RuntimeError(
        fmt::format("ledger {}: cannot open the WAL to sync it: {}", wal, std::strerror(errno)));
  }
  const int rc = ::fdatasync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0)
    throw RuntimeError(
        fmt::format("ledger {}: syncing the WAL failed: {}", wal, std::strerror(err)));
}

void Ledger::checkpoint_restart() {
  if (impl_->pg) return;
  const int rc =
      sqlite3_wal_checkpoint_v2(impl_->db, nullptr, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
  if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED) impl_->fail("checkpoint");
}

std::uint64_t Ledger::wal_size() const {
  if (impl_->pg) return 0;
  std::error_code ec;
  const auto n = std::filesystem::file_size(impl_->file.string() + "-wal", ec);
  return ec ? 0 : static_cast<std::uint64_t>(n);
}

void Ledger::checkpoint() {
  // PASSIVE: copies what it can without waiting for (or blocking) the writer; readers and the
  // writer on other connections go on. Durability does not depend on it (commits are durable in
  // the WAL); it only keeps the WAL from growing.
  if (impl_->pg) return;
  int log = 0, done = 0;
  const int rc =
      sqlite3_wal_checkpoint_v2(impl_->db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
  if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED) impl_->fail("checkpoint");
}

int Ledger::schema_version() const { return impl_->version; }
void Ledger::set_standard(model::Standard s) { impl_->domain = model::standard_key(s); }
model::Standard Ledger::standard() const {
  return impl_->domain == "jw" ? model::Standard::ijw : model::Standard::iwmo;
}
const std::filesystem::path& Ledger::file() const { return impl_->file; }

// The writer's statements are planned once and the plan kept (PostgreSQL's generic plans, see
// pg.cpp). A plan is made from the statistics of the tables, which the server refreshes only
// now and then (autovacuum, after a minute or more): a ledger that grows fast, such as a first
// ingest into an empty one, would keep plans made for empty tables (a scan of the whole table
// for every lookup). So the writer refreshes them itself each time the messages it wrote have
// doubled; refreshed statistics make the server plan the statements again. Once the statistics
// describe kSettledMessages message rows and kSettledRows rows of each table the rules look up
// allocations, starts and stops in, the plans are lookups by key for good and it stops: later
// refreshes read ever larger tables (the writer waits for them) and change no plan, and
// autovacuum keeps the statistics of a growing ledger. A writer on a ledger that large already
// refreshes nothing. (Plans made from the statistics of about a thousand messages, with a few
// hundred starts, scanned for allocation_state instead of looking up.)
// Only what the writer's plans depend on: message_bytes and unwritten are read by their key
// alone, and of messages only the columns lookups select on (the others, the findings and
// reasons among them, made the refresh more than twice as long).
void Ledger::Impl::refresh_statistics() {
  static constexpr std::int64_t kSettledMessages = 4096, kSettledRows = 512;
  if (pg_messages_written < pg_next_analyze) return;
  {
    // reltuples: the rows the statistics describe (-1 before the first refresh). The smallest
    // of the tables, messages counted as kSettledRows / kSettledMessages rows each.
    auto s = prepare(ISTD_SQL(
        "SELECT CAST(min(CASE WHEN oid = to_regclass('messages') THEN reltuples * {} / {} "
        "ELSE reltuples END) AS BIGINT) FROM pg_class WHERE oid IN (to_regclass('messages'), "
        "to_regclass('allocation_versions'), to_regclass('starts'), to_regclass('stops'))",
        kSettledRows, kSettledMessages));
    if (s.step() && s.i64(0) >= kSettledRows) {
      pg_next_analyze = std::numeric_limits<std::uint64_t>::max();
      return;
    }
  }
  pg->exec(
      "ANALYZE messages(id, role, type, content_hash, berichtcode, afzender, identificatie, "
      "route_path, reply_to), allocation_versions, starts, stops, declarations, prestaties, "
      "requests, answers");
  pg_next_analyze = pg_messages_written * 2;
}

static_assert(std::tuple_size_v<decltype(Ledger::Impl::next_ids)> == 8,
              "Ledger::Savepoint keeps the next ids of the numbered tables");

void Ledger::Impl::ensure_ids() {
  if (ids_known) return;
  auto s = prepare(
      "SELECT (SELECT coalesce(max(id), 0) FROM messages), "
      "(SELECT coalesce(max(id), 0) FROM allocation_versions), "
      "(SELECT coalesce(max(id), 0) FROM starts), (SELECT coalesce(max(id), 0) FROM stops), "
      "(SELECT coalesce(max(id), 0) FROM declarations), "
      "(SELECT coalesce(max(id), 0) FROM prestaties), "
      "(SELECT coalesce(max(id), 0) FROM requests), (SELECT coalesce(max(id), 0) FROM answers)");
  if (!s.step()) throw RuntimeError(fmt::format("ledger {}: no highest ids", where));
  for (std::size_t i = 0; i < kNumberedTables; ++i) next_ids[i] = s.i64(static_cast<int>(i)) + 1;
  ids_known = true;
}

std::optional<std::int64_t> Ledger::Impl::take_id(Numbered t) {
  if (!pg || !pg->writing()) return std::nullopt;
  ensure_ids();
  return next_ids[static_cast<std::size_t>(t)]++;
}

Ledger::Transaction::Transaction(Ledger& l) : l_(&l) {
  l_->impl_->forget_ids();
  l_->impl_->forget_routes();
  l_->impl_->forget_ahead();
  l_->impl_->drop_held();
  if (l_->impl_->pg)
    l_->impl_->pg->begin_write();
  else
    l_->impl_->exec("BEGIN IMMEDIATE");
}
Ledger::Transaction::~Transaction() {
  if (done_) return;
  l_->impl_->forget_ids();
  l_->impl_->forget_routes();
  l_->impl_->forget_ahead();
  l_->impl_->drop_held();
  if (l_->impl_->pg) {
    try {
      l_->impl_->pg->rollback();
    } catch (...) {
      // A destructor must not throw; a lost connection ends the transaction anyway.
    }
    return;
  }
  sqlite3_exec(l_->impl_->db, "ROLLBACK", nullptr, nullptr, nullptr);
}
void Ledger::Transaction::commit() {
  done_ = true;
  l_->impl_->forget_ids();
  l_->impl_->forget_routes();
  l_->impl_->forget_ahead();
  if (l_->impl_->pg) {
    try {
      try {
        l_->impl_->send_held();
      } catch (...) {
        l_->impl_->drop_held();
        try {
          l_->impl_->pg->rollback();
        } catch (...) {
          // The failure to send is the one reported; a lost connection ends the transaction.
        }
        throw;
      }
      l_->impl_->drop_held();
      l_->impl_->pg->commit();
    } catch (const StorageFullError&) {
      throw;
    } catch (const std::exception& e) {
      throw RuntimeError(fmt::format("ledger {}: commit failed: {}", l_->impl_->where, e.what()));
    }
    l_->impl_->refresh_statistics();
    return;
  }
  if (sqlite3_exec(l_->impl_->db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    std::string msg = sqlite3_errmsg(l_->impl_->db);
    const bool full = storage_full(l_->impl_->db);
    sqlite3_exec(l_->impl_->db, "ROLLBACK", nullptr, nullptr, nullptr);
    msg = fmt::format("ledger {}: commit failed: {}", l_->impl_->where, msg);
    if (full) throw StorageFullError(std::move(msg));
    throw RuntimeError(std::move(msg));
  }
}

// Savepoints run once per message: prepared statements, not sqlite3_exec.
Ledger::Savepoint::Savepoint(Ledger& l) : l_(&l) {
  ids_ = l_->impl_->save_ids();
  if (l_->impl_->holding()) {
    lazy_ = l_->impl_->open_savepoint();
    return;
  }
  l_->impl_->prepare("SAVEPOINT msg").exec();
}
Ledger::Savepoint::~Savepoint() {
  if (!done_) {
    try {
      rollback();
    } catch (...) {
      // A destructor must not throw; the enclosing transaction is rolled back by its owner.
    }
  }
}
void Ledger::Savepoint::release() {
  done_ = true;
  if (lazy_) return l_->impl_->close_savepoint(lazy_, false);
  l_->impl_->prepare("RELEASE msg").exec();
}
void Ledger::Savepoint::rollback() {
  done_ = true;
  l_->impl_->restore_ids(ids_);
  if (lazy_) return l_->impl_->close_savepoint(lazy_, true);
  l_->impl_->prepare("ROLLBACK TO msg").exec();
  l_->impl_->prepare("RELEASE msg").exec();
}

// -- Rows held back (PostgreSQL writer; held_rows.hpp) --------------------------------------

namespace {

std::optional<std::string> held_value(const std::string& v) { return v; }
std::optional<std::string> held_value(const std::optional<std::string>& v) { return v; }
std::optional<std::string> held_value(std::int64_t v) { return std::to_string(v); }
std::optional<std::string> held_value(const std::optional<std::int64_t>& v) {
  return v ? std::optional<std::string>(std::to_string(*v)) : std::nullopt;
}

/// A held row of `table` with these values and then the legal domain (the last column of the
/// allocation tables), for allocation (gemeente, nummer) of `bsn`.
template <typename... Ts>
HeldRow held_row(HeldTable table, const std::string& domain, const std::string& gemeente,
                 std::optional<std::int64_t> nummer, const std::string& bsn, const Ts&... vs) {
  HeldRow r;
  r.table = table;
  r.values = {held_value(vs)..., domain};
  r.gemeente = gemeente;
  r.nummer = nummer;
  r.bsn = bsn;
  if (r.values.size() != held_width(table))
    throw RuntimeError(fmt::format("ledger: a held row of {} values for '{}'", r.values.size(),
                                   held_columns(table)));
  return r;
}

}  // namespace

void Ledger::Impl::hold(HeldRow row) {
  held.add(std::move(row));
  if (held.size() >= kHeldLimit) {
    send_held();
    pg->push();  // the server writes them while the writer goes on
  }
}

namespace {

/// Sends `rows` (in the order held) as INSERTs of up to kHeldRowsPerInsert rows: table by
/// table, messages first (every other table refers to them), each message's bytes and
/// `unwritten` flag after the messages.
void send_rows(Ledger::Impl& im, std::vector<HeldRow> rows) {
  if (rows.empty()) return;
  auto send = [&](HeldTable table, HeldPart part, const std::vector<const HeldRow*>& of) {
    for (std::size_t done = 0; done < of.size();) {
      const std::size_t n = std::bit_floor(std::min(of.size() - done, kHeldRowsPerInsert));
      auto s = im.prepare(held_insert_sql(table, part, n));
      int p = 0;
      for (std::size_t i = done; i < done + n; ++i) {
        const HeldRow& r = *of[i];
        switch (part) {
          case HeldPart::rows:
            for (const auto& v : r.values) s.bind(++p, v);
            break;
          case HeldPart::message_bytes:
            s.bind(++p, *r.values.back());  // the id, last of a message's values
            s.bind_blob_static(++p, r.bytes);
            s.bind(++p, r.encoding);
            break;
          case HeldPart::unwritten: s.bind(++p, *r.values.back()); break;
        }
      }
      s.exec();
      done += n;
    }
  };
  for (HeldTable table : {HeldTable::messages, HeldTable::allocation_versions, HeldTable::starts,
                          HeldTable::stops}) {
    std::vector<const HeldRow*> of;
    for (const auto& r : rows)
      if (r.table == table) of.push_back(&r);
    if (of.empty()) continue;
    send(table, HeldPart::rows, of);
    if (table == HeldTable::messages) {
      send(table, HeldPart::message_bytes, of);
      send(table, HeldPart::unwritten, of);
    }
  }
}

}  // namespace

void Ledger::Impl::send_held() {
  if (sending_held || !behind()) return;
  // A read sent ahead that one of these rows could change is dropped; the others still hold
  // (the INSERTs below do not drop them: prepare).
  for (std::size_t i = ahead.size(); i-- > 0;)
    if (held_touches(ahead[i])) forget_ahead_at(i);
  sending_held = true;
  sending_rows = true;
  struct Done {
    Impl& im;
    ~Done() { im.sending_held = im.sending_rows = false; }
  } done{*this};
  for (auto& sp : savepoints) {
    if (sp.sent) continue;
    send_rows(*this, held.take_before(sp.mark));
    prepare("SAVEPOINT msg").exec();
    sp.sent = true;
  }
  send_rows(*this, held.take_before(UINT64_MAX));
}

std::uint64_t Ledger::Impl::open_savepoint() {
  savepoints.push_back({++savepoint_ids, held.next_seq(), false});
  return savepoint_ids;
}

void Ledger::Impl::close_savepoint(std::uint64_t id, bool rollback) {
  const auto it = std::find_if(savepoints.begin(), savepoints.end(),
                               [&](const LazySavepoint& s) { return s.id == id; });
  if (it == savepoints.end()) return;  // the transaction ended before it
  const LazySavepoint sp = *it;
  savepoints.erase(it);
  if (rollback) held.drop_from(sp.mark);
  if (!sp.sent) return;
  sending_held = true;  // what follows concerns the server's savepoint only
  struct Done {
    bool& flag;
    ~Done() { flag = false; }
  } done{sending_held};
  if (rollback) prepare("ROLLBACK TO msg").exec();
  prepare("RELEASE msg").exec();
}

// -------------------------------------------------------------------------------------------
// Messages

static constexpr const char* kMessageCols =
    "id, role, type, berichtcode, afzender, ontvanger, identificatie, dagtekening, xsd_basis, "
    "xsd_bericht, source, content_hash, verdict, level, findings, reply_to, route_path, reason, "
    "NOT EXISTS (SELECT 1 FROM unwritten u WHERE u.id = messages.id)";

// Columns c (message_bytes.bytes) and c + 1 (its encoding) as the original bytes.
static std::string read_bytes(const Stmt& s, int c) {
  return unpack(s.blob_view(c), static_cast<int>(s.i64(c + 1)));
}

static MessageRecord read_message(const Stmt& s) {
  MessageRecord r;
  r.id = s.i64(0);
  r.role = s.text(1) == "output" ? Role::output : Role::input;
  r.type = s.text(2);
  r.berichtcode = s.text(3);
  r.afzender = s.text(4);
  r.ontvanger = s.text(5);
  r.identificatie = s.text(6);
  r.dagtekening = s.text(7);
  r.xsd_basis = s.text(8);
  r.xsd_bericht = s.text(9);
  r.source = s.text(10);
  r.content_hash = s.i64(11);
  r.verdict = verdict_from(s.text(12));
  r.level = static_cast<int>(s.i64(13));
  r.findings_json = s.text(14);
  r.reply_to = s.opt_i64(15);
  r.route_path = s.text(16);
  r.reason = s.opt_text(17);
  r.materialised = s.i64(18) != 0;
  return r;
}

namespace {

// `wanted` with "-<n>" before its extension (the n-th alternative route, n >= 2).
std::string numbered_route(std::string_view wanted, int n) {
  std::string_view stem = wanted, ext;
  const auto slash = wanted.rfind('/');
  const auto dot = wanted.rfind('.');
  if (dot != std::string_view::npos && (slash == std::string_view::npos || dot > slash)) {
    stem = wanted.substr(0, dot);
    ext = wanted.substr(dot);
  }
  return fmt::format("{}-{}{}", stem, n, ext);
}

}  // namespace

MessageId Ledger::add_message(const NewMessage& m) { return insert_message(m, nullptr); }

MessageId Ledger::add_message_unique_route(NewMessage& m) {
  return insert_message(m, &m.route_path);
}

MessageId Ledger::insert_message(const NewMessage& m, std::string* free_route,
                                 std::optional<std::uint64_t> zero_bytes) {
#define ISTD_INSERT_MESSAGE                                                           \
  "INSERT INTO messages(role, type, berichtcode, afzender, ontvanger, identificatie, " \
  "dagtekening, xsd_basis, xsd_bericht, source, content_hash, verdict, level, "        \
  "findings, reply_to, route_path, reason, received_at, id) "                          \
  "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "                                      \
  "ON CONFLICT(route_path) DO NOTHING RETURNING id"
  // On PostgreSQL the row, its bytes and its unwritten flag go in one statement (one round trip
  // instead of three); a taken route inserts none of them.
  const bool one_statement = impl_->pg && !zero_bytes;
  if (impl_->pg) ++impl_->pg_messages_written;
  if (one_statement && free_route && impl_->holding() && impl_->route_is_free(m.route_path)) {
    // Known free (earlier_inputs) and numbered by istd: held back, sent with other rows.
    const auto id = *impl_->take_id(Impl::Numbered::messages);
    HeldRow r;
    r.table = HeldTable::messages;
    Packed packed = m.packed ? *m.packed : pack(m.bytes);
    r.bytes = std::move(packed.data);
    r.encoding = static_cast<std::int64_t>(packed.encoding);
    r.input = m.role != Role::output;
    r.hash = m.content_hash ? *m.content_hash : content_hash(m.bytes);
    r.berichtcode = m.berichtcode;
    r.afzender = m.afzender;
    r.identificatie = m.identificatie;
    r.route = m.route_path;
    auto opt = [](std::optional<std::int64_t> v) {
      return v ? std::optional<std::string>(std::to_string(*v)) : std::nullopt;
    };
    r.values = {r.input ? "input" : "output", m.type, m.berichtcode, m.afzender, m.ontvanger,
                m.identificatie, m.dagtekening, m.xsd_basis, m.xsd_bericht, m.source,
                std::to_string(r.hash), std::string(to_string(m.verdict)),
                std::to_string(m.level), m.findings_json, opt(m.reply_to), m.route_path,
                m.reason, now_utc(), std::to_string(id)};
    impl_->hold(std::move(r));
    return id;
  }
  auto s = impl_->prepare(one_statement
                              ? "WITH m AS (" ISTD_INSERT_MESSAGE "), "
                                "b AS (INSERT INTO message_bytes(id, bytes, encoding) "
                                "SELECT id, CAST(?20 AS BYTEA), CAST(?21 AS BIGINT) FROM m), "
                                "u AS (INSERT INTO unwritten(id) SELECT id FROM m) "
                                "SELECT id FROM m"
                              : ISTD_INSERT_MESSAGE);
#undef ISTD_INSERT_MESSAGE
  Packed packed_here;
  const Packed* packed = nullptr;
  if (!zero_bytes) packed = m.packed ? &*m.packed : &(packed_here = pack(m.bytes));
  if (one_statement)
    s.bind_blob_static(20, packed->data).bind(21, static_cast<int>(packed->encoding));
  // The id: given by istd inside a write transaction on PostgreSQL (Impl::take_id), else NULL
  // (the database gives it).
  const auto given = impl_->take_id(Impl::Numbered::messages);
  s.bind(19, given);
  // Every text is bound without a copy (all of it lives until the insert has run; this runs
  // for every message and retour).
  const std::string received_at = now_utc();
  s.bind_static(1, m.role == Role::output ? "output" : "input")
      .bind_static(2, m.type)
      .bind_static(3, m.berichtcode)
      .bind_static(4, m.afzender)
      .bind_static(5, m.ontvanger)
      .bind_static(6, m.identificatie)
      .bind_static(7, m.dagtekening)
      .bind_static(8, m.xsd_basis)
      .bind_static(9, m.xsd_bericht)
      .bind_static(10, m.source)
      .bind(11, m.content_hash ? *m.content_hash : content_hash(m.bytes))
      .bind_static(12, to_string(m.verdict))
      .bind(13, m.level)
      .bind_static(14, m.findings_json)
      .bind(15, m.reply_to)
      .bind_static(16, m.route_path)
      .bind_static(17, m.reason)
      .bind_static(18, received_at);
  std::string route;  // the alternative being tried (bound without a copy too)
  MessageId id = 0;
  for (int n = 2;; ++n) {
    // The only UNIQUE constraint of `messages` is its route (messages_route): a taken route
    // inserts nothing and returns no id.
    if (s.step()) {
      id = s.i64(0);
      s.exec();
      break;
    }
    if (!free_route)
      throw RuntimeError(fmt::format("ledger: a message with route {} exists", m.route_path));
    s.reset();
    route = numbered_route(m.route_path, n);
    s.bind_static(16, route);
  }
  if (free_route && !route.empty()) *free_route = std::move(route);
  std::erase(impl_->free_routes, route.empty() ? m.route_path : route);
  if (one_statement) return id;
  if (zero_bytes && impl_->pg) {
    // Filled in pieces by add_message_from_file (appended), stored raw.
    impl_->prepare("INSERT INTO message_bytes(id, bytes, encoding) VALUES(?, ?, 0)")
        .bind(1, id)
        .bind_blob_static(2, std::string_view())
        .exec();
  } else if (zero_bytes) {
    // Room for bytes that are then written in pieces (add_message_from_file), stored raw.
    impl_->prepare("INSERT INTO message_bytes(id, bytes, encoding) VALUES(?, zeroblob(?), 0)")
        .bind(1, id)
        .bind(2, static_cast<std::int64_t>(*zero_bytes))
        .exec();
  } else {
    impl_->prepare("INSERT INTO message_bytes(id, bytes, encoding) VALUES(?, ?, ?)")
        .bind(1, id)
        .bind_blob_static(2, packed->data)
        .bind(3, static_cast<int>(packed->encoding))
        .exec();
  }
  impl_->prepare("INSERT INTO unwritten(id) VALUES(?)").bind(1, id).exec();
  return id;
}

// -- Bytes too large to hold: files, streamed in and out in pieces ---------------------------

namespace {

constexpr std::size_t kPiece = 1u << 20;

/// pread until `n` bytes or the end of the file; the count read, or -1 (errno set) on failure.
std::int64_t pread_full(int fd, char* buf, std::size_t n, std::uint64_t offset) {
  std::size_t got = 0;
  while (got < n) {
    const ssize_t r = ::pread(fd, buf + got, n - got, static_cast<off_t>(offset + got));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return -1;
    if (r == 0) break;
    got += static_cast<std::size_t>(r);
  }
  return static_cast<std::int64_t>(got);
}

/// The bytes of one message_bytes row, read and written in pieces: a BLOB handle on SQLite
/// (closed on destruction); on PostgreSQL pieces of the bytea (written in order, appended).
class BlobHandle {
 public:
  BlobHandle(Ledger::Impl& im, MessageId id, bool write) : im_(im), db_(im.db), id_(id) {
    if (im.pg) return;
    if (sqlite3_blob_open(db_, "main", "message_bytes", "bytes", id, write ? 1 : 0, &blob_) !=
        SQLITE_OK)
      fail("open");
  }
  ~BlobHandle() {
    if (blob_) sqlite3_blob_close(blob_);
  }
  BlobHandle(const BlobHandle&) = delete;
  BlobHandle& operator=(const BlobHandle&) = delete;
  void read(char* buf, std::size_t n, std::uint64_t offset) {
    if (im_.pg) {
      auto s = im_.prepare("SELECT substring(bytes FROM ? FOR ?) FROM message_bytes WHERE id = ?");
      s.bind_all(static_cast<std::int64_t>(offset + 1), static_cast<std::int64_t>(n), id_);
      if (!s.step()) throw RuntimeError(fmt::format("ledger: no message {}", id_));
      const std::string_view piece = s.blob_view(0);
      if (piece.size() != n) throw RuntimeError(fmt::format("ledger: message {} is short", id_));
      std::memcpy(buf, piece.data(), n);
      return;
    }
    if (sqlite3_blob_read(blob_, buf, static_cast<int>(n), static_cast<int>(offset)) != SQLITE_OK)
      fail("read");
  }
  void write(const char* buf, std::size_t n, std::uint64_t offset) {
    if (im_.pg) {
      im_.prepare("UPDATE message_bytes SET bytes = bytes || ? WHERE id = ?")
          .bind_blob_static(1, std::string_view(buf, n))
          .bind(2, id_)
          .exec();
      return;
    }
    if (sqlite3_blob_write(blob_, buf, static_cast<int>(n), static_cast<int>(offset)) != SQLITE_OK)
      fail("write");
  }

 private:
  [[noreturn]] void fail(const char* what) const {
    throw_sqlite_error(
        db_, fmt::format("ledger: cannot {} the stored message bytes: {}", what, sqlite3_errmsg(db_)));
  }
  Ledger::Impl& im_;
  sqlite3* db_;
  MessageId id_;
  sqlite3_blob* blob_ = nullptr;
};

}  // namespace

std::uint64_t Ledger::max_message_bytes() const {
  // PostgreSQL: 64 MiB. Such a file is written in pieces, each appended to the bytea (the
  // server rewrites the value each time), and read back in pieces as hex text; a larger one is
  // refused as too large to store, as on SQLite beyond its limit.
  if (impl_->pg) return std::uint64_t{64} << 20;
  // SQLite's limit holds for a whole row; a message_bytes row adds a few bytes to its BLOB.
  const int limit = sqlite3_limit(impl_->db, SQLITE_LIMIT_LENGTH, -1);
  return limit > 1024 ? static_cast<std::uint64_t>(limit) - 1024 : 0;
}

FileInsert Ledger::add_message_from_file(NewMessage& m, int fd, std::uint64_t size,
                                         std::int64_t hash) {
  FileInsert r;
  if (size > max_message_bytes()) {
    r.status = FileInsert::Status::too_large;
    return r;
  }
  m.content_hash = hash;
  m.bytes.clear();
  m.packed.reset();
  // A savepoint of its own: a file found changed leaves nothing behind.
  impl_->prepare("SAVEPOINT file_bytes").exec();
  auto undo = [&] {
    impl_->forget_ids();
    impl_->prepare("ROLLBACK TO file_bytes").exec();
    impl_->prepare("RELEASE file_bytes").exec();
  };
  try {
    const MessageId id = insert_message(m, &m.route_path, size);
    {
      BlobHandle blob(*impl_, id, true);
      std::string buf(static_cast<std::size_t>(std::min<std::uint64_t>(size, kPiece)), '\0');
      ContentHasher h;
      for (std::uint64_t at = 0; at < size && r.status == FileInsert::Status::stored;) {
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(size - at, kPiece));
        const std::int64_t got = pread_full(fd, buf.data(), n, at);
        if (got < 0) {
          r.status = FileInsert::Status::unreadable;
          r.error = std::strerror(errno);
        } else if (static_cast<std::size_t>(got) != n) {
          r.status = FileInsert::Status::changed;  // shorter than when it was hashed
        } else {
          h.update(std::string_view(buf.data(), n));
          blob.write(buf.data(), n, at);
          at += n;
        }
      }
      if (r.status == FileInsert::Status::stored) {
        char extra = 0;
        const std::int64_t more = pread_full(fd, &extra, 1, size);
        if (more != 0 || h.value() != hash) r.status = FileInsert::Status::changed;
      }
    }
    if (r.status != FileInsert::Status::stored) {
      undo();
      return r;
    }
    impl_->prepare("RELEASE file_bytes").exec();
    r.id = id;
    return r;
  } catch (...) {
    try {
      undo();
    } catch (...) {
    }
    throw;
  }
}

void Ledger::stream_bytes(MessageId id, const std::function<void(std::string_view)>& sink) const {
  std::int64_t encoding = 0;
  std::uint64_t length = 0;
  {
    auto s = impl_->prepare("SELECT encoding, length(bytes) FROM message_bytes WHERE id = ?");
    s.bind(1, id);
    if (!s.step()) throw RuntimeError(fmt::format("ledger: no message {}", id));
    encoding = s.i64(0);
    length = static_cast<std::uint64_t>(s.i64(1));
  }
  if (encoding != static_cast<int>(Encoding::raw) || length <= kPiece) {
    sink(message(id).bytes);
    return;
  }
  BlobHandle blob(*impl_, id, false);
  std::string buf(kPiece, '\0');
  for (std::uint64_t at = 0; at < length;) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(length - at, kPiece));
    blob.read(buf.data(), n, at);
    sink(std::string_view(buf.data(), n));
    at += n;
  }
}

std::vector<MessageRecord> Ledger::inputs_with_file(int fd, std::uint64_t size,
                                                    std::int64_t hash) const {
  // A file that grew since it was hashed equals nothing (add_message_from_file then finds it
  // changed).
  char extra = 0;
  if (pread_full(fd, &extra, 1, size) != 0) return {};
  // Candidates first (the statement is done before any BLOB is opened), then each compared.
  std::vector<MessageRecord> candidates;
  {
    auto s = impl_->prepare(ISTD_SQL(
        "SELECT {} FROM messages LEFT JOIN message_bytes b USING (id) "
        "WHERE content_hash = ?1 AND role = 'input' AND (b.encoding <> 0 OR length(b.bytes) = CAST(?2 AS BIGINT)) "
        "ORDER BY id",
        kMessageCols));
    s.bind(1, hash).bind(2, static_cast<std::int64_t>(size));
    while (s.step()) candidates.push_back(read_message(s));
  }
  std::vector<MessageRecord> out;
  std::string mine;
  for (auto& c : candidates) {
    bool same = true;
    std::uint64_t at = 0;
    stream_bytes(c.id, [&](std::string_view piece) {
      if (!same) return;
      if (at + piece.size() > size) {
        same = false;
        return;
      }
      mine.resize(piece.size());
      same = pread_full(fd, mine.data(), piece.size(), at) ==
                 static_cast<std::int64_t>(piece.size()) &&
             std::memcmp(mine.data(), piece.data(), piece.size()) == 0;
      at += piece.size();
    });
    if (same && at == size) out.push_back(std::move(c));
  }
  return out;
}

void Ledger::set_message_bytes(MessageId id, std::string_view bytes) {
  impl_->prepare("UPDATE messages SET content_hash = ? WHERE id = ?")
      .bind(1, content_hash(bytes))
      .bind(2, id)
      .exec();
  const Packed p = pack(bytes);
  impl_->prepare("UPDATE message_bytes SET bytes = ?, encoding = ? WHERE id = ?")
      .bind_blob_static(1, p.data)
      .bind(2, static_cast<int>(p.encoding))
      .bind(3, id)
      .exec();
}

void Ledger::set_message_verdict(MessageId id, Verdict verdict, int level,
                                 std::string_view findings_json) {
  impl_->prepare("UPDATE messages SET verdict = ?, level = ?, findings = ? WHERE id = ?")
      .bind_all(to_string(verdict), level, findings_json, id)
      .exec();
}

MessageRecord Ledger::message(MessageId id) const {
  auto s = impl_->prepare(ISTD_SQL(
      "SELECT {}, b.bytes, b.encoding FROM messages LEFT JOIN message_bytes b USING (id) "
      "WHERE id = ?",
      kMessageCols));
  s.bind(1, id);
  if (!s.step()) throw RuntimeError(fmt::format("ledger: no message {}", id));
  auto r = read_message(s);
  r.bytes = read_bytes(s, 19);
  return r;
}

namespace {
/// Rows of a lookup in ledger order. The lookups by key and by content hash sort here, not in
/// SQL: with an ORDER BY id, a plan prepared once for every value (PostgreSQL's generic plan)
/// walks the primary key through the whole table instead of using the key's index.
void by_id(std::vector<MessageRecord>& rows) {
  std::sort(rows.begin(), rows.end(),
            [](const MessageRecord& a, const MessageRecord& b) { return a.id < b.id; });
}
}  // namespace

std::vector<MessageRecord> Ledger::inputs_by_key(std::string_view berichtcode,
                                                 std::string_view afzender,
                                                 std::string_view identificatie) const {
  auto s = impl_->prepare(ISTD_SQL(
      "SELECT {} FROM messages WHERE berichtcode = ? AND afzender = ? AND identificatie = ? "
      "AND role = 'input'",
      kMessageCols));
  s.bind(1, berichtcode).bind(2, afzender).bind(3, identificatie);
  std::vector<MessageRecord> out;
  while (s.step()) out.push_back(read_message(s));
  by_id(out);
  return out;
}

std::vector<MessageRecord> Ledger::inputs_with_bytes(std::string_view bytes,
                                                     std::optional<std::int64_t> hash) const {
  // Bytes stored raw are compared only when their length matches (a large row is not loaded
  // for another input that merely shares its hash).
  auto s = impl_->prepare(ISTD_SQL(
      "SELECT {}, b.bytes, b.encoding FROM messages LEFT JOIN message_bytes b USING (id) "
      "WHERE content_hash = ?1 AND role = 'input' AND (b.encoding <> 0 OR length(b.bytes) = CAST(?2 AS BIGINT))",
      kMessageCols));
  s.bind(1, hash ? *hash : content_hash(bytes)).bind(2, static_cast<std::int64_t>(bytes.size()));
  std::vector<MessageRecord> out;
  while (s.step()) {
    if (read_bytes(s, 19) != bytes) continue;
    out.push_back(read_message(s));
  }
  by_id(out);
  return out;
}

// What earlier_inputs asks first, in one statement: the ids of the inputs with the same content
// hash (1) or TR056 key (2), and the routes taken (3); the last column says which part a row
// answers. Ids only: nearly always nothing is found, and a statement selecting whole message
// rows (with their bytes, and whether their files are written) costs the server about twice as
// much to start even when it finds nothing. The rows are read when some are found.
static const std::string& earlier_inputs_sql() {
  return ISTD_SQL(
      "SELECT id, NULL, 1 FROM messages WHERE content_hash = ?1 AND role = 'input' "
      "UNION ALL SELECT id, NULL, 2 FROM messages WHERE berichtcode = ?2 AND afzender = ?3 AND "
      "identificatie = ?4 AND role = 'input' "
      "UNION ALL SELECT id, route_path, 3 FROM messages WHERE route_path IN (?5, ?6)");
}

static void bind_earlier_inputs(Stmt& s, std::int64_t hash,
                                const std::optional<Ledger::InputKey>& key,
                                const std::vector<std::string>& routes) {
  s.bind(1, hash);
  if (key)
    s.bind(2, key->berichtcode).bind(3, key->afzender).bind(4, key->identificatie);
  else
    s.bind_null(2).bind_null(3).bind_null(4);
  for (std::size_t i = 0; i < 2; ++i)
    s.bind(static_cast<int>(5 + i), i < routes.size() ? routes[i] : std::string());
}

/// A value missing from the key of a read sent ahead (no number, no TR056 key). No value that is
/// there can be it: numbers and the TR056 key's Berichtcode are digits.
static constexpr std::string_view kNoValue = "-";

/// What earlier_inputs is asked: the key of a read of it sent ahead.
/// Built for every message (no string is allocated): the numbers are written into the key's
/// own buffers, the rest are views of the caller's values.
struct EarlierInputsKey {
  std::array<char, 24> hash{}, size{};
  std::array<std::string_view, 7> parts;
  EarlierInputsKey(std::string_view bytes, std::int64_t h,
                   const std::optional<Ledger::InputKey>& key,
                   const std::vector<std::string>& routes) {
    parts[0] = {hash.data(), static_cast<std::size_t>(
                                 std::to_chars(hash.begin(), hash.end(), h).ptr - hash.data())};
    parts[1] = {size.data(), static_cast<std::size_t>(
                                 std::to_chars(size.begin(), size.end(), bytes.size()).ptr -
                                 size.data())};
    parts[2] = key ? key->berichtcode : kNoValue;
    parts[3] = key ? key->afzender : kNoValue;
    parts[4] = key ? key->identificatie : kNoValue;
    parts[5] = routes.size() > 0 ? std::string_view(routes[0]) : std::string_view();
    parts[6] = routes.size() > 1 ? std::string_view(routes[1]) : std::string_view();
  }
  EarlierInputsKey(const EarlierInputsKey&) = delete;  // `parts` point into the buffers
  EarlierInputsKey& operator=(const EarlierInputsKey&) = delete;
};

/// Sends the held rows when earlier_inputs(hash, key, routes) could find one of them.
static void send_held_for_inputs(Ledger::Impl& im, std::int64_t hash,
                                 const std::optional<Ledger::InputKey>& key,
                                 const std::vector<std::string>& routes) {
  if (im.holding() &&
      im.held.touch_inputs(hash, key ? key->berichtcode : std::string_view(),
                           key ? key->afzender : std::string_view(),
                           key ? key->identificatie : std::string_view(), routes))
    im.send_held();
}

// earlier_inputs_sql() for the reads sent ahead in `slot` (defined with the other reads sent
// ahead, below).
static const std::string& ahead_earlier_inputs_sql(int slot);

Ledger::EarlierInputs Ledger::earlier_inputs(std::string_view bytes, std::int64_t hash,
                                             const std::optional<InputKey>& key,
                                             const std::vector<std::string>& routes) {
  if (routes.size() > 2) throw RuntimeError("ledger: earlier_inputs takes at most two routes");
  send_held_for_inputs(*impl_, hash, key, routes);
  Impl::CheckedRead checked(*impl_);
  std::optional<int> slot;
  if (!impl_->ahead.empty()) {
    const EarlierInputsKey k(bytes, hash, key, routes);
    const auto& p = k.parts;
    slot = impl_->take_ahead(Impl::AheadRead::earlier_inputs,
                             {p[0], p[1], p[2], p[3], p[4], p[5], p[6]});
  }
  auto s = impl_->prepare(slot ? ahead_earlier_inputs_sql(*slot) : earlier_inputs_sql());
  if (!slot) bind_earlier_inputs(s, hash, key, routes);
  EarlierInputs out;
  bool same_hash = false, same_key = false;
  while (s.step()) {
    switch (s.i64(2)) {
      case 1: same_hash = true; break;
      case 2: same_key = true; break;
      default: out.taken.push_back(s.text(1)); break;
    }
  }
  // The rows themselves, when there are some (a re-delivery, a TR056 duplicate).
  if (same_hash) out.same_bytes = inputs_with_bytes(bytes, hash);
  if (same_key && key)
    out.same_key = inputs_by_key(key->berichtcode, key->afzender, key->identificatie);
  if (impl_->pg && impl_->pg->writing()) {  // only a PostgreSQL writer uses them (see above)
    impl_->free_routes.clear();
    for (const auto& r : routes)
      if (!r.empty() && std::find(out.taken.begin(), out.taken.end(), r) == out.taken.end())
        impl_->free_routes.push_back(r);
  }
  return out;
}

std::optional<MessageId> Ledger::next_message_id() {
  if (!impl_->pg || !impl_->pg->writing()) return std::nullopt;
  impl_->ensure_ids();
  return impl_->next_ids[static_cast<std::size_t>(Impl::Numbered::messages)];
}

bool Ledger::Impl::route_is_free(const std::string& route) {
  const auto it = std::find(free_routes.begin(), free_routes.end(), route);
  if (it == free_routes.end()) return false;
  free_routes.erase(it);  // taken by the row about to be added
  return true;
}

std::optional<MessageRecord> Ledger::reply_of(MessageId id) const {
  auto s = impl_->prepare(
      ISTD_SQL("SELECT {} FROM messages WHERE reply_to = ? ORDER BY id LIMIT 1", kMessageCols));
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_message(s);
}

std::string Ledger::unique_route(std::string_view wanted) const {
  auto taken = [&](std::string_view p) {
    auto s = impl_->prepare("SELECT 1 FROM messages WHERE route_path = ?");
    s.bind(1, p);
    return s.step();
  };
  if (!taken(wanted)) return std::string(wanted);
  for (int n = 2;; ++n) {
    std::string c = numbered_route(wanted, n);
    if (!taken(c)) return c;
  }
}

std::vector<MessageRecord> Ledger::unmaterialised() const {
  // Raw bytes beyond kHeldBytes are left out (not even loaded): the caller streams them.
  auto s = impl_->prepare(
      ISTD_SQL("SELECT {0}, CASE WHEN {1} THEN NULL ELSE b.bytes END, b.encoding, "
               "CASE WHEN {1} THEN 1 ELSE 0 END "
               "FROM messages LEFT JOIN message_bytes b USING (id) "
               "WHERE id IN (SELECT id FROM unwritten) ORDER BY id",
               kMessageCols, "b.encoding = 0 AND length(b.bytes) > ?1"));
  s.bind(1, static_cast<std::int64_t>(kHeldBytes));
  std::vector<MessageRecord> out;
  while (s.step()) {
    out.push_back(read_message(s));
    out.back().bytes_left_out = s.i64(21) != 0;
    if (!out.back().bytes_left_out) out.back().bytes = read_bytes(s, 19);
  }
  return out;
}

namespace {

// Splits `n` rows into statements of 128, 64, ..., 1 rows (as many full ones as fit, then at
// most one of each smaller size): few round trips on PostgreSQL, and eight statement texts in
// all. Calls `run(first, rows)` for each.
template <class F>
void in_chunks(std::size_t n, F&& run) {
  std::size_t done = 0;
  for (std::size_t rows = 128; done < n; rows = rows > 1 ? rows / 2 : 1)
    for (; n - done >= rows; done += rows) run(done, rows);
}

// "?, ?, ?" with `rows` groups of `group` ("(CAST(? AS BIGINT), ?)", say), comma-separated.
std::string repeated(std::string_view group, std::size_t rows) {
  std::string out;
  out.reserve(rows * (group.size() + 2));
  for (std::size_t k = 0; k < rows; ++k) {
    if (k) out += ", ";
    out += group;
  }
  return out;
}

}  // namespace

void Ledger::mark_materialised(const std::vector<MessageId>& ids) {
  if (!impl_->pg) {  // in-process statements cost no round trip
    auto s = impl_->prepare("DELETE FROM unwritten WHERE id = ?");
    for (auto id : ids) s.reset().bind(1, id).exec();
    return;
  }
  in_chunks(ids.size(), [&](std::size_t first, std::size_t rows) {
    auto s = impl_->prepare(
        fmt::format("DELETE FROM unwritten WHERE id IN ({})", repeated("CAST(? AS BIGINT)", rows)));
    for (std::size_t k = 0; k < rows; ++k) s.bind(static_cast<int>(k + 1), ids[first + k]);
    s.exec();
  });
}

bool Ledger::set_out_dir(const std::string& canonical_dir) {
  {
    auto s = impl_->prepare("SELECT value FROM meta WHERE key = 'out_dir'");
    if (s.step() && s.text(0) == canonical_dir) return false;
  }
  impl_->prepare(
         "INSERT INTO meta(key, value) VALUES('out_dir', ?) "
         "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
      .bind(1, canonical_dir)
      .exec();
  impl_
      ->prepare("INSERT INTO unwritten(id) SELECT id FROM messages WHERE true ON CONFLICT DO NOTHING")
      .exec();
  return true;
}

std::int64_t Ledger::message_count() const {
  auto s = impl_->prepare("SELECT count(*) FROM messages");
  s.step();
  return s.i64(0);
}

MessageId Ledger::max_message_id() const {
  auto s = impl_->prepare("SELECT COALESCE(MAX(id), 0) FROM messages");
  return s.step() ? s.i64(0) : 0;
}

// -------------------------------------------------------------------------------------------
// Allocations


RowId Ledger::add_allocation_version(const AllocationVersion& v, bool* inserted) {
  if (auto e = allocation_version_at(v.gemeente, v.toewijzing_nummer, v.toewijzingsdatum,
                                     v.toewijzingstijd)) {
    if (inserted) *inserted = false;
    return e->id;
  }
  const auto given = impl_->take_id(Impl::Numbered::allocation_versions);
  if (given && impl_->holding()) {
    impl_->hold(held_row(HeldTable::allocation_versions, impl_->domain, v.gemeente,
                         v.toewijzing_nummer, v.bsn, *given, v.message_id, v.gemeente,
                         v.toewijzing_nummer, v.toewijzingsdatum, v.toewijzingstijd, v.bsn,
                         v.agb, v.categorie, v.code, v.ingangsdatum, v.einddatum,
                         v.reden_wijziging, v.volume, v.eenheid, v.frequentie, v.budget,
                         v.referentie_aanbieder));
    if (inserted) *inserted = true;
    return *given;
  }
  auto s = impl_->prepare(
      "INSERT INTO allocation_versions(id, message_id, gemeente, toewijzing_nummer, "
      "toewijzingsdatum, toewijzingstijd, bsn, agb, categorie, code, ingangsdatum, einddatum, "
      "reden_wijziging, volume, eenheid, frequentie, budget, referentie_aanbieder, domain) "
      "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,:domain) RETURNING id");
  s.bind_all(given, v.message_id, v.gemeente, v.toewijzing_nummer, v.toewijzingsdatum,
             v.toewijzingstijd, v.bsn, v.agb, v.categorie, v.code, v.ingangsdatum, v.einddatum,
             v.reden_wijziging, v.volume, v.eenheid, v.frequentie, v.budget,
             v.referentie_aanbieder);
  if (inserted) *inserted = true;
  return insert_with_id(s, given);
}

std::vector<std::int64_t> Ledger::withdraw_allocations_of(MessageId message_id) {
  std::vector<std::int64_t> numbers;
  {
    auto s = impl_->prepare(
        "SELECT DISTINCT toewijzing_nummer FROM allocation_versions WHERE message_id = ? "
        "ORDER BY toewijzing_nummer");
    s.bind(1, message_id);
    while (s.step()) numbers.push_back(s.i64(0));
  }
  impl_->prepare("DELETE FROM allocation_versions WHERE message_id = ?").bind(1, message_id).exec();
  impl_->forget_ids();  // the highest id may be gone: numbered again as SQLite would
  return numbers;
}

// The current version of (gemeente, nummer) (none when nummer is NULL), for current_allocation
// (allocation_state reads it in its own statement).
static const std::string& current_allocation_sql() {
  return ISTD_SQL(
      "SELECT {} FROM allocation_versions WHERE gemeente = ? AND toewijzing_nummer = ? "
      "AND domain = :domain ORDER BY toewijzingsdatum DESC, toewijzingstijd DESC LIMIT 1",
      kAllocCols);
}

std::optional<AllocationVersion> Ledger::current_allocation(std::string_view gemeente,
                                                            std::int64_t nummer) const {
  impl_->before_allocation_read(gemeente, nummer);
  Impl::CheckedRead checked(*impl_);
  auto s = impl_->prepare(current_allocation_sql());
  s.bind(1, gemeente).bind(2, nummer);
  if (!s.step()) return std::nullopt;
  return read_alloc(s);
}

// -- Reads sent ahead (PostgreSQL writer) ----------------------------------------------------
// The judge knows at a message's arrival what the class rules will read first; sent then, those
// reads share the round trip of earlier_inputs (docs/DESIGN.md, "Round trips"), and the next
// messages' are sent while this one is judged. Each read has statements of its own for this
// ("/* ahead 1 */", "/* ahead 2 */", ...: one for each read of a kind that may wait), so that
// no other use of the same SQL in between can take or drop its answer.

namespace {

const std::string& version_at_sql() {
  return ISTD_SQL(
      "SELECT {} FROM allocation_versions WHERE gemeente = ? AND toewijzing_nummer = ? AND "
      "toewijzingsdatum = ? AND toewijzingstijd = ? AND domain = :domain",
      kAllocCols);
}

const std::string& allocation_history_sql() {
  return ISTD_SQL(
      "SELECT {} FROM allocation_versions WHERE gemeente = ? AND toewijzing_nummer = ? "
      "AND domain = :domain ORDER BY toewijzingsdatum, toewijzingstijd",
      kAllocCols);
}

/// The (gemeente, ToewijzingNummer) pairs of the allocation versions a WHERE clause selects.
std::string allocation_keys_sql(std::string_view where) {
  return fmt::format(
      "SELECT gemeente, toewijzing_nummer FROM allocation_versions WHERE {} AND domain = :domain",
      where);
}
constexpr std::string_view kClientWhere = "gemeente = ? AND agb = ? AND bsn = ?";

// allocation_state in one statement: the current version of the allocation (none when the
// number is NULL), then its live starts and stops. The allocation's columns come first
// (kAllocColCount), a start's or stop's after them, NULL where a row has none; the last column
// says which a row is (2 the allocation, 0 a start, 1 a stop). One statement, not one for the
// allocation and one for the starts and stops: on PostgreSQL each statement has a fixed cost on
// the server (its protocol messages, starting and ending its executor) of the order of these
// lookups themselves.
constexpr int kAllocColCount = 18;
constexpr int kStopColCount = 13;
constexpr int column_count(std::string_view columns) {
  return static_cast<int>(std::count(columns.begin(), columns.end(), ',')) + 1;
}
static_assert(column_count(kAllocCols) == kAllocColCount);
static_assert(column_count(kStopCols) == kStopColCount);
static_assert(column_count(kStartCols) + 2 == kStopColCount);
const std::string& allocation_state_sql() {
  return ISTD_SQL(
      "SELECT {0}, {3}, 2 FROM (SELECT {0} FROM allocation_versions WHERE gemeente = ?4 AND "
      "toewijzing_nummer = ?2 AND domain = :domain ORDER BY toewijzingsdatum DESC, "
      "toewijzingstijd DESC LIMIT 1) a "
      "UNION ALL SELECT {4}, {1}, NULL, NULL, 0 FROM starts WHERE bsn = ?1 AND "
      "toewijzing_nummer IS NOT DISTINCT FROM ?2 AND agb = ?3 AND gemeente = ?4 AND "
      "deleted_by IS NULL AND domain = :domain "
      "UNION ALL SELECT {4}, {2}, 1 FROM stops WHERE bsn = ?1 AND "
      "toewijzing_nummer IS NOT DISTINCT FROM ?2 AND agb = ?3 AND gemeente = ?4 AND "
      "deleted_by IS NULL AND domain = :domain",
      kAllocCols, kStartCols, kStopCols, repeated("NULL", std::size_t{kStopColCount}),
      repeated("NULL", std::size_t{kAllocColCount}));
}

const std::string& client_keys_sql() { return ISTD_SQL("{}", allocation_keys_sql(kClientWhere)); }

/// The text of the statement `Base()` for the reads sent ahead in `slot`: statements of their
/// own, so that no other use of the same SQL can take or drop their answers.
template <const std::string& (*Base)()>
const std::string& ahead_sql(int slot) {
  static const std::array<std::string, Ledger::Impl::kAheadSlots> texts = [] {
    std::array<std::string, Ledger::Impl::kAheadSlots> t;
    for (std::size_t i = 0; i < t.size(); ++i)
      t[i] = fmt::format("{} /* ahead {} */", Base(), i + 1);
    return t;
  }();
  return texts.at(static_cast<std::size_t>(slot));
}

/// The statements that hold the answer of a read sent ahead in `slot`.
std::vector<const std::string*> ahead_statements(Ledger::Impl::AheadRead r, int slot) {
  using R = Ledger::Impl::AheadRead;
  switch (r) {
    case R::allocation_state: return {&ahead_sql<allocation_state_sql>(slot)};
    case R::allocation_history: return {&ahead_sql<allocation_history_sql>(slot)};
    case R::version_at: return {&ahead_sql<version_at_sql>(slot)};
    case R::client_allocations: return {&ahead_sql<client_keys_sql>(slot)};
    case R::earlier_inputs: return {&ahead_sql<earlier_inputs_sql>(slot)};
  }
  return {};
}

std::string number_key(std::optional<std::int64_t> n) {
  return n ? std::to_string(*n) : std::string(kNoValue);
}
/// The number a number_key gives.
std::optional<std::int64_t> key_number(std::string_view v) {
  std::int64_t n = 0;
  if (v == kNoValue || std::from_chars(v.data(), v.data() + v.size(), n).ec != std::errc())
    return std::nullopt;
  return n;
}

}  // namespace

static const std::string& ahead_earlier_inputs_sql(int slot) {
  return ahead_sql<earlier_inputs_sql>(slot);
}

namespace {

/// Sends (prefetch) the read of allocation_state for `k`.
void send_allocation_state(Stmt& s, const StartKey& k) {
  s.bind_all(k.bsn, k.toewijzing_nummer, k.agb, k.gemeente).prefetch();
}

// Statements that change only messages and their bytes: they leave the reads sent ahead valid.
// Every other statement that is not a read may change allocations, starts or stops.
bool leaves_allocations_alone(std::string_view sql) {
  for (std::string_view p : {"SELECT ", "SAVEPOINT ", "RELEASE ", "INSERT INTO messages(",
                             "WITH m AS (INSERT INTO messages(", "INSERT INTO message_bytes(",
                             "INSERT INTO unwritten(", "UPDATE messages SET "})
    if (sql.starts_with(p)) return true;
  return false;
}

}  // namespace

void Ledger::Impl::note_statement(std::string_view sql) {
  if (!leaves_allocations_alone(sql)) return forget_ahead();
  // earlier_inputs reads messages: anything but a read or a savepoint may change its answer.
  if (sql.starts_with("SELECT ") || sql.starts_with("SAVEPOINT ") || sql.starts_with("RELEASE "))
    return;
  for (std::size_t i = ahead.size(); i-- > 0;)
    if (ahead[i].read == AheadRead::earlier_inputs) forget_ahead_at(i);
}

bool Ledger::Impl::held_touches(const Ahead& a) const {
  const auto& k = a.key;  // the read's parameters as send_ahead was given them, then the domain
  switch (a.read) {
    case AheadRead::allocation_state: {  // gemeente, agb, bsn, nummer
      const std::string_view bsn = k[2];
      return held.touch_allocation(k[0], key_number(k[3]), &bsn);
    }
    case AheadRead::client_allocations: {  // gemeente, agb, bsn
      const std::string_view bsn = k[2];
      return held.touch_allocation(k[0], std::nullopt, &bsn);
    }
    case AheadRead::allocation_history:  // gemeente, nummer
    case AheadRead::version_at:          // gemeente, nummer, datum, tijd
      return held.touch_allocation(k[0], key_number(k[1]), nullptr);
    case AheadRead::earlier_inputs: {  // hash, size, TR056 key (or kNoValue), two routes
      const std::int64_t hash = key_number(k[0]).value_or(0);
      const bool keyed = k[2] != kNoValue;
      return held.touch_inputs(hash, keyed ? k[2] : "", keyed ? k[3] : "", keyed ? k[4] : "",
                               {k[5], k[6]});
    }
  }
  return true;
}

void Ledger::Impl::forget_ahead_at(std::size_t i) {
  const Ahead a = ahead[i];
  ahead.erase(ahead.begin() + static_cast<std::ptrdiff_t>(i));
  for (const std::string* sql : ahead_statements(a.read, a.slot))
    pg->prepare(*sql, "ledger").clear();
}

void Ledger::Impl::forget_ahead() {
  while (!ahead.empty()) forget_ahead_at(ahead.size() - 1);
}

std::optional<int> Ledger::Impl::take_ahead(AheadRead read,
                                            std::initializer_list<std::string_view> key) {
  const auto it = std::find_if(ahead.begin(), ahead.end(), [&](const Ahead& a) {
    return a.read == read && a.key.size() == key.size() + 1 &&
           std::equal(key.begin(), key.end(), a.key.begin()) &&
           a.key.back() == domain_of(read, domain);
  });
  if (it == ahead.end()) return std::nullopt;
  const int slot = it->slot;
  ahead.erase(it);  // its statements now belong to the caller, who reads and clears them
  return slot;
}

/// Sends a read ahead: `send(slot)` prepares, binds and prefetches the read's statements
/// (ahead_statements) and lets go of them (Stmt::release: their answers are kept until the read
/// is taken or forgotten). The same read already waiting is not sent again. kAheadSlots of a
/// kind may wait (the slots); one more takes the slot of the oldest, which is forgotten.
template <typename Send>
static void send_ahead(Ledger::Impl& im, Ledger::Impl::AheadRead read,
                       std::initializer_list<std::string_view> key_of_read, Send&& send) {
  if (!im.pg || !im.pg->writing()) return;
  std::vector<std::string> key(key_of_read.begin(), key_of_read.end());
  key.emplace_back(Ledger::Impl::domain_of(read, im.domain));
  std::array<bool, Ledger::Impl::kAheadSlots> used{};
  std::size_t older = im.ahead.size();
  for (std::size_t i = 0; i < im.ahead.size(); ++i) {
    const auto& a = im.ahead[i];
    if (a.read != read) continue;
    if (a.key == key) return;  // already on its way
    used[static_cast<std::size_t>(a.slot)] = true;
    if (older == im.ahead.size()) older = i;
  }
  int slot = 0;
  while (slot < Ledger::Impl::kAheadSlots && used[static_cast<std::size_t>(slot)]) ++slot;
  if (slot == Ledger::Impl::kAheadSlots) {
    slot = im.ahead[older].slot;
    im.forget_ahead_at(older);
  }
  // Also when no entry says so: a statement must not keep an answer from an earlier send.
  for (const std::string* sql : ahead_statements(read, slot)) im.pg->prepare(*sql, "ledger").clear();
  send(slot);
  im.ahead.push_back({read, slot, std::move(key)});
}

void Ledger::expect_allocation_state(const StartKey& k) {
  impl_->before_allocation_read(k.gemeente, k.toewijzing_nummer, k.bsn, true);
  Impl::CheckedRead checked(*impl_);
  send_ahead(*impl_, Impl::AheadRead::allocation_state,
             {k.gemeente, k.agb, k.bsn, number_key(k.toewijzing_nummer)}, [&](int slot) {
    auto s = impl_->prepare(ahead_sql<allocation_state_sql>(slot));
    send_allocation_state(s, k);
    s.release();
  });
}

void Ledger::expect_allocation_history(std::string_view gemeente, std::int64_t nummer) {
  impl_->before_allocation_read(gemeente, nummer);
  Impl::CheckedRead checked(*impl_);
  send_ahead(*impl_, Impl::AheadRead::allocation_history,
             {gemeente, std::to_string(nummer)}, [&](int slot) {
               auto s = impl_->prepare(ahead_sql<allocation_history_sql>(slot));
               s.bind(1, gemeente).bind(2, nummer).prefetch();
               s.release();
             });
}

void Ledger::expect_allocations_of_client(std::string_view gemeente, std::string_view agb,
                                          std::string_view bsn) {
  impl_->before_allocation_read(gemeente, std::nullopt, bsn, true);
  Impl::CheckedRead checked(*impl_);
  send_ahead(*impl_, Impl::AheadRead::client_allocations,
             {gemeente, agb, bsn}, [&](int slot) {
               auto s = impl_->prepare(ahead_sql<client_keys_sql>(slot));
               s.bind_all(gemeente, agb, bsn).prefetch();
               s.release();
             });
}

void Ledger::expect_allocation_version_at(std::string_view gemeente, std::int64_t nummer,
                                          std::string_view datum, std::string_view tijd) {
  impl_->before_allocation_read(gemeente, nummer);
  Impl::CheckedRead checked(*impl_);
  send_ahead(*impl_, Impl::AheadRead::version_at,
             {gemeente, std::to_string(nummer), datum, tijd}, [&](int slot) {
               auto s = impl_->prepare(ahead_sql<version_at_sql>(slot));
               s.bind_all(gemeente, nummer, datum, tijd).prefetch();
               s.release();
             });
}

void Ledger::expect_earlier_inputs(std::string_view bytes, std::int64_t hash,
                                   const std::optional<InputKey>& key,
                                   const std::vector<std::string>& routes) {
  if (!impl_->holding() || routes.size() > 2) return;
  send_held_for_inputs(*impl_, hash, key, routes);
  Impl::CheckedRead checked(*impl_);
  const EarlierInputsKey k(bytes, hash, key, routes);
  const auto& p = k.parts;
  send_ahead(*impl_, Impl::AheadRead::earlier_inputs,
             {p[0], p[1], p[2], p[3], p[4], p[5], p[6]}, [&](int slot) {
               auto s = impl_->prepare(ahead_earlier_inputs_sql(slot));
               bind_earlier_inputs(s, hash, key, routes);
               s.prefetch();
               s.release();
             });
  // The last read sent for an input after this one: the server reads what was sent while the
  // rules judge this one, and returns each answer as it is ready.
  impl_->pg->push();
}

std::optional<AllocationVersion> Ledger::allocation_version_at(std::string_view gemeente,
                                                               std::int64_t nummer,
                                                               std::string_view datum,
                                                               std::string_view tijd) const {
  impl_->before_allocation_read(gemeente, nummer);
  Impl::CheckedRead checked(*impl_);
  const auto sent = impl_->take_ahead(Impl::AheadRead::version_at,
                                      {gemeente, std::to_string(nummer), datum, tijd});
  auto s = impl_->prepare(sent ? ahead_sql<version_at_sql>(*sent) : version_at_sql());
  if (!sent) s.bind_all(gemeente, nummer, datum, tijd);
  if (!s.step()) return std::nullopt;
  return read_alloc(s);
}

std::vector<AllocationVersion> Ledger::allocation_history(std::string_view gemeente,
                                                          std::int64_t nummer) const {
  impl_->before_allocation_read(gemeente, nummer);
  Impl::CheckedRead checked(*impl_);
  const auto sent =
      impl_->take_ahead(Impl::AheadRead::allocation_history, {gemeente, std::to_string(nummer)});
  auto s = impl_->prepare(sent ? ahead_sql<allocation_history_sql>(*sent)
                               : allocation_history_sql());
  if (!sent) s.bind(1, gemeente).bind(2, nummer);
  std::vector<AllocationVersion> out;
  while (s.step()) out.push_back(read_alloc(s));
  return out;
}

// Current versions among the rows a WHERE clause selects: the (gemeente, nummer) pairs it
// matches, each resolved to its latest version (which may itself not match the clause, e.g. when
// a number was reused for another Bsn: the current version is what counts).
// `keys_sql` is allocation_keys_sql(WHERE clause) with its parameters `args`, or a read of it
// sent ahead (its answer waits; no `args`).
static std::vector<AllocationVersion> current_of(const Ledger& l, Ledger::Impl& impl,
                                                 const std::string& keys_sql,
                                                 const std::vector<std::string_view>& args) {
  std::vector<std::pair<std::string, std::int64_t>> keys;
  {
    // No DISTINCT / ORDER BY in SQL: with them SQLite prefers the UNIQUE(gemeente, nummer, ..)
    // index (it yields that order) and scans every allocation of the gemeente instead of using
    // the index that matches `where` — a scan per 301 that grows with the ledger. Sort here.
    auto s = impl.prepare(keys_sql);
    for (std::size_t i = 0; i < args.size(); ++i) s.bind(static_cast<int>(i + 1), args[i]);
    while (s.step()) keys.emplace_back(s.text(0), s.i64(1));
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  std::vector<AllocationVersion> out;
  for (const auto& [g, n] : keys)
    if (auto v = l.current_allocation(g, n)) out.push_back(std::move(*v));
  return out;
}

std::vector<AllocationVersion> Ledger::allocations_of_bsn(std::string_view bsn) const {
  return current_of(*this, *impl_, allocation_keys_sql("bsn = ?"), {bsn});
}

std::vector<AllocationVersion> Ledger::allocations_of_provider(
    std::string_view agb, std::optional<std::string_view> gemeente) const {
  if (gemeente)
    return current_of(*this, *impl_, allocation_keys_sql("agb = ? AND gemeente = ?"),
                      {agb, *gemeente});
  return current_of(*this, *impl_, allocation_keys_sql("agb = ?"), {agb});
}

std::vector<AllocationVersion> Ledger::allocations_of_client(std::string_view gemeente,
                                                             std::string_view agb,
                                                             std::string_view bsn) const {
  impl_->before_allocation_read(gemeente, std::nullopt, bsn, true);
  Impl::CheckedRead checked(*impl_);
  if (const auto slot =
          impl_->take_ahead(Impl::AheadRead::client_allocations, {gemeente, agb, bsn}))
    return current_of(*this, *impl_, ahead_sql<client_keys_sql>(*slot), {});
  return current_of(*this, *impl_, allocation_keys_sql(kClientWhere), {gemeente, agb, bsn});
}

// -------------------------------------------------------------------------------------------
// Starts and stops


RowId Ledger::add_start(const StartRecord& r) {
  const auto given = impl_->take_id(Impl::Numbered::starts);
  if (given && impl_->holding()) {
    impl_->hold(held_row(HeldTable::starts, impl_->domain, r.gemeente, r.toewijzing_nummer,
                         r.bsn, *given, r.agb, r.gemeente, r.bsn, r.toewijzing_nummer,
                         r.categorie, r.code, r.begindatum, r.toewijzing_ingangsdatum,
                         r.inserted_by, r.deleted_by));
    return *given;
  }
  auto s = impl_->prepare(
      "INSERT INTO starts(id, agb, gemeente, bsn, toewijzing_nummer, categorie, code, "
      "begindatum, toewijzing_ingangsdatum, inserted_by, deleted_by, domain) "
      "VALUES(?,?,?,?,?,?,?,?,?,?,?,:domain) RETURNING id");
  s.bind_all(given, r.agb, r.gemeente, r.bsn, r.toewijzing_nummer, r.categorie, r.code,
             r.begindatum, r.toewijzing_ingangsdatum, r.inserted_by, r.deleted_by);
  return insert_with_id(s, given);
}

RowId Ledger::add_stop(const StopRecord& r) {
  const auto given = impl_->take_id(Impl::Numbered::stops);
  if (given && impl_->holding()) {
    impl_->hold(held_row(HeldTable::stops, impl_->domain, r.gemeente, r.toewijzing_nummer, r.bsn,
                         *given, r.agb, r.gemeente, r.bsn, r.toewijzing_nummer, r.categorie,
                         r.code, r.begindatum, r.toewijzing_ingangsdatum, r.inserted_by,
                         r.deleted_by, r.reden_beeindiging, r.einddatum));
    return *given;
  }
  auto s = impl_->prepare(
      "INSERT INTO stops(id, agb, gemeente, bsn, toewijzing_nummer, categorie, code, begindatum, "
      "toewijzing_ingangsdatum, inserted_by, deleted_by, reden_beeindiging, einddatum, domain) "
      "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,:domain) RETURNING id");
  s.bind_all(given, r.agb, r.gemeente, r.bsn, r.toewijzing_nummer, r.categorie, r.code,
             r.begindatum, r.toewijzing_ingangsdatum, r.inserted_by, r.deleted_by,
             r.reden_beeindiging, r.einddatum);
  return insert_with_id(s, given);
}

void Ledger::delete_start(RowId id, MessageId by) {
  impl_->prepare("UPDATE starts SET deleted_by = ? WHERE id = ?").bind(1, by).bind(2, id).exec();
}
void Ledger::delete_stop(RowId id, MessageId by) {
  impl_->prepare("UPDATE stops SET deleted_by = ? WHERE id = ?").bind(1, by).bind(2, id).exec();
}

std::optional<StartRecord> Ledger::live_start(const StartKey& k) const {
  auto s = impl_->prepare(ISTD_SQL(
      "SELECT {} FROM starts WHERE bsn = ? AND toewijzing_nummer IS NOT DISTINCT FROM ? AND agb = ? AND "
      "gemeente = ? AND categorie IS NOT DISTINCT FROM ? AND code IS NOT DISTINCT FROM ? AND begindatum = ? AND deleted_by IS NULL "
      "AND domain = :domain",
      kStartCols));
  s.bind_all(k.bsn, k.toewijzing_nummer, k.agb, k.gemeente, k.categorie, k.code, k.begindatum);
  if (!s.step()) return std::nullopt;
  return read_start(s);
}

std::optional<StopRecord> Ledger::live_stop(const StartKey& k, std::string_view reden,
                                            std::string_view einddatum) const {
  auto s = impl_->prepare(
      ISTD_SQL("SELECT {} FROM stops WHERE bsn = ? AND toewijzing_nummer IS NOT DISTINCT FROM ? AND agb = ? AND "
               "gemeente = ? AND categorie IS NOT DISTINCT FROM ? AND code IS NOT DISTINCT FROM ? AND begindatum = ? AND "
               "reden_beeindiging = ? AND einddatum = ? AND deleted_by IS NULL AND domain = :domain",
               kStopCols));
  s.bind_all(k.bsn, k.toewijzing_nummer, k.agb, k.gemeente, k.categorie, k.code, k.begindatum,
             reden, einddatum);
  if (!s.step()) return std::nullopt;
  return read_stop(s);
}

// Sorted here: an ORDER BY makes SQLite build a temporary sorter for every call (a few rows;
// this runs for every 305/307).
static void sort_live(std::vector<StartRecord>& rows) {
  std::sort(rows.begin(), rows.end(), [](const StartRecord& a, const StartRecord& b) {
    return std::tie(a.begindatum, a.id) < std::tie(b.begindatum, b.id);
  });
}
static void sort_live(std::vector<StopRecord>& rows) {
  std::sort(rows.begin(), rows.end(), [](const StopRecord& a, const StopRecord& b) {
    return std::tie(a.begindatum, a.einddatum, a.id) < std::tie(b.begindatum, b.einddatum, b.id);
  });
}

std::vector<StartRecord> Ledger::live_starts(std::string_view agb, std::string_view gemeente,
                                             std::string_view bsn,
                                             std::optional<std::int64_t> nummer) const {
  auto s = impl_->prepare(ISTD_SQL(
      "SELECT {} FROM starts WHERE bsn = ? AND toewijzing_nummer IS NOT DISTINCT FROM ? AND "
      "agb = ? AND gemeente = ? AND deleted_by IS NULL AND domain = :domain",
      kStartCols));
  s.bind_all(bsn, nummer, agb, gemeente);
  std::vector<StartRecord> out;
  while (s.step()) out.push_back(read_start(s));
  sort_live(out);
  return out;
}

std::vector<StopRecord> Ledger::live_stops(std::string_view agb, std::string_view gemeente,
                                           std::string_view bsn,
                                           std::optional<std::int64_t> nummer) const {
  auto s = impl_->prepare(ISTD_SQL(
      "SELECT {} FROM stops WHERE bsn = ? AND toewijzing_nummer IS NOT DISTINCT FROM ? AND "
      "agb = ? AND gemeente = ? AND deleted_by IS NULL AND domain = :domain",
      kStopCols));
  s.bind_all(bsn, nummer, agb, gemeente);
  std::vector<StopRecord> out;
  while (s.step()) out.push_back(read_stop(s));
  sort_live(out);
  return out;
}

/// allocation_state's answers, read from its statement.
static AllocationState read_allocation_state(Stmt& s) {
  AllocationState out;
  while (s.step()) {
    switch (s.i64(kAllocColCount + kStopColCount)) {
      case 2: out.allocation = read_alloc(s); break;
      case 0: out.starts.push_back(read_start(s, kAllocColCount)); break;
      default: out.stops.push_back(read_stop(s, kAllocColCount)); break;
    }
  }
  sort_live(out.starts);
  sort_live(out.stops);
  return out;
}

AllocationState Ledger::allocation_state(const StartKey& k) const {
  impl_->before_allocation_read(k.gemeente, k.toewijzing_nummer, k.bsn, true);
  Impl::CheckedRead checked(*impl_);
  if (const auto slot = impl_->take_ahead(Impl::AheadRead::allocation_state,
                                          {k.gemeente, k.agb, k.bsn,
                                           number_key(k.toewijzing_nummer)})) {
    auto s = impl_->prepare(ahead_sql<allocation_state_sql>(*slot));
    return read_allocation_state(s);
  }
  auto s = impl_->prepare(allocation_state_sql());
  send_allocation_state(s, k);
  return read_allocation_state(s);
}

std::vector<StartRecord> Ledger::starts_of_bsn(std::string_view bsn, bool include_deleted) const {
  auto s = impl_->prepare(ISTD_SQL(
      "SELECT {} FROM starts WHERE bsn = ? AND (? OR deleted_by IS NULL) AND domain = :domain "
      "ORDER BY gemeente, toewijzing_nummer NULLS FIRST, begindatum, id",
      kStartCols));
  s.bind(1, bsn).bind(2, include_deleted ? 1 : 0);
  std::vector<StartRecord> out;
  while (s.step()) out.push_back(read_start(s));
  return out;
}

std::vector<StopRecord> Ledger::stops_of_bsn(std::string_view bsn, bool include_deleted) const {
  auto s = impl_->prepare(ISTD_SQL(
      "SELECT {} FROM stops WHERE bsn = ? AND (? OR deleted_by IS NULL) AND domain = :domain "
      "ORDER BY gemeente, toewijzing_nummer NULLS FIRST, begindatum, einddatum, id",
      kStopCols));
  s.bind(1, bsn).bind(2, include_deleted ? 1 : 0);
  std::vector<StopRecord> out;
  while (s.step()) out.push_back(read_stop(s));
  return out;
}

// -------------------------------------------------------------------------------------------
// Declarations and prestaties


RowId Ledger::add_declaration(const DeclarationRecord& d) {
  const auto given = impl_->take_id(Impl::Numbered::declarations);
  auto s = impl_->prepare(
      "INSERT INTO declarations(id, message_id, agb, gemeente, declaratie_nummer, periode_begin, "
      "periode_eind, declaratie_dagtekening, totaal_bedrag, totaal_dc, identificatie, "
      "dagtekening, xsd_basis, xsd_bericht, intake_codes, status, retourcodes, "
      "answer_message_id, domain) "
      "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,:domain) RETURNING id");
  s.bind_all(given, d.message_id, d.agb, d.gemeente, d.declaratie_nummer, d.periode_begin,
             d.periode_eind, d.declaratie_dagtekening, d.totaal_bedrag, d.totaal_dc,
             d.identificatie, d.dagtekening, d.xsd_basis, d.xsd_bericht, join(d.intake_codes),
             d.status == DeclarationStatus::answered ? "answered" : "pending",
             join(d.retourcodes), d.answer_message_id);
  return insert_with_id(s, given);
}

RowId Ledger::add_prestatie(const PrestatieRecord& p) {
  const auto given = impl_->take_id(Impl::Numbered::prestaties);
  auto s = impl_->prepare(
      "INSERT INTO prestaties(id, declaration_id, position, agb, gemeente, bsn, "
      "referentie_nummer, vorig_referentie_nummer, toewijzing_nummer, product_categorie, "
      "product_code, periode_begin, periode_eind, geleverd_volume, eenheid, product_tarief, "
      "bedrag, debet_credit, verdict, retourcodes, credited_by, domain) "
      "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,:domain) RETURNING id");
  s.bind_all(given, p.declaration_id, p.position, p.agb, p.gemeente, p.bsn, p.referentie_nummer,
             p.vorig_referentie_nummer, p.toewijzing_nummer, p.product_categorie,
             p.product_code, p.periode_begin, p.periode_eind, p.geleverd_volume, p.eenheid,
             p.product_tarief, p.bedrag, p.debet_credit, to_string(p.verdict),
             join(p.retourcodes), p.credited_by);
  return insert_with_id(s, given);
}

std::optional<DeclarationRecord> Ledger::declaration(RowId id) const {
  auto s = impl_->prepare(ISTD_SQL("SELECT {} FROM declarations WHERE id = ?", kDeclCols));
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_decl(s);
}

std::vector<DeclarationRecord> Ledger::pending_declarations() const {
  auto s = impl_->prepare(
      ISTD_SQL("SELECT {} FROM declarations WHERE status = 'pending' AND domain = :domain "
               "ORDER BY id",
               kDeclCols));
  std::vector<DeclarationRecord> out;
  while (s.step()) out.push_back(read_decl(s));
  return out;
}

std::vector<DeclarationRecord> Ledger::declarations_in_month(
    int year, int month, std::optional<std::string_view> agb,
    std::optional<std::string_view> gemeente) const {
  auto s = impl_->prepare(
      ISTD_SQL("SELECT {} FROM declarations WHERE periode_begin = ? AND (CAST(? AS TEXT) IS NULL OR agb = ?) AND "
               "(CAST(? AS TEXT) IS NULL OR gemeente = ?) AND domain = :domain ORDER BY id",
               kDeclCols));
  s.bind(1, fmt::format("{:04d}-{:02d}-01", year, month));
  if (agb)
    s.bind(2, *agb).bind(3, *agb);
  else
    s.bind_null(2).bind_null(3);
  if (gemeente)
    s.bind(4, *gemeente).bind(5, *gemeente);
  else
    s.bind_null(4).bind_null(5);
  std::vector<DeclarationRecord> out;
  while (s.step()) out.push_back(read_decl(s));
  return out;
}

std::vector<DeclarationRecord> Ledger::declarations_by_nummer(
    std::string_view agb, std::string_view declaratie_nummer) const {
  auto s = impl_->prepare(
      ISTD_SQL("SELECT {} FROM declarations WHERE agb = ? AND declaratie_nummer = ? AND "
               "domain = :domain ORDER BY id",
               kDeclCols));
  s.bind(1, agb).bind(2, declaratie_nummer);
  std::vector<DeclarationRecord> out;
  while (s.step()) out.push_back(read_decl(s));
  return out;
}

std::vector<PrestatieRecord> Ledger::prestaties_of_declaration(RowId declaration_id) const {
  auto s = impl_->prepare(
      ISTD_SQL("SELECT {} FROM prestaties WHERE declaration_id = ? ORDER BY position", kPrestCols));
  s.bind(1, declaration_id);
  std::vector<PrestatieRecord> out;
  while (s.step()) out.push_back(read_prest(s));
  return out;
}

std::vector<PrestatieRecord> Ledger::prestaties_by_referentie(
    std::string_view agb, std::string_view referentie_nummer) const {
  auto s = impl_->prepare(ISTD_SQL(
      "SELECT {} FROM prestaties WHERE agb = ? AND referentie_nummer = ? AND domain = :domain "
      "ORDER BY id",
      kPrestCols));
  s.bind(1, agb).bind(2, referentie_nummer);
  std::vector<PrestatieRecord> out;
  while (s.step()) out.push_back(read_prest(s));
  return out;
}

std::vector<PrestatieRecord> Ledger::prestaties_by_functional_key(
    std::string_view agb, std::int64_t nummer, std::string_view categorie, std::string_view code,
    std::string_view periode_begin, std::string_view periode_eind) const {
  auto s = impl_->prepare(ISTD_SQL(
      "SELECT {} FROM prestaties WHERE agb = ? AND toewijzing_nummer = ? AND "
      "product_categorie = ? AND product_code = ? AND periode_begin = ? AND periode_eind = ? "
      "AND domain = :domain ORDER BY id",
      kPrestCols));
  s.bind_all(agb, nummer, categorie, code, periode_begin, periode_eind);
  std::vector<PrestatieRecord> out;
  while (s.step()) out.push_back(read_prest(s));
  return out;
}

std::vector<PrestatieRecord> Ledger::prestaties_of_allocation(std::string_view agb,
                                                              std::int64_t nummer) const {
  auto s = impl_->prepare(ISTD_SQL(
      "SELECT {} FROM prestaties WHERE agb = ? AND toewijzing_nummer = ? AND domain = :domain "
      "ORDER BY id",
      kPrestCols));
  s.bind(1, agb).bind(2, nummer);
  std::vector<PrestatieRecord> out;
  while (s.step()) out.push_back(read_prest(s));
  return out;
}

void Ledger::set_prestatie_verdict(RowId id, PrestatieVerdict v,
                                   const std::vector<std::string>& retourcodes) {
  impl_->prepare("UPDATE prestaties SET verdict = ?, retourcodes = ? WHERE id = ?")
      .bind(1, to_string(v))
      .bind(2, join(retourcodes))
      .bind(3, id)
      .exec();
}

void Ledger::set_prestatie_verdicts(const std::vector<PrestatieVerdictUpdate>& updates) {
  if (!impl_->pg) {  // in-process statements cost no round trip
    for (const auto& u : updates) set_prestatie_verdict(u.prestatie_id, u.verdict, u.retourcodes);
    return;
  }
  in_chunks(updates.size(), [&](std::size_t first, std::size_t rows) {
    auto s = impl_->prepare(fmt::format(
        "UPDATE prestaties SET verdict = v.column2, retourcodes = v.column3 FROM (VALUES {}) AS v "
        "WHERE prestaties.id = v.column1",
        repeated("(CAST(? AS BIGINT), ?, ?)", rows)));
    for (std::size_t k = 0; k < rows; ++k) {
      const auto& u = updates[first + k];
      const int p = static_cast<int>(3 * k + 1);
      s.bind(p, u.prestatie_id).bind(p + 1, to_string(u.verdict)).bind(p + 2, join(u.retourcodes));
    }
    s.exec();
  });
}

void Ledger::set_credited_by(RowId debit_id, RowId credit_id) {
  impl_->prepare("UPDATE prestaties SET credited_by = ? WHERE id = ?")
      .bind(1, credit_id)
      .bind(2, debit_id)
      .exec();
}

void Ledger::set_declaration_answered(RowId id, const std::vector<std::string>& retourcodes,
                                      MessageId answer) {
  impl_
      ->prepare(
          "UPDATE declarations SET status = 'answered', retourcodes = ?, answer_message_id = ? "
          "WHERE id = ?")
      .bind(1, join(retourcodes))
      .bind(2, answer)
      .bind(3, id)
      .exec();
}

// -------------------------------------------------------------------------------------------
// Dump

std::string Ledger::dump() const {
  std::ostringstream out;
  static const char* const kTables[][2] = {
      {"schema_version", "SELECT version FROM schema_version"},
      {"messages",
       "SELECT id, role, type, berichtcode, afzender, ontvanger, identificatie, dagtekening, "
       "xsd_basis, xsd_bericht, source, content_hash, (SELECT length(bytes) FROM message_bytes b "
       "WHERE b.id = messages.id), verdict, level, findings, "
       "reply_to, route_path, reason FROM messages ORDER BY id"},
      {"allocation_versions", "SELECT * FROM allocation_versions ORDER BY id"},
      {"starts", "SELECT * FROM starts ORDER BY id"},
      {"stops", "SELECT * FROM stops ORDER BY id"},
      {"declarations", "SELECT * FROM declarations ORDER BY id"},
      {"prestaties", "SELECT * FROM prestaties ORDER BY id"},
      {"requests", "SELECT * FROM requests ORDER BY id"},
      {"answers", "SELECT * FROM answers ORDER BY id"},
      {"cak_exports", "SELECT number, made_on, line_count FROM cak_exports ORDER BY number"},
      {"cak_lines", "SELECT * FROM cak_lines ORDER BY export_number, seq"},
      {"cak_episodes", "SELECT * FROM cak_episodes ORDER BY eb_start_nummer"},
  };
  for (const auto& t : kTables) {
    out << "== " << t[0] << '\n';
    auto s = impl_->prepare(t[1]);
    while (s.step()) {
      const int n = s.columns();
      for (int c = 0; c < n; ++c) {
        if (c) out << '|';
        out << (s.is_null(c) ? std::string("NULL") : s.text(c));
      }
      out << '\n';
    }
  }
  return out.str();
}

// -------------------------------------------------------------------------------------------

std::optional<delivery::Result> delivery_intervals(const Ledger& ledger, std::string_view gemeente,
                                                   std::int64_t nummer,
                                                   const delivery::Options& options) {
  auto a = ledger.current_allocation(gemeente, nummer);
  if (!a) return std::nullopt;
  delivery::Allocation alloc;
  alloc.ingangsdatum = model::parse_date(a->ingangsdatum).value_or(model::Date{});
  if (a->einddatum) alloc.einddatum = model::parse_date(*a->einddatum);
  alloc.deleted = a->deleted();
  std::vector<delivery::Start> starts;
  std::vector<delivery::Stop> stops;
  for (const auto& s : ledger.live_starts(a->agb, a->gemeente, a->bsn, nummer)) {
    auto b = model::parse_date(s.begindatum);
    if (!b) continue;
    starts.push_back({*b, fmt::format("start {} (message {})", s.begindatum, s.inserted_by)});
  }
  for (const auto& s : ledger.live_stops(a->agb, a->gemeente, a->bsn, nummer)) {
    auto b = model::parse_date(s.begindatum);
    auto e = model::parse_date(s.einddatum);
    if (!b || !e) continue;
    stops.push_back({*b, s.reden_beeindiging, *e,
                     fmt::format("stop {} reden {} (message {})", s.einddatum, s.reden_beeindiging,
                                 s.inserted_by)});
  }
  return delivery::compute(alloc, std::move(starts), std::move(stops), options);
}

}  // namespace istd::ledger
