// The PostgreSQL side of the ledger's connections (pg.hpp), on libpq.
#include "core/ledger/pg.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>

#include "core/errors.hpp"

namespace istd::ledger::pg {

namespace {

// The advisory lock every writing transaction holds: one key for all istd ledgers ("istd" in
// ASCII); ledgers in different databases do not share locks.
constexpr std::int64_t kWriterLock = 0x69737464;

// SQLSTATE 53100 disk_full; class 53 also holds out-of-memory and too-many-connections,
// which are not a full disk.
bool storage_full(const char* sqlstate) { return sqlstate && std::strcmp(sqlstate, "53100") == 0; }

std::string error_text(pg_conn* conn, pg_result* r) {
  const char* m = r ? PQresultErrorMessage(r) : nullptr;
  if (!m || !*m) m = PQerrorMessage(conn);
  std::string s = m ? m : "unknown error";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

[[noreturn]] void throw_error(pg_conn* conn, pg_result* r, std::string_view context) {
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  std::string message = fmt::format("{}: {}", context, error_text(conn, r));
  const bool full = storage_full(state);
  if (r) PQclear(r);
  if (full) throw StorageFullError(std::move(message));
  throw RuntimeError(std::move(message));
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool is_url(std::string_view location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

std::string redact(std::string_view url) {
  std::string out(url);
  // A password among the parameters: ...?host=h&password=secret -> ...&password=***
  if (const auto q = out.find('?'); q != std::string::npos) {
    for (auto p = out.find("password=", q); p != std::string::npos;
         p = out.find("password=", p + 1)) {
      if (out[p - 1] != '?' && out[p - 1] != '&') continue;
      const auto from = p + 9;
      const auto end = out.find('&', from);
      out.replace(from, (end == std::string::npos ? out.size() : end) - from, "***");
    }
  }
  // postgresql://user:secret@host/db -> postgresql://user:***@host/db
  const auto scheme = out.find("://");
  if (scheme == std::string::npos) return out;
  const auto at = out.find('@', scheme + 3);
  const auto slash = out.find('/', scheme + 3);
  if (at == std::string::npos || (slash != std::string::npos && slash < at)) return out;
  const auto colon = out.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return out;
  return out.substr(0, colon + 1) + "***" + out.substr(at);
}

std::string translate(std::string_view sql, int& domain_index, int& parameter_count) {
  std::string out;
  out.reserve(sql.size() + 16);
  int highest = 0;
  domain_index = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {  // a literal or quoted name, doubled quotes inside
      const std::size_t end = sql.find(c, i + 1);
      const std::size_t stop = end == std::string_view::npos ? sql.size() : end + 1;
      out.append(sql.substr(i, stop - i));
      i = stop - 1;
      continue;
    }
    if (c == '?') {
      std::size_t j = i + 1;
      int n = 0;
      while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9') n = n * 10 + (sql[j++] - '0');
      if (j == i + 1) n = highest + 1;
      highest = std::max(highest, n);
      out += fmt::format("${}", n);
      i = j - 1;
      continue;
    }
    if (c == ':' && sql.substr(i, 7) == ":domain" &&
        (i + 7 == sql.size() || !(std::isalnum(static_cast<unsigned char>(sql[i + 7])) ||
                                  sql[i + 7] == '_'))) {
      if (domain_index == 0) domain_index = ++highest;
      out += fmt::format("${}", domain_index);
      i += 6;
      continue;
    }
    out += c;
  }
  parameter_count = highest;
  return out;
}

// -- Statement ------------------------------------------------------------------------------

Statement::Statement(Connection& conn, std::string name, int parameters, int domain_index,
                     std::string_view context)
    : conn_(conn),
      name_(std::move(name)),
      context_(context),
      domain_index_(domain_index),
      values_(static_cast<std::size_t>(parameters)),
      present_(static_cast<std::size_t>(parameters), 0),
      formats_(static_cast<std::size_t>(parameters), 0),
      pointers_(static_cast<std::size_t>(parameters), nullptr),
      lengths_(static_cast<std::size_t>(parameters), 0) {}

Statement::~Statement() {
  if (result_) PQclear(result_);
}

void Statement::set(int i, std::string value, bool binary) {
  if (i < 1 || i > static_cast<int>(values_.size()))
    throw RuntimeError(fmt::format("{}: parameter {} out of range", context_, i));
  const auto k = static_cast<std::size_t>(i - 1);
  values_[k] = std::move(value);
  present_[k] = 1;
  formats_[k] = binary ? 1 : 0;
}

void Statement::bind_text(int i, std::string_view v) {
  // A text parameter ends at its first NUL byte; the ledger's texts hold none (XML forbids it).
  set(i, std::string(v), false);
}
void Statement::bind_bytes(int i, std::string_view v) { set(i, std::string(v), true); }
void Statement::bind_i64(int i, std::int64_t v) { set(i, std::to_string(v), false); }
void Statement::bind_null(int i) {
  set(i, std::string(), false);
  present_[static_cast<std::size_t>(i - 1)] = 0;
}

void Statement::fill_pointers() {
  const std::size_t n = values_.size();
  for (std::size_t k = 0; k < n; ++k) {
    pointers_[k] = present_[k] ? values_[k].data() : nullptr;
    lengths_[k] = static_cast<int>(values_[k].size());
  }
}

bool Statement::step() {
  if (!result_) {
    if (awaiting_) {
      conn_.collect(*this);  // stores the answer (take)
      if (!result_) throw RuntimeError(fmt::format("{}: the answer was lost", context_));
    } else {
      take(conn_.run(*this));
    }
  }
  decoded_.clear();
  if (row_ + 1 < rows_) {
    ++row_;
    return true;
  }
  row_ = rows_;
  return false;
}

void Statement::exec() {
  if (!result_ && !awaiting_ && conn_.writing_) {
    conn_.send(*this, false);
    return;
  }
  while (step()) {
  }
}

void Statement::prefetch() {
  if (result_ || awaiting_ || !conn_.writing_) return;
  // Set first: send() may read the answer at once (kMaxPending), and keeps it only for a
  // statement that awaits it.
  awaiting_ = true;
  ++generation_;
  try {
    conn_.send(*this, true);
  } catch (...) {
    awaiting_ = false;
    throw;
  }
}

void Statement::take(pg_result* r) {
  if (result_) PQclear(result_);
  result_ = r;
  rows_ = PQntuples(r);
  row_ = -1;
  awaiting_ = false;
}

void Statement::reset() {
  if (result_) PQclear(result_);
  result_ = nullptr;
  awaiting_ = false;  // an answer still on its way is dropped when it comes
  row_ = -1;
  rows_ = 0;
  decoded_.clear();
}

void Statement::clear() {
  reset();
  for (std::size_t k = 0; k < values_.size(); ++k) {
    present_[k] = 0;
    formats_[k] = 0;
    values_[k].clear();
  }
}

bool Statement::is_null(int c) const { return PQgetisnull(result_, row_, c) != 0; }

std::int64_t Statement::i64(int c) const {
  const char* p = PQgetvalue(result_, row_, c);
  const int n = PQgetlength(result_, row_, c);
  if (n == 0) return 0;                 // NULL
  if (n == 1 && *p == 't') return 1;    // a boolean, read as SQLite gives it
  if (n == 1 && *p == 'f') return 0;
  std::int64_t v = 0;
  std::from_chars(p, p + n, v);
  return v;
}

std::string_view Statement::text(int c) const {
  return {PQgetvalue(result_, row_, c), static_cast<std::size_t>(PQgetlength(result_, row_, c))};
}

std::string_view Statement::bytes(int c) const {
  // bytea in text form: "\x" and two hex digits a byte.
  const std::string_view t = text(c);
  if (t.size() < 2 || t[0] != '\\' || t[1] != 'x') return t;
  if (decoded_.size() <= static_cast<std::size_t>(c)) decoded_.resize(static_cast<std::size_t>(c) + 1);
  std::string& out = decoded_[static_cast<std::size_t>(c)];
  out.resize((t.size() - 2) / 2);
  for (std::size_t k = 0; k < out.size(); ++k)
    out[k] = static_cast<char>(hex_value(t[2 + 2 * k]) * 16 + hex_value(t[3 + 2 * k]));
  return out;
}

int Statement::columns() const { return result_ ? PQnfields(result_) : 0; }

// -- Connection -----------------------------------------------------------------------------

Connection::Connection(std::string_view url, bool read_only) : where_(redact(url)) {
  conn_ = PQconnectdb(std::string(url).c_str());
  if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
    std::string why = conn_ ? error_text(conn_, nullptr) : "out of memory";
    if (conn_) PQfinish(conn_);
    conn_ = nullptr;
    throw ConfigError(fmt::format("ledger {}: cannot connect: {}", where_, why));
  }
  // Notices ("relation already exists, skipping") are not for the user.
  PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
  exec("SET client_encoding = 'UTF8'; SET datestyle = 'ISO'; SET bytea_output = 'hex'");
  if (read_only) {
    // Reports and reconcile run each statement a few times over large ranges: a plan made for
    // the values at hand.
    exec("SET default_transaction_read_only = on; SET plan_cache_mode = force_custom_plan");
  } else {
    // The writer runs the same few lookups and inserts for every message: after five runs
    // PostgreSQL keeps one plan per statement instead of planning every call. The writer keeps
    // the statistics those plans are made from up to date (Ledger::Impl::refresh_statistics).
    exec("SET plan_cache_mode = auto");
  }
}

Connection::~Connection() {
  if (pipelined_) {
    try {
      drain();
    } catch (...) {
      // A destructor must not throw; the server rolls back an unfinished transaction.
    }
  }
  cache_.clear();
  if (conn_) PQfinish(conn_);
}

Statement& Connection::prepare(std::string_view sql, std::string_view context) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return *it->second;
  drain();  // PQprepare waits for its answer: not in pipeline mode
  int domain = 0, count = 0;
  const std::string text = translate(sql, domain, count);
  std::string name = fmt::format("istd_{}", cache_.size() + 1);
  pg_result* r = PQprepare(conn_, name.c_str(), text.c_str(), count, nullptr);
  if (!r || PQresultStatus(r) != PGRES_COMMAND_OK)
    throw_error(conn_, r, fmt::format("ledger {}: prepare", where_));
  PQclear(r);
  auto stmt = std::make_unique<Statement>(*this, std::move(name), count, domain, context);
  return *cache_.emplace(std::string(sql), std::move(stmt)).first->second;
}

void Connection::exec(std::string_view script) {
  drain();
  pg_result* r = PQexec(conn_, std::string(script).c_str());
  const auto status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    throw_error(conn_, r, fmt::format("ledger {}", where_));
  PQclear(r);
}

void Connection::commit() {
  writing_ = false;
  failed_ = false;
  try {
    drain();
  } catch (...) {
    // A statement sent without waiting failed: the transaction is lost; end it.
    pg_result* r = PQexec(conn_, "ROLLBACK");
    if (r) PQclear(r);
    throw;
  }
  pg_result* r = PQexec(conn_, "COMMIT");
  const auto status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK) throw_error(conn_, r, fmt::format("ledger {}", where_));
  // COMMIT of a transaction in which a statement failed ends it with a rollback.
  const bool rolled_back = std::strcmp(PQcmdStatus(r), "ROLLBACK") == 0;
  PQclear(r);
  if (rolled_back)
    throw RuntimeError(fmt::format(
        "ledger {}: the transaction was rolled back by the server (a statement of it failed)",
        where_));
}

void Connection::rollback() {
  writing_ = false;
  failed_ = false;
  try {
    drain();
  } catch (...) {
    // The failure of a statement being rolled back is of no more interest.
  }
  exec("ROLLBACK");
}

bool Connection::in_transaction() const {
  return writing_ || PQtransactionStatus(conn_) != PQTRANS_IDLE;
}

void Connection::begin_write() {
  // READ COMMITTED whatever the database's default: a writer that waited for the lock must see
  // what the writer before it committed.
  exec(fmt::format("BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock({})",
                   kWriterLock));
  writing_ = true;
  failed_ = false;
}

// -- Pipelining -----------------------------------------------------------------------------

namespace {
// Answers awaited at most before they are read: the server's answers to statements sent without
// waiting are small, but unread they would fill the socket in the end.
constexpr std::size_t kMaxPending = 256;
}  // namespace

void Connection::refuse_after_failure() const {
  if (failed_)
    throw RuntimeError(fmt::format(
        "ledger {}: an earlier statement of this transaction failed; it must be rolled back",
        where_));
}

pg_result* Connection::run(Statement& s) {
  refuse_after_failure();
  s.fill_pointers();
  const int n = static_cast<int>(s.values_.size());
  if (!pipelined_) {
    pg_result* r = PQexecPrepared(conn_, s.name_.c_str(), n, s.pointers_.data(),
                                  s.lengths_.data(), s.formats_.data(), 0);
    const auto status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      failed_ = writing_;
      throw_error(conn_, r, s.context_);
    }
    return r;
  }
  if (!PQsendQueryPrepared(conn_, s.name_.c_str(), n, s.pointers_.data(), s.lengths_.data(),
                           s.formats_.data(), 0) ||
      !PQpipelineSync(conn_))
    throw_error(conn_, nullptr, s.context_);
  pending_.push_back({&s, false, 0});
  return read_answers(true);
}

