// The file thread of a batched writer (ingest, serve): writes the files of committed batches
// while the ledger thread judges the next batch, with a helper thread sharing the file
// creation, and reports which rows are durable. Used by Materialiser (materialise.hpp).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "core/ledger/ledger.hpp"
#include "core/output/routed_files.hpp"
#include "core/util/thread_priority.hpp"

namespace istd::output {

// A second thread creating files for the file thread: the kernel's inode allocation is most
// of the cost of a new file, so the files of a batch are split between two threads by
// directory (one directory is always written by the same thread).
class HelperWriter {
 public:
  HelperWriter(std::filesystem::path out_dir, std::function<void(std::string_view)> point,
               util::HelperPriority priority)
      : tree_(std::move(out_dir)), point_(std::move(point)) {
    thread_ = std::thread([this, priority] {
      util::lower_this_thread_priority(priority);
      loop();
    });
  }
  ~HelperWriter() {
    {
      std::lock_guard lk(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  HelperWriter(const HelperWriter&) = delete;
  HelperWriter& operator=(const HelperWriter&) = delete;

  /// Starts writing `files`; they must stay alive until wait() returns.
  void start(std::vector<const RoutedFile*> files) {
    {
      std::lock_guard lk(mu_);
      work_ = std::move(files);
      busy_ = true;
    }
    cv_.notify_all();
  }
  /// Waits for the files given to start(); rethrows their error.
  void wait() {
    std::unique_lock lk(mu_);
    cv_.wait(lk, [&] { return !busy_; });
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  }

 private:
  void loop() {
    for (;;) {
      std::vector<const RoutedFile*> files;
      {
        std::unique_lock lk(mu_);
        cv_.wait(lk, [&] { return stop_ || busy_; });
        if (!busy_) return;
        files = std::move(work_);
      }
      std::exception_ptr err;
      try {
        for (const auto* f : files) {
          tree_.write(*f);
          if (point_) point_("file");
        }
      } catch (...) {
        err = std::current_exception();
      }
      {
        std::lock_guard lk(mu_);
        error_ = err;
        busy_ = false;
      }
      cv_.notify_all();
    }
  }

  TreeWriter tree_;
  std::function<void(std::string_view)> point_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<const RoutedFile*> work_;
  bool busy_ = false;
  bool stop_ = false;
  std::exception_ptr error_;
  std::thread thread_;
};

// The ledger's WAL is checkpointed from two connections during an ingest with background
// files: the file thread's PASSIVE checkpoints after its syncs (they copy what they can while
// the ledger thread writes on) and, once the WAL holds more than FileOptions::wal_restart_bytes,
// a RESTART checkpoint by the ledger thread between two batches: a writer that never pauses
// keeps PASSIVE checkpoints from starting the WAL over, so it would otherwise grow by every
// batch for the whole run (1.4 GB for 200,000 messages). SQLite answers a checkpoint that
// meets another one with SQLITE_BUSY instead of waiting, so the two take turns on a mutex
// (Materialiser::wal_mu_, which outlives the file thread).

// Writes the files of committed batches on a thread of its own (so file creation overlaps the
// ledger work of the next batch) and reports the ids once durable. One syncfs covers every
// file written before it, so when more batches are already waiting the sync is deferred until
// the queue runs dry (or enough files are unsynced): fewer syncfs calls under load, same
// guarantee (ids are reported only after a sync that follows their writes). After each sync
// the ledger's WAL is checkpointed on the writer's own connection, off the ledger thread.
class FileWriter {
 public:
  /// `before_sync` runs before each sync of the tree (the ledger's WAL sync, see Materialiser).
  FileWriter(std::filesystem::path out_dir, bool sync, std::function<void(std::string_view)> point,
             std::unique_ptr<ledger::Ledger> checkpointer, std::mutex* wal_mu,
             util::HelperPriority priority, std::function<void()> before_sync)
      : before_sync_(std::move(before_sync)),
        wal_mu_(wal_mu),
        tree_(out_dir),
        helper_(out_dir, point, priority),
        out_dir_(std::move(out_dir)),
        sync_(sync),
        point_(std::move(point)),
        checkpointer_(std::move(checkpointer)) {
    thread_ = std::thread([this, priority] {
      util::lower_this_thread_priority(priority);
      loop();
    });
  }
  ~FileWriter() {
    {
      std::lock_guard lk(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

  /// Queues a committed batch; waits while kMaxQueued batches are already queued.
  void push(std::vector<RoutedFile> batch) {
    std::unique_lock lk(mu_);
    cv_.wait(lk, [&] { return queue_.size() < kMaxQueued || error_; });
    rethrow_locked();
    queue_.push_back(std::move(batch));
    cv_.notify_all();
  }
  /// Ids written and synced since the last call.
  std::vector<std::int64_t> take_done() {
    std::lock_guard lk(mu_);
    rethrow_locked();
    return std::exchange(done_, {});
  }
  /// Waits until every queued batch is written and synced.
  void drain() {
    std::unique_lock lk(mu_);
    cv_.wait(lk, [&] { return (queue_.empty() && !busy_) || error_; });
    rethrow_locked();
  }

 private:
  static constexpr std::size_t kMaxQueued = 8;
  static constexpr std::size_t kSyncEvery = 4096;  // files written before a sync is forced

  void rethrow_locked() {
    if (error_) std::rethrow_exception(error_);
  }
  void loop() {
    std::vector<std::int64_t> unsynced;  // written, not yet covered by a sync
    std::size_t unsynced_files = 0;
    for (;;) {
      std::vector<RoutedFile> batch;
      {
        std::unique_lock lk(mu_);
        cv_.wait(lk, [&] { return stop_ || !queue_.empty(); });
        if (queue_.empty()) return;
        batch = std::move(queue_.front());
        queue_.pop_front();
        busy_ = true;
      }
      bool more = false;
      try {
        std::vector<const RoutedFile*> mine, theirs;
        for (const auto& f : batch) {
          const auto slash = f.route.rfind('/');
          const std::string_view dir(f.route.data(), slash == std::string::npos ? 0 : slash);
          (std::hash<std::string_view>{}(dir)&1 ? theirs : mine).push_back(&f);
          unsynced_files += f.reason ? 2 : 1;
          unsynced.push_back(f.id);
        }
        helper_.start(std::move(theirs));
        try {
          for (const auto* f : mine) {
            tree_.write(*f);
            if (point_) point_("file");
          }
        } catch (...) {
          helper_.wait();  // `batch` must outlive the helper's work
          throw;
        }
        helper_.wait();
        {
          std::lock_guard lk(mu_);
          more = !queue_.empty() && !stop_;
        }
        if (!more || unsynced_files >= kSyncEvery) {
          more = false;
          if (sync_ && unsynced_files) {
            if (before_sync_) before_sync_();
            sync_tree(out_dir_);
            if (point_) point_("sync");
          }
          if (checkpointer_ && unsynced_files) {
            // Skipped while the ledger thread restarts the WAL (that copies everything).
            std::unique_lock lk(*wal_mu_, std::try_to_lock);
            if (lk.owns_lock()) checkpointer_->checkpoint();
          }
          unsynced_files = 0;
        }
      } catch (...) {
        std::lock_guard lk(mu_);
        error_ = std::current_exception();
      }
      {
        std::lock_guard lk(mu_);
        if (!error_ && !more) {
          done_.insert(done_.end(), unsynced.begin(), unsynced.end());
          unsynced.clear();
        }
        // Busy while written files still wait for their sync (drain() waits for it).
        busy_ = more;
      }
      cv_.notify_all();
    }
  }

  std::function<void()> before_sync_;
  std::mutex* wal_mu_;  // taken around checkpoints (see above)
  TreeWriter tree_;
  HelperWriter helper_;
  std::filesystem::path out_dir_;
  bool sync_;
  std::function<void(std::string_view)> point_;
  std::unique_ptr<ledger::Ledger> checkpointer_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::vector<RoutedFile>> queue_;
  std::vector<std::int64_t> done_;
  bool busy_ = false;
  bool stop_ = false;
  std::exception_ptr error_;
  std::thread thread_;
};

}  // namespace istd::output
