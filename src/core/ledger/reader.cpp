// The read-only connection of reader.hpp: its SQL, on the tables documented in ledger.hpp.
#include "core/ledger/reader.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <limits>
#include <unordered_map>
#include <utility>

#include "core/errors.hpp"
#include "core/ledger/pg.hpp"
#include "core/ledger/rows.hpp"
#include "core/ledger/statement.hpp"

namespace istd::ledger {

struct Reader::Impl {
  std::string file;
  sqlite3* db = nullptr;                // SQLite ledgers
  std::unique_ptr<pg::Connection> pg;   // PostgreSQL ledgers
  int version = 0;
  std::string query_failed;    // "<file>: ledger query failed": start of a failure's message
  std::string listing_failed;  // "ledger <file>: listing messages failed"
  // Prepared once per Reader (the listing runs for every request of a party).
  std::unordered_map<std::string, sqlite3_stmt*> cache;

  ~Impl() {
    for (auto& [sql, s] : cache) sqlite3_finalize(s);
    if (db) sqlite3_close(db);
  }

  /// A statement of `sql`; `context` starts the message of a failure while it runs.
  Stmt prepare(const std::string& sql, std::string_view context) {
    if (pg) return Stmt(pg->prepare(sql, context));
    auto it = cache.find(sql);
    if (it == cache.end()) {
      sqlite3_stmt* s = nullptr;
      if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                             SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK)
        throw RuntimeError(fmt::format("{}: {}", query_failed, sqlite3_errmsg(db)));
      it = cache.emplace(sql, s).first;
    }
    return Stmt(db, it->second, context);
  }
  Stmt query(const std::string& sql) { return prepare(sql, query_failed); }

  // The legal domain of the whole-table reads ('wmo' | 'jw'); rows of the other domain are left
  // out from schema 6 on (older ledgers hold only iWmo rows, and no iJw ones at all).
  std::string domain = "wmo";
  std::string domain_literal() const { return version >= 6 ? "'" + domain + "'" : ""; }
  std::string in_domain(std::string_view where) const {
    if (version < 6) {
      if (domain != "wmo") return " WHERE 1 = 0";
      return where.empty() ? std::string() : " WHERE " + std::string(where);
    }
    return " WHERE " + (where.empty() ? std::string() : std::string(where) + " AND ") +
           "domain = '" + domain + "'";
  }
};

