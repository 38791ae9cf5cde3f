// Internal to src/core/ledger/: the state behind a Ledger (its SQLite connection and statement
// cache), shared by the files that implement the Ledger's operations (ledger.cpp, cak_register.cpp).
#pragma once

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/errors.hpp"
#include "core/ledger/ledger.hpp"
#include "core/ledger/held_rows.hpp"
#include "core/ledger/pg.hpp"
#include "core/ledger/statement.hpp"

namespace istd::ledger {

/// The current UTC time as "YYYY-MM-DDTHH:MM:SSZ" (received_at, made_at).
inline std::string now_utc() {
  auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

struct Ledger::Impl {
  std::filesystem::path file;  // the SQLite file, or the PostgreSQL URL (without password: where)
  std::string where;           // how messages name the ledger
  sqlite3* db = nullptr;                // SQLite ledgers
  std::unique_ptr<pg::Connection> pg;   // PostgreSQL ledgers
  // PostgreSQL: sync_wal()'s connection (opened at its first call; any thread may call it).
  std::mutex flusher_mu;
  std::unique_ptr<pg::Connection> flusher;
  int version = 0;
  OpenOptions::Sync sync = OpenOptions::Sync::full;
  // PostgreSQL: messages this connection wrote, and the count at which it next refreshes the
  // planner's statistics (Transaction::commit).
  std::uint64_t pg_messages_written = 0;
  std::uint64_t pg_next_analyze = 256;
  // PostgreSQL, inside a write transaction: the ids of new rows, given by istd. The writer
  // holds the writers' lock (pg::Connection::begin_write), so no other process adds rows until
  // it commits: the next id of a table is its highest + 1, as SQLite gives a rowid. An insert
  // that names its id needs no answer from the server (it is pipelined, pg.hpp). Read once per
  // transaction; forgotten when it ends and after a rollback to a savepoint.
  enum class Numbered : std::size_t {
    messages, allocation_versions, starts, stops, declarations, prestaties, requests, answers,
  };
  static constexpr std::size_t kNumberedTables = 8;
  std::array<std::int64_t, kNumberedTables> next_ids{};
  bool ids_known = false;
  /// The id for a new row of `t`; nullopt when the database gives it (SQLite, or outside a
  /// write transaction).
  std::optional<std::int64_t> take_id(Numbered t);
  void forget_ids() { ids_known = false; }
  /// The next ids as they are now (nullopt when not known), and back to them after a rollback
  /// to a savepoint: the rows numbered since are gone.
  using SavedIds = std::optional<std::array<std::int64_t, kNumberedTables>>;
  SavedIds save_ids() const { return ids_known ? SavedIds(next_ids) : std::nullopt; }
  void restore_ids(const SavedIds& saved) {
    ids_known = saved.has_value();
    if (saved) next_ids = *saved;
  }
  /// Reads the highest ids when they are not known yet (PostgreSQL writer only).
  void ensure_ids();
  // PostgreSQL, inside a write transaction: routes found free by the last earlier_inputs. A
  // row with such a route is added without waiting for the server's answer. Forgotten when the
  // transaction ends.
  std::vector<std::string> free_routes;
  /// True when a row with `route` may be added without asking (then it is no longer free).
  bool route_is_free(const std::string& route);
  void forget_routes() { free_routes.clear(); }
  // PostgreSQL, inside a write transaction: reads sent ahead (Ledger::expect_allocation_state
  // and the like), each with the key and domain it was sent for; its answer waits in a statement
  // of its own. Dropped when a statement is prepared that may change what they read (any write
  // but a message's row, bytes and flag for the allocation reads; any write at all for
  // earlier_inputs: note_statement; held rows, when sent, drop only the reads they could change:
  // held_touches), and when the transaction ends. Every statement is prepared right before it
  // runs, so a write prepared before the reads were sent and run after them would go unseen; the
  // only such writes are held rows, and a read sent ahead is taken only when no held row could
  // change its answer (the touch checks of the readers).
  // Several reads of a kind may wait at once (each `slot` has statements of its own): a
  // message's own, and those of the next Ledger::kMessagesAhead messages, sent while the rules
  // judge this one (ingest's judge).
  enum class AheadRead {
    allocation_state, allocation_history, client_allocations, version_at, earlier_inputs
  };
  static constexpr int kAheadSlots = Ledger::kMessagesAhead + 1;
  struct Ahead {
    AheadRead read;
    int slot;
    std::vector<std::string> key;  // the read's parameters, then the domain
  };
  std::vector<Ahead> ahead;
  /// Drops the reads sent ahead (their answers are not used).
  void forget_ahead();
  /// Drops the read sent ahead at `ahead[i]`.
  void forget_ahead_at(std::size_t i);
  /// Drops the reads sent ahead when `sql` may change what they read.
  void note_statement(std::string_view sql);
  /// True when a held row could change the answer of the read sent ahead `a`: the reader's own
  /// touch check, made when the rows are sent (they are then no longer held when it is taken).
  bool held_touches(const Ahead& a) const;
  /// The slot of `read` sent ahead for `key` (in the current domain), when it still holds: the
  /// caller then reads its answer from the slot's statements (no longer ahead).
  std::optional<int> take_ahead(AheadRead read, std::initializer_list<std::string_view> key);
  /// The domain a read sent ahead is kept for: none for earlier_inputs (it reads messages, which
  /// have no domain), else the current one.
  static std::string_view domain_of(AheadRead read, std::string_view domain) {
    return read == AheadRead::earlier_inputs ? std::string_view() : domain;
  }
  // PostgreSQL, inside a write transaction: new rows held back (held_rows.hpp) and sent together,
  // many to an INSERT, before any other statement (prepare, exec), when many are held, and
  // before COMMIT. A read that knows which rows it looks at asks `held` itself and runs as a
  // CheckedRead: the held rows are sent first only when one of them could change its answer.
  HeldRows held;
  static constexpr std::size_t kHeldLimit = 4 * kHeldRowsPerInsert;
  // Savepoints of a write transaction are opened on the server only when something is sent
  // after them: each keeps the first held row after it (`mark`) and whether it was sent.
  struct LazySavepoint {
    std::uint64_t id;
    std::uint64_t mark;
    bool sent;
  };
  std::vector<LazySavepoint> savepoints;
  std::uint64_t savepoint_ids = 0;
  int checked_reads = 0;       // > 0: inside a CheckedRead
  bool sending_held = false;  // inside send_held or close_savepoint: prepare sends nothing
  // Inside send_held: the reads sent ahead were checked against the rows it sends
  // (held_touches), so its statements drop none of them.
  bool sending_rows = false;
  /// True when new rows are held back (a PostgreSQL writer).
  bool holding() const { return pg && pg->writing(); }
  /// True when the server is behind: rows held, or a savepoint not opened there yet.
  bool behind() const {
    return !held.empty() ||
           std::any_of(savepoints.begin(), savepoints.end(),
                       [](const LazySavepoint& s) { return !s.sent; });
  }
  /// Holds `row` (sends the held rows when there are many).
  void hold(HeldRow row);
  /// Sends the held rows and opens the savepoints not yet opened, in order.
  void send_held();
  /// Forgets the held rows and savepoints (the transaction ends).
  void drop_held() {
    held.clear();
    savepoints.clear();
  }
  /// A savepoint of a write transaction (Ledger::Savepoint); its id.
  std::uint64_t open_savepoint();
  /// Ends savepoint `id`: released, or rolled back (its held rows dropped).
  void close_savepoint(std::uint64_t id, bool rollback);
  /// Before a read of allocation (gemeente, nummer) (or also, `by_bsn`, of Bsn `bsn`), run as a
  /// CheckedRead: sends the held rows when one of them is of it.
  void before_allocation_read(std::string_view gemeente, std::optional<std::int64_t> nummer,
                              std::string_view bsn = {}, bool by_bsn = false) {
    if (holding() && held.touch_allocation(gemeente, nummer, by_bsn ? &bsn : nullptr)) send_held();
  }
  /// Marks a read that asked `held` itself (and sent the rows when they mattered): the
  /// statements it prepares do not send held rows.
  class CheckedRead {
   public:
    explicit CheckedRead(Impl& im) : im_(im) { ++im_.checked_reads; }
    ~CheckedRead() { --im_.checked_reads; }
    CheckedRead(const CheckedRead&) = delete;
    CheckedRead& operator=(const CheckedRead&) = delete;

   private:
    Impl& im_;
  };
  std::uint64_t wal_frames = 0;  // after the last commit, while auto checkpoints are off
  std::uint64_t page_size = 0;
  // Keyed by SQL text; hot queries pass the same text every time (ISTD_SQL).
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view v) const { return std::hash<std::string_view>{}(v); }
  };
  std::unordered_map<std::string, sqlite3_stmt*, SqlHash, std::equal_to<>> cache;
  // ISTD_LEDGER_PROFILE=1: time spent per SQL statement, printed to stderr on close (a tool
  // for whoever tunes the ledger; SQL text only, never values, so no BSN is printed).
  struct Profile {
    std::uint64_t runs = 0, ns = 0;
  };
  std::unordered_map<std::string, Profile> profile;
  bool profiling = false;

