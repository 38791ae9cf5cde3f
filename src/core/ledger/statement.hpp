// Internal to src/core/ledger/: the prepared-statement wrapper the ledger's SQL runs through
// (ledger.cpp, reader.cpp). Nothing outside the ledger includes it (SQLite stays inside).
#pragma once

#include <fmt/format.h>
#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/errors.hpp"
#include "core/ledger/pg.hpp"

// The SQL text of a call site, formatted once (its column lists are constants): queries that
// run per message do not build a string each time before the statement cache finds them.
#define ISTD_SQL(...)                                             \
  ([]() -> const std::string& {                                   \
    static const std::string sql_text = fmt::format(__VA_ARGS__); \
    return sql_text;                                              \
  }())

namespace istd::ledger {

/// True when the last failure on `db` was a full disk or quota (SQLITE_FULL, or an I/O error
/// whose errno says so). Read it before anything else runs on the connection (a ROLLBACK).
inline bool storage_full(sqlite3* db) {
  const int primary = sqlite3_extended_errcode(db) & 0xff;
  return primary == SQLITE_FULL ||
         (primary == SQLITE_IOERR && is_storage_full(sqlite3_system_errno(db)));
}

/// Throws StorageFullError or RuntimeError for the last failure on `db`.
[[noreturn]] inline void throw_sqlite_error(sqlite3* db, std::string message) {
  if (storage_full(db)) throw StorageFullError(std::move(message));
  throw RuntimeError(std::move(message));
}

class Stmt {
 public:
  /// `context` starts the message of a failure ("<context>: <SQLite's message>"); by default
  /// "ledger". It must outlive the Stmt.
  Stmt(sqlite3* db, sqlite3_stmt* s, std::string_view context = "ledger")
      : db_(db), s_(s), context_(context) {}
  /// A statement of a PostgreSQL ledger (pg.hpp).
  explicit Stmt(pg::Statement& s) : pg_(&s), context_("ledger") {}
  ~Stmt() {
    if (pg_) {
      pg_->clear();
    } else if (s_) {
      sqlite3_reset(s_);
      sqlite3_clear_bindings(s_);
    }
  }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& bind(int i, std::string_view v) {
    if (pg_) {
      pg_->bind_text(i, v);
      return *this;
    }
    check(sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
    return *this;
  }
  Stmt& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  Stmt& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  /// Text bound without a copy: `v` must stay alive until the statement has run.
  Stmt& bind_static(int i, std::string_view v) {
    if (pg_) return bind(i, v);
    check(sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC));
    return *this;
  }
  Stmt& bind_static(int i, const std::optional<std::string>& v) {
    if (v) return bind_static(i, std::string_view(*v));
    return bind_null(i);
  }
  Stmt& bind_static(int i, const std::string& v) { return bind_static(i, std::string_view(v)); }
  Stmt& bind_static(int i, const char* v) { return bind_static(i, std::string_view(v)); }
  /// Binds without a copy: `v` must stay alive until the statement has run (message bytes,
  /// 1-3 KB each, are the largest values the ledger writes).
  Stmt& bind_blob_static(int i, std::string_view v) {
    if (pg_) {
      pg_->bind_bytes(i, v);
      return *this;
    }
    check(sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC));
    return *this;
  }
  Stmt& bind(int i, std::int64_t v) {
    if (pg_) {
      pg_->bind_i64(i, v);
      return *this;
    }
    check(sqlite3_bind_int64(s_, i, v));
    return *this;
  }
  Stmt& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  Stmt& bind_null(int i) {
    if (pg_) {
      pg_->bind_null(i);
      return *this;
    }
    check(sqlite3_bind_null(s_, i));
    return *this;
  }
  template <typename T>
  Stmt& bind(int i, const std::optional<T>& v) {
    if (v) return bind(i, *v);
    return bind_null(i);
  }
  /// Binds the values to parameters 1, 2, ... in order.
  template <typename... Ts>
  Stmt& bind_all(const Ts&... vs) {
    int i = 0;
    (bind(++i, vs), ...);
    return *this;
  }

  /// True while a row is available.
  bool step() {
    if (pg_) return pg_->step();
    int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw_sqlite_error(db_, fail());
  }
  /// Runs the statement for its effect. On PostgreSQL, inside a write transaction, it is sent
  /// without waiting for its answer: a failure is thrown by a later statement or the commit.
  void exec() {
    if (pg_) return pg_->exec();
    while (step()) {
    }
  }
  /// On PostgreSQL, inside a write transaction: sends the statement now; its rows are read at
  /// the first step(). Reads prefetched one after the other share one round trip. On SQLite
  /// nothing (the statement runs at its first step()).
  Stmt& prefetch() {
    if (pg_) pg_->prefetch();
    return *this;
  }
  /// PostgreSQL: lets go of the statement and keeps what it was sent with and its answer to
  /// come (a prefetch read later through another Stmt of the same statement).
  void release() {
    if (!pg_)
      throw RuntimeError(fmt::format("{}: release() is for PostgreSQL statements", context_));
    pg_ = nullptr;
  }
  /// Runs an INSERT ... RETURNING id: the new row's id.
  std::int64_t insert_returning_id() {
    if (!step()) throw RuntimeError(fmt::format("{}: the insert returned no id", context_));
    const std::int64_t id = i64(0);
    exec();
    return id;
  }
  /// Makes the statement ready for new bindings (after exec/step).
  Stmt& reset() {
    if (pg_)
      pg_->reset();
    else
      sqlite3_reset(s_);
    return *this;
  }

  bool is_null(int c) const {
    if (pg_) return pg_->is_null(c);
    return sqlite3_column_type(s_, c) == SQLITE_NULL;
  }
  std::int64_t i64(int c) const {
    if (pg_) return pg_->i64(c);
    return sqlite3_column_int64(s_, c);
  }
  std::string text(int c) const {
    if (pg_) return std::string(pg_->text(c));
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, c));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s_, c)))
             : std::string();
  }
  /// Valid until the next step/reset of this statement.
  std::string_view blob_view(int c) const {
    if (pg_) return pg_->bytes(c);
    const void* p = sqlite3_column_blob(s_, c);
    int n = sqlite3_column_bytes(s_, c);
    return p ? std::string_view(static_cast<const char*>(p), static_cast<std::size_t>(n))
             : std::string_view();
  }
  std::optional<std::string> opt_text(int c) const {
    if (is_null(c)) return std::nullopt;
    return text(c);
  }
  std::optional<std::int64_t> opt_i64(int c) const {
    if (is_null(c)) return std::nullopt;
    return i64(c);
  }
  /// The number of columns of the statement's result.
  int columns() const {
    if (pg_) return pg_->columns();
    return sqlite3_column_count(s_);
  }

 private:
  void check(int rc) {
    if (rc != SQLITE_OK) throw_sqlite_error(db_, fail());
  }
  std::string fail() const { return fmt::format("{}: {}", context_, sqlite3_errmsg(db_)); }
  sqlite3* db_ = nullptr;
  sqlite3_stmt* s_ = nullptr;
  pg::Statement* pg_ = nullptr;
  std::string_view context_;
};

}  // namespace istd::ledger