Reader::Reader(const std::filesystem::path& file) : impl_(std::make_unique<Impl>()) {
  auto& im = *impl_;
  im.file = file.string();
  if (pg::is_url(im.file)) {
    im.pg = std::make_unique<pg::Connection>(im.file, true);
    im.file = im.pg->where();
  } else if (!std::filesystem::exists(file)) {
    throw ConfigError(fmt::format("{}: no such ledger", im.file));
  } else if (sqlite3_open_v2(file.c_str(), &im.db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    std::string msg = im.db ? sqlite3_errmsg(im.db) : "out of memory";
    sqlite3_close(im.db);
    im.db = nullptr;
    throw RuntimeError(fmt::format("{}: cannot open the ledger: {}", im.file, msg));
  }
  if (im.db) sqlite3_busy_timeout(im.db, 10000);
  im.query_failed = fmt::format("{}: ledger query failed", im.file);
  im.listing_failed = fmt::format("ledger {}: listing messages failed", im.file);
  std::int64_t v = 0;
  {
    auto s = im.query("SELECT version FROM schema_version");
    if (s.step()) v = s.i64(0);
  }
  if (v < 1 || v > kSchemaVersion)
    throw ConfigError(
        fmt::format("{}: ledger schema version {} (this istd reads versions 1 to {}{})", im.file, v,
                    kSchemaVersion, v > kSchemaVersion ? "; use a newer istd" : ""));
  im.version = static_cast<int>(v);
}

Reader::~Reader() = default;

int Reader::schema_version() const { return impl_->version; }
void Reader::set_standard(model::Standard s) { impl_->domain = model::standard_key(s); }

MessageId Reader::max_message_id() const {
  auto s = impl_->query("SELECT COALESCE(MAX(id), 0) FROM messages");
  return s.step() ? s.i64(0) : 0;
}

void Reader::for_each_input_header(const std::function<void(InputHeader&&)>& row) const {
  auto s = impl_->query(
      "SELECT m.id, m.type, m.afzender, m.ontvanger, m.identificatie, m.dagtekening, "
      "m.received_at, m.verdict, m.reason IS NOT NULL, "
      "EXISTS(SELECT 1 FROM messages r WHERE r.reply_to = m.id) "
      "FROM messages m WHERE m.role = 'input' AND m.type <> '' ORDER BY m.id");
  while (s.step()) {
    InputHeader h;
    h.id = s.i64(0);
    h.type = s.text(1);
    h.afzender = s.text(2);
    h.ontvanger = s.text(3);
    h.identificatie = s.text(4);
    h.dagtekening = s.text(5);
    h.received_at = s.text(6);
    h.verdict = verdict_from(s.text(7));
    h.quarantined = s.i64(8) != 0;
    h.answered = s.i64(9) != 0;
    row(std::move(h));
  }
}

std::vector<RequestStatus> Reader::request_statuses(std::string_view party) const {
  if (impl_->version < 5) return {};
  if (impl_->version < 6 && impl_->domain != "wmo") return {};  // older ledgers: Wmo rows only
  auto prepare = [this](const std::string& sql) { return impl_->query(sql); };
  const std::string domain = impl_->domain_literal();
  if (party.empty()) return request_statuses_where(prepare, domain, "");
  return request_statuses_where(prepare, domain, "r.gemeente = ?1 OR r.agb = ?1", party);
}

std::vector<MessageLabel> Reader::functional_inputs() const {
  auto s = impl_->query(
      "SELECT id, type, identificatie FROM messages WHERE role = 'input' AND type IN "
      "('WMO301', 'WMO305', 'WMO307')");
  std::vector<MessageLabel> out;
  while (s.step()) out.push_back({s.i64(0), s.text(1), s.text(2)});
  return out;
}

void Reader::for_each_allocation_version(
    const std::function<void(AllocationVersion&&)>& row) const {
  auto s = impl_->query(
      fmt::format("SELECT {} FROM allocation_versions{} ORDER BY gemeente, toewijzing_nummer, "
                  "toewijzingsdatum, toewijzingstijd",
                  kAllocCols, impl_->in_domain("")));
  while (s.step()) row(read_alloc(s));
}

void Reader::for_each_numbered_start(const std::function<void(StartRecord&&)>& row) const {
  auto s = impl_->query(
      fmt::format("SELECT {} FROM starts{} ORDER BY id", kStartCols,
                  impl_->in_domain("toewijzing_nummer IS NOT NULL")));
  while (s.step()) row(read_start(s));
}

void Reader::for_each_numbered_stop(const std::function<void(StopRecord&&)>& row) const {
  auto s =
      impl_->query(fmt::format("SELECT {} FROM stops{} ORDER BY id", kStopCols,
                               impl_->in_domain("toewijzing_nummer IS NOT NULL")));
  while (s.step()) row(read_stop(s));
}

std::int64_t Reader::declaration_count() const {
  auto s = impl_->query("SELECT count(*) FROM declarations" + impl_->in_domain(""));
  return s.step() ? s.i64(0) : 0;
}

void Reader::for_each_declaration(const std::function<void(DeclarationRecord&&)>& row) const {
  auto s = impl_->query(
      fmt::format("SELECT {} FROM declarations{} ORDER BY id", kDeclCols, impl_->in_domain("")));
  while (s.step()) row(read_decl(s));
}

void Reader::for_each_prestatie(const std::function<bool(RowId declaration_id)>& wanted,
                                const std::function<void(PrestatieRecord&&)>& row) const {
  auto s = impl_->query(
      fmt::format("SELECT {} FROM prestaties{} ORDER BY id", kPrestCols, impl_->in_domain("")));
  while (s.step()) {
    if (!wanted(s.i64(1))) continue;  // column 1: declaration_id
    row(read_prest(s));
  }
}

std::vector<RoutedMessage> Reader::routed_to(std::string_view party, MessageId after_id,
                                             std::string_view received_from,
                                             std::size_t limit) const {
  // Delivered to = first component of route_path.
  auto s = impl_->prepare(
      "SELECT id, received_at FROM messages "
      "WHERE substr(route_path, 1, length(?1)) = ?1 AND id > ?2 AND received_at >= ?3 "
      "ORDER BY id LIMIT ?4",
      impl_->listing_failed);
  s.bind(1, fmt::format("{}/", party))
      .bind(2, after_id)
      .bind(3, received_from)
      .bind(4, static_cast<std::int64_t>(
                   std::min<std::size_t>(limit, std::numeric_limits<std::int64_t>::max())));
  std::vector<RoutedMessage> out;
  while (s.step()) out.push_back({s.i64(0), s.text(1)});
  return out;
}

}  // namespace istd::ledger