  ~Impl() {
    if (profiling) print_profile();
    pg.reset();
    for (auto& [k, s] : cache) sqlite3_finalize(s);
    if (db) sqlite3_close(db);
  }

  /// PostgreSQL, after a commit of the writer: refreshes the planner's statistics of the
  /// ledger's tables when the messages written doubled since the last refresh (ledger.cpp).
  void refresh_statistics();

  void start_profile() {
    const char* env = std::getenv("ISTD_LEDGER_PROFILE");
    if (!env || std::string_view(env) != "1") return;
    profiling = true;
    sqlite3_trace_v2(
        db, SQLITE_TRACE_PROFILE,
        [](unsigned, void* ctx, void* p, void* x) -> int {
          const char* sql = sqlite3_sql(static_cast<sqlite3_stmt*>(p));
          auto& prof = static_cast<Impl*>(ctx)->profile[sql ? sql : "?"];
          ++prof.runs;
          prof.ns += *static_cast<std::uint64_t*>(x);
          return 0;
        },
        this);
  }

  void print_profile() const {
    std::vector<std::pair<std::string, Profile>> rows(profile.begin(), profile.end());
    std::sort(rows.begin(), rows.end(),
              [](const auto& a, const auto& b) { return a.second.ns > b.second.ns; });
    std::uint64_t total = 0;
    for (const auto& r : rows) total += r.second.ns;
    std::string out = fmt::format("ledger profile {}: {:.3f} s in SQLite statements\n",
                                  file.string(), static_cast<double>(total) / 1e9);
    for (const auto& [sql, p] : rows) {
      std::string text = sql;
      if (text.size() > 110) text = text.substr(0, 107) + "...";
      out +=
          fmt::format("{:9.3f} s {:8} runs {:7.2f} us  {}\n", static_cast<double>(p.ns) / 1e9,
                      p.runs, static_cast<double>(p.ns) / 1e3 / static_cast<double>(p.runs), text);
    }
    std::fputs(out.c_str(), stderr);
  }

