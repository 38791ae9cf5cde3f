// Materialised files: the last stage of a writer that records messages in the ledger (ingest,
// serve, recovery). Files are written only after the rows they show are committed, and rows
// are flagged materialised only after their files are durable, in a later transaction:
//
//   batch transaction: rows ........ commit -> files written (file thread) -> syncfs
//   next transaction:  flag_durable() marks those rows materialised
//
// A crash anywhere leaves either nothing of a row (the uncommitted batch, redone by the rerun)
// or a committed row without the flag, whose files recover() writes again (same route, same
// bytes). The file thread also checkpoints an SQLite ledger's WAL on a connection of its own
// after each sync, so the ledger thread's commits only append to the WAL.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ledger/ledger.hpp"
#include "core/output/routed_files.hpp"
#include "core/util/thread_priority.hpp"

namespace istd::output {

class FileWriter;

struct FileOptions {
  /// Where rows are routed; nothing is written when empty (a later run with an output dir
  /// writes the files, the rows stay unmaterialised until then).
  std::filesystem::path out_dir;
  /// syncfs the output tree before flagging files materialised (off only in tests).
  bool sync_files = true;
  /// Write the files of committed batches on a background thread (default). Off: written in
  /// line, so durability points come in a fixed order (deterministic fault injection).
  bool background = true;
  /// Every commit of the writer is durable when it returns. Off, with `background`: commits
  /// do not wait for the disk; the file thread makes them durable before it syncs the files
  /// of their batches.
  bool durable_commits = false;
  /// How the file threads yield to the ledger thread.
  util::HelperPriority helpers;
  /// With background files: the ledger thread checkpoints between two batches once the WAL
  /// has grown past this size, so SQLite starts the WAL over.
  std::uint64_t wal_restart_bytes = 64ull << 20;
  /// Called at every durability point ("commit", "file", "wal", "sync", "marked"); called
  /// from the file thread too when `background`: must be thread-safe. May be empty.
  std::function<void(std::string_view where)> durability_point;
};

/// The file side of a batched writer. The writer calls, per batch: flag_durable() first in
/// each new transaction, stage()/stage_large() for each row to show, committed() after the
/// commit; finish() at the end. Used by one (ledger) thread.
class Materialiser {
 public:
  Materialiser(ledger::Ledger& ledger, FileOptions options);
  /// Stops the file thread; files staged for an uncommitted batch are dropped (as a crash
  /// would drop them).
  ~Materialiser();
  Materialiser(const Materialiser&) = delete;
  Materialiser& operator=(const Materialiser&) = delete;

  /// Writes every committed file not yet known durable (earlier interrupted runs), sweeps
  /// their temporary files and remembers the output dir in the ledger. Returns the number of
  /// rows written. @throws RuntimeError on I/O or database failure.
  std::size_t recover();

  /// In a new transaction, first: flags the rows whose files are durable since the last call.
  void flag_durable();
  /// A file of the open batch, written after its commit.
  void stage(RoutedFile file);
  /// An over-size input of the open batch: after the commit its file is streamed from the
  /// ledger (on this thread) with its `.reason`.
  void stage_large(std::int64_t id, std::string route, std::string reason);
  /// After the batch's commit: its files go to the file thread (or are written now).
  /// @throws RuntimeError on I/O failure.
  void committed();
  /// After the last commit: waits for every file, flags them, makes the commits durable.
  void finish();

  const FileOptions& options() const { return opt_; }

 private:
  void point(std::string_view where);
  void sync_wal();
  void write_large();

  ledger::Ledger& ledger_;
  FileOptions opt_;
  std::vector<RoutedFile> pending_;  // files of the open (uncommitted) batch
  struct Large {
    std::int64_t id;
    std::string route;
    std::string reason;
  };
  std::vector<Large> pending_large_;
  std::vector<std::int64_t> to_mark_;  // written and synced, to flag in the next transaction
  std::mutex wal_mu_;                  // the ledger's and the file thread's checkpoints take turns
  std::unique_ptr<FileWriter> writer_;  // background file writing
  std::optional<TreeWriter> tree_;      // in-line file writing (background off)
  bool checkpoint_off_ = false;         // WAL checkpoints moved to the file thread
  bool relaxed_sync_ = false;           // commits synchronous=NORMAL; WAL synced by file thread
};

/// Writes every unmaterialised message row of the ledger under `out_dir` (route_path, and the
/// `.reason` file for quarantined input), syncs the file system once, and flags the rows in one
/// transaction. @throws RuntimeError on I/O or database failure.
std::size_t materialise(ledger::Ledger& ledger, const std::filesystem::path& out_dir,
                        bool sync = true);

}  // namespace istd::output