void Connection::collect(const Statement& s) {
  if (pending_.empty()) return;
  // Its answer is the one to its latest send; when that was pushed, the answers up to it are
  // on their way without a sync.
  for (std::size_t k = pushed_; k-- > 0;) {
    const Sent& x = pending_[k];
    if (x.statement == &s && x.keep && x.generation == s.generation_) {
      read_pushed(k + 1);
      return;
    }
  }
  if (!PQpipelineSync(conn_)) throw_error(conn_, nullptr, fmt::format("ledger {}", where_));
  read_answers(false);
}

void Connection::push() {
  if (!pipelined_ || pending_.size() == pushed_) return;
  if (!PQsendFlushRequest(conn_) || PQflush(conn_) != 0)
    throw_error(conn_, nullptr, fmt::format("ledger {}", where_));
  pushed_ = pending_.size();
}

void Connection::send(Statement& s, bool keep) {
  refuse_after_failure();
  if (!pipelined_) {
    if (!PQenterPipelineMode(conn_)) throw_error(conn_, nullptr, fmt::format("ledger {}", where_));
    pipelined_ = true;
  }
  s.fill_pointers();
  if (!PQsendQueryPrepared(conn_, s.name_.c_str(), static_cast<int>(s.values_.size()),
                           s.pointers_.data(), s.lengths_.data(), s.formats_.data(), 0))
    throw_error(conn_, nullptr, s.context_);
  pending_.push_back({&s, keep, s.generation_});
  unsynced_ = true;
  if (pending_.size() >= kMaxPending) {
    if (!PQpipelineSync(conn_)) throw_error(conn_, nullptr, s.context_);
    read_answers(false);
  }
  // Not flushed: libpq sends it with the next statement that waits, or with push() (one write,
  // one wake-up of the server, instead of one for each).
}