  [[noreturn]] void fail(std::string_view what) const {
    std::string message =
        fmt::format("ledger {}: {}: {}", where, what, db ? sqlite3_errmsg(db) : "cannot open");
    if (db) throw_sqlite_error(db, std::move(message));
    throw RuntimeError(std::move(message));
  }

  void exec(const char* sql) {
    if (pg && behind()) send_held();
    if (pg) return pg->exec(sql);
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      throw_sqlite_error(db, fmt::format("ledger {}: {}", where, msg));
    }
  }

  // In front of `cache`, slots keyed by the address of the SQL text: the hot call sites pass the
  // same static text every time (literals, ISTD_SQL), and hashing a few hundred bytes per call
  // was 1 % of the ledger thread. A hit is confirmed by comparing the text, so a dynamic string
  // that reuses an address is never taken for another statement.
  struct Slot {
    const char* data = nullptr;
    const std::string* text = nullptr;  // key in `cache` (stable: unordered_map nodes)
    sqlite3_stmt* stmt = nullptr;
  };
  std::array<Slot, 64> slots{};

  Stmt prepare(std::string_view sql) {
    if (pg) {
      if (!sending_held && checked_reads == 0 && behind()) send_held();
      if (!ahead.empty() && !sending_rows) note_statement(sql);
      pg::Statement& st = pg->prepare(sql, "ledger");
      if (st.domain_index() != 0) st.bind_text(st.domain_index(), domain);
      return Stmt(st);
    }
    Slot& slot = slots[(reinterpret_cast<std::uintptr_t>(sql.data()) >> 3) % slots.size()];
    if (slot.data == sql.data() && *slot.text == sql) {
      bind_domain(slot.stmt);
      return Stmt(db, slot.stmt);
    }
    auto it = cache.find(sql);
    if (it == cache.end()) {
      sqlite3_stmt* s = nullptr;
      if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                             SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK)
        fail("prepare");
      it = cache.emplace(std::string(sql), s).first;
    }
    slot = Slot{sql.data(), &it->first, it->second};
    bind_domain(it->second);
    return Stmt(db, it->second);
  }

  // The legal domain of the message being processed ('wmo' | 'jw'): every statement that names
  // the parameter :domain is bound to it. :domain must come after every '?' of the statement
  // (a named parameter takes the next number where it first appears).
  std::string domain = "wmo";
  void bind_domain(sqlite3_stmt* raw) const {
    const int i = sqlite3_bind_parameter_index(raw, ":domain");
    if (i == 0) return;
    if (i != sqlite3_bind_parameter_count(raw))
      throw RuntimeError(fmt::format("ledger: :domain is not the last parameter of '{}'",
                                     sqlite3_sql(raw)));
    sqlite3_bind_text(raw, i, domain.data(), static_cast<int>(domain.size()), SQLITE_TRANSIENT);
  }
};

/// Runs an INSERT ... RETURNING id whose new row has id `given` (Impl::take_id: sent without
/// waiting for the answer) or, when nullopt, the id the database gives (read from the answer).
inline RowId insert_with_id(Stmt& s, std::optional<RowId> given) {
  if (!given) return s.insert_returning_id();
  s.exec();
  return *given;
}

/// Creates or migrates the PostgreSQL ledger behind `im.pg` (pg_schema.cpp); its schema version.
/// @throws ConfigError as Ledger's constructor.
int open_postgresql(Ledger::Impl& im, bool create);

}  // namespace istd::ledger
