// Internal to src/core/ledger/: the PostgreSQL connection and statements behind a ledger whose
// location is a `postgresql://` URL. The ledger's SQL is written once, for both backends: `?`,
// `?N` and the named `:domain` are turned into PostgreSQL's `$N` here, parameters travel as
// text (bytes as bytea), and results are read as text.
//
// Pipelining. Inside a write transaction, a statement whose result nobody reads (Stmt::exec
// before any step: SAVEPOINT, an INSERT without RETURNING, an UPDATE) is sent without waiting
// for its answer (libpq's pipeline mode). The answers are read, and a failure among them
// thrown, when the next statement whose rows are wanted runs (in the same round trip), before a
// script, and before COMMIT. A failed statement aborts the transaction on the server either
// way, so a failure reported late changes nothing that is stored.
//
// Pushing. Statements sent without waiting stay in libpq's buffer, and their answers in the
// server's, until something waits for them. `push()` sends what is buffered and asks the server
// to send its answers as soon as they are ready: the server then works while the writer judges,
// and a prefetched statement pushed earlier finds its answer already on the socket. Only the
// answers up to it are read then; the statements after it go on running, and a failure among
// them is reported by the next statement that waits with a sync, at the latest by COMMIT.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct pg_conn;
struct pg_result;

namespace istd::ledger::pg {

/// True when `location` names a PostgreSQL database (`postgresql://...` or `postgres://...`).
bool is_url(std::string_view location);

/// `url` without its password (for messages and logs).
std::string redact(std::string_view url);

/// The statement's text with `?`, `?N` and `:domain` as `$N`. `domain_index` is set to the
/// number given to `:domain` (0 when the statement has none). Quoted literals are left alone.
std::string translate(std::string_view sql, int& domain_index, int& parameter_count);

class Connection;

class Statement {
 public:
  Statement(Connection& conn, std::string name, int parameters, int domain_index,
            std::string_view context);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void bind_text(int i, std::string_view v);
  void bind_bytes(int i, std::string_view v);
  void bind_i64(int i, std::int64_t v);
  void bind_null(int i);
  /// Runs the statement on the first call, then moves to the next row. True while a row is
  /// available.
  bool step();
  /// Runs the statement for its effect only: inside a write transaction it is sent without
  /// waiting for the answer (see Pipelining above); elsewhere it runs at once.
  void exec();
  /// Inside a write transaction: sends the statement now and reads its rows at the first
  /// step(), so that several reads sent one after the other share one round trip. Elsewhere
  /// nothing (step() runs it).
  void prefetch();
  /// Forgets the result (the bindings stay).
  void reset();
  /// Forgets the result and the bindings.
  void clear();
  int domain_index() const { return domain_index_; }

  bool is_null(int c) const;
  std::int64_t i64(int c) const;
  std::string_view text(int c) const;
  std::string_view bytes(int c) const;
  int columns() const;

 private:
  friend class Connection;
  void set(int i, std::string value, bool binary);
  /// The parameters as libpq takes them (pointers into values_).
  void fill_pointers();
  /// Takes the answer read for a prefetch.
  void take(pg_result* r);
  Connection& conn_;
  std::string name_;
  std::string context_;
  int domain_index_;
  std::vector<std::string> values_;
  std::vector<char> present_;
  std::vector<int> formats_;
  std::vector<const char*> pointers_;  // handed to libpq by step(); sized once, reused
  std::vector<int> lengths_;
  pg_result* result_ = nullptr;
  bool awaiting_ = false;  // prefetched: the answer is on its way
  std::uint64_t generation_ = 0;  // counts prefetches: an answer is kept for the latest only
  int row_ = -1;
  int rows_ = 0;
  mutable std::vector<std::string> decoded_;  // bytea columns of the current row
};

class Connection {
 public:
  /// Connects; `read_only` makes every transaction of the session read-only.
  /// @throws ConfigError when the server cannot be reached or refuses the connection.
  Connection(std::string_view url, bool read_only);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// A prepared statement of `sql` (the ledger's dialect), prepared once per connection.
  Statement& prepare(std::string_view sql, std::string_view context);
  /// Runs a script (several statements, no parameters).
  void exec(std::string_view script);
  bool in_transaction() const;
  /// Inside a write transaction (begin_write .. commit/rollback).
  bool writing() const { return writing_; }
  const std::string& where() const { return where_; }

  /// Sends every statement sent without waiting and asks the server to return their answers
  /// when ready (a flush request), without waiting for them. Inside a write transaction only.
  void push();

  /// Starts a write transaction. Writers of every istd process on this database run one at a
  /// time (an advisory lock held until the transaction ends), as on SQLite: the cross-message
  /// rules read what they then write, so two instances never both accept the same message.
  void begin_write();
  /// COMMIT. @throws RuntimeError when the server rolled the transaction back instead (an
  /// earlier statement of it failed).
  void commit();
  /// ROLLBACK of the write transaction; the answers still awaited are read and dropped.
  void rollback();

 private:
  friend class Statement;
  /// Runs `s` and returns its result (the caller clears it); the answers of the statements
  /// sent before it are read in the same round trip. @throws as Statement::step.
  pg_result* run(Statement& s);
  /// Sends `s` without waiting (pipeline mode); `keep`: its answer is kept for it (prefetch).
  void send(Statement& s, bool keep);
  /// Reads awaited answers, staying in pipeline mode, until `s` has its answer (a prefetched
  /// statement's step): only those up to it when they were pushed, else every one.
  void collect(const Statement& s);
  /// @throws RuntimeError after a failed statement of the write transaction (failed_).
  void refuse_after_failure() const;
  /// Reads every awaited answer and leaves pipeline mode. @throws the first failure among them.
  void drain();
  /// Reads the answers of the statements in `pending_` and the sync after them; the last
  /// answer is returned when `keep_last` (else nullptr). @throws the first failure among them.
  pg_result* read_answers(bool keep_last);
  /// Reads the answers of the first `n` statements of `pending_` (pushed: no sync follows
  /// them) and forgets those statements. @throws the first failure among them.
  void read_pushed(std::size_t n);

  pg_conn* conn_ = nullptr;
  std::string where_;
  bool writing_ = false;     // between begin_write and commit/rollback
  bool pipelined_ = false;   // in libpq's pipeline mode
  // A statement of the write transaction failed: the server aborted it, and only a rollback
  // may follow (a later SAVEPOINT name could otherwise match an earlier one's).
  bool failed_ = false;
  struct Sent {
    Statement* statement;
    bool keep;                // a prefetch: its answer goes to the statement
    std::uint64_t generation;  // the statement's prefetch it answers
  };
  std::vector<Sent> pending_;  // sent, answers not yet read (in order)
  std::size_t pushed_ = 0;     // the first pushed_ of pending_ were pushed (push())
  bool unsynced_ = false;      // statements were sent since the last sync was read
  /// Hands the answer `r` of `sent` to its statement (a prefetch), or clears it; keeps the
  /// first failure in `failure`.
  static void settle(pg_result* r, const Sent& sent, pg_result*& failure,
                     const Statement*& failed);
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view v) const { return std::hash<std::string_view>{}(v); }
  };
  std::unordered_map<std::string, std::unique_ptr<Statement>, Hash, std::equal_to<>> cache_;
};

}  // namespace istd::ledger::pg