void Connection::drain() {
  if (!pipelined_) return;
  // Also when every answer was read (pushed): a run of statements ends with a sync.
  if (!pending_.empty() || unsynced_) {
    try {
      if (!PQpipelineSync(conn_)) throw_error(conn_, nullptr, fmt::format("ledger {}", where_));
      read_answers(false);
    } catch (...) {
      pipelined_ = !PQexitPipelineMode(conn_);
      throw;
    }
  }
  if (!PQexitPipelineMode(conn_)) throw_error(conn_, nullptr, fmt::format("ledger {}", where_));
  pipelined_ = false;
}

void Connection::settle(pg_result* r, const Sent& sent, pg_result*& failure,
                        const Statement*& failed) {
  const auto status = PQresultStatus(r);
  if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
    if (sent.keep && sent.statement->awaiting_ &&
        sent.generation == sent.statement->generation_ && !failure)
      sent.statement->take(r);
    else
      PQclear(r);
  } else if (!failure && status != PGRES_PIPELINE_ABORTED) {
    failure = r;  // the first failure; the statements after it were not run
    failed = sent.statement;
  } else {
    PQclear(r);
  }
}

void Connection::read_pushed(std::size_t n) {
  pg_result* failure = nullptr;
  const Statement* failed = nullptr;
  std::size_t read = 0;
  for (; read < n; ++read) {
    pg_result* r = PQgetResult(conn_);
    if (!r) break;
    while (pg_result* extra = PQgetResult(conn_)) PQclear(extra);  // up to the query's end
    settle(r, pending_[read], failure, failed);
  }
  for (std::size_t k = 0; k < read; ++k)  // prefetches whose answer did not come
    if (pending_[k].keep && pending_[k].statement->awaiting_ &&
        pending_[k].generation == pending_[k].statement->generation_)
      pending_[k].statement->awaiting_ = false;
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(read));
  pushed_ -= read;
  if (failure || read < n) failed_ = writing_;
  if (failure) {
    // After a failure the server skips everything up to a sync (and a ROLLBACK sent before one
    // would wait for ever): the sync, and the answers of the statements sent after it.
    try {
      if (PQpipelineSync(conn_)) read_answers(false);
    } catch (...) {
      // The first failure is the one reported.
    }
    throw_error(conn_, failure, failed->context_);
  }
  if (read < n)
    throw RuntimeError(fmt::format(
        "ledger {}: the answers of {} statements sent to the server were lost: {}", where_,
        n - read, error_text(conn_, nullptr)));
}

