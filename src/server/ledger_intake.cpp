#include "server/ledger_intake.hpp"

#include <sqlite3.h>

#include <optional>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "core/ledger/ledger.hpp"

namespace istd::server {

struct LedgerIntake::Impl {
  std::filesystem::path db_file;
  std::shared_ptr<const SchemaBundle> schemas;
  ingest::Options options;
  std::function<model::Date()> today;
  ledger::Ledger ledger;
  std::optional<ingest::Ingestor> ingestor;
  sqlite3* reader = nullptr;
  sqlite3_stmt* list_stmt = nullptr;

  Impl(const std::filesystem::path& db, std::shared_ptr<const SchemaBundle> s, ingest::Options o,
       std::function<model::Date()> t)
      : db_file(db), schemas(std::move(s)), options(std::move(o)), today(std::move(t)),
        ledger(db) {
    options.batch_size = 1;
    ingestor.emplace(ledger, schemas, options);
    ingestor->recover();
    if (sqlite3_open_v2(db.c_str(), &reader, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK)
      fail("open");
    sqlite3_busy_timeout(reader, 10'000);
    // The ledger has no "messages delivered to a party" query (yet); this reads the documented
    // messages table (ledger.hpp) directly. Delivered-to = first component of route_path.
    // Only ids (and received_at, which MessageRecord lacks) come from SQL; everything else is
    // read through Ledger::message().
    const char* sql =
        "SELECT id, received_at FROM messages "
        "WHERE substr(route_path, 1, length(?1)) = ?1 AND id > ?2 AND received_at >= ?3 "
        "ORDER BY id LIMIT ?4";
    if (sqlite3_prepare_v2(reader, sql, -1, &list_stmt, nullptr) != SQLITE_OK) fail("prepare");
  }

  ~Impl() {
    sqlite3_finalize(list_stmt);
    sqlite3_close(reader);
  }

  [[noreturn]] void fail(const char* what) {
    throw RuntimeError(fmt::format("ledger {}: {} failed: {}", db_file.string(), what,
                                   reader ? sqlite3_errmsg(reader) : "out of memory"));
  }

  static std::string text(sqlite3_stmt* s, int col) {
    const auto* p = sqlite3_column_text(s, col);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<std::size_t>(sqlite3_column_bytes(s, col)))
             : std::string();
  }
};

LedgerIntake::LedgerIntake(const std::filesystem::path& db,
                           std::shared_ptr<const SchemaBundle> schemas, ingest::Options options,
                           std::function<model::Date()> today)
    : impl_(std::make_unique<Impl>(db, std::move(schemas), std::move(options), std::move(today))) {}

LedgerIntake::~LedgerIntake() = default;

IntakeResult LedgerIntake::submit(std::string_view bytes, ValidationResult result) {
  auto& im = *impl_;
  ingest::Outcome o;
  if (im.today) {
    const model::Date d = im.today();
    if (!(d == im.options.today)) {
      im.ingestor->flush();
      im.ingestor.reset();
      im.options.today = d;
      im.ingestor.emplace(im.ledger, im.schemas, im.options);
    }
  }
  try {
    // One message per transaction (batch size 1): process() commits before it returns (a
    // duplicate included); the files are written by the ingestor's file thread and flagged
    // materialised in the next transaction (or by close()).
    o = im.ingestor->process(bytes, std::move(result));
  } catch (...) {
    // Drop whatever the failed message left uncommitted (as a crash would) and start afresh.
    im.ingestor.reset();
    im.ingestor.emplace(im.ledger, im.schemas, im.options);
    throw;
  }
  IntakeResult r;
  r.id = o.message_id;
  r.accepted = o.accepted;
  r.duplicate = o.duplicate;
  r.quarantined = o.quarantined;
  r.verdict = std::string(ledger::to_string(im.ledger.message(o.message_id).verdict));
  r.result = std::move(o.result);
  if (!o.retour.empty()) {
    if (auto rep = im.ledger.reply_of(o.message_id)) {
      r.retour = im.ledger.message(rep->id).bytes;
      r.retour_route = rep->route_path;
    }
  }
  return r;
}

std::vector<StoredMessage> LedgerIntake::list_for(const std::string& party, const Since& since,
                                                  std::size_t limit) {
  auto& im = *impl_;
  sqlite3_stmt* s = im.list_stmt;
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  const std::string prefix = party + "/";
  sqlite3_bind_text(s, 1, prefix.data(), static_cast<int>(prefix.size()), SQLITE_TRANSIENT);
  sqlite3_bind_int64(s, 2, since.after_id);
  sqlite3_bind_text(s, 3, since.from_time.data(), static_cast<int>(since.from_time.size()),
                    SQLITE_TRANSIENT);
  sqlite3_bind_int64(s, 4, static_cast<sqlite3_int64>(limit));
  std::vector<StoredMessage> out;
  for (;;) {
    const int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) im.fail("listing messages");
    StoredMessage m;
    m.id = sqlite3_column_int64(s, 0);
    m.received_at = Impl::text(s, 1);
    out.push_back(std::move(m));
  }
  sqlite3_reset(s);
  for (auto& m : out) {
    ledger::MessageRecord rec = im.ledger.message(m.id);
    m.role = rec.role == ledger::Role::output ? "output" : "input";
    m.type = rec.type;
    m.afzender = rec.afzender;
    m.ontvanger = rec.ontvanger;
    m.identificatie = rec.identificatie;
    m.dagtekening = rec.dagtekening;
    m.verdict = std::string(ledger::to_string(rec.verdict));
    m.reply_to = rec.reply_to;
    m.bytes = std::move(rec.bytes);
  }
  return out;
}
void LedgerIntake::close() {
  if (impl_->ingestor) impl_->ingestor->flush();
}

}  // namespace istd::server