pg_result* Connection::read_answers(bool keep_last) {
  pg_result* failure = nullptr;
  const Statement* failed = nullptr;
  pg_result* last = nullptr;
  bool lost = false;
  for (std::size_t k = 0; k < pending_.size(); ++k) {
    pg_result* r = PQgetResult(conn_);
    if (!r) {
      lost = true;
      break;
    }
    while (pg_result* extra = PQgetResult(conn_)) PQclear(extra);  // up to the query's end
    const auto status = PQresultStatus(r);
    if (keep_last && k + 1 == pending_.size() &&
        (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK))
      last = r;
    else
      settle(r, pending_[k], failure, failed);
  }
  if (!lost) {  // the sync that ends the answers
    pg_result* r = PQgetResult(conn_);
    lost = !r || PQresultStatus(r) != PGRES_PIPELINE_SYNC;
    if (r) PQclear(r);
    unsynced_ = lost;
  }
  const std::size_t sent = pending_.size();
  for (const Sent& x : pending_)  // prefetches whose answer did not come
    if (x.keep && x.statement->awaiting_) x.statement->awaiting_ = false;
  pending_.clear();
  pushed_ = 0;
  if (failure || lost) failed_ = writing_;
  if (failure) {
    if (last) PQclear(last);
    throw_error(conn_, failure, failed->context_);
  }
  if (lost || (keep_last && !last)) {
    if (last) PQclear(last);
    throw RuntimeError(fmt::format(
        "ledger {}: the answers of {} statements sent to the server were lost: {}", where_, sent,
        error_text(conn_, nullptr)));
  }
  return last;
}

}  // namespace istd::ledger::pg
