// The ingest driver (design in ingest.hpp).
#include "core/ingest/ingest.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>
#include <utility>

#include "core/errors.hpp"
#include "core/ingest/cross_rules.hpp"
#include "core/ingest/ijw_warnings.hpp"
#include "core/ingest/request_rules.hpp"
#include "core/ingest/retour.hpp"
#include "core/report/report.hpp"
#include "core/util/read_file.hpp"
#include "core/util/thread_priority.hpp"
#include "core/xml/schema_bundle.hpp"

namespace istd::ingest {

using ledger::Ledger;
using ledger::MessageId;
using ledger::NewMessage;
using ledger::Verdict;
using model::MessageType;

namespace {

constexpr const char* kTmpSuffix = ".istd-tmp";

/// The retours of 301/305/307/315/317/319 (sent back to the heenbericht's Afzender).
bool is_answer_retour(MessageType t) {
  return model::number_in(t, {302, 306, 308, 316, 318, 320});
}
bool is_retour_type(MessageType t) { return is_answer_retour(t) || model::number(t) == 325; }
bool is_heen_type(MessageType t) {
  return model::number_in(t, {301, 305, 307, 315, 317, 319, 323});
}
/// Messages the side running istd sends itself: a gemeente its 301 and 319, a provider its 305,
/// 307, 315 and 317. They are answered by the other party's retour, not by istd.
bool is_own_message(Side side, MessageType t) {
  if (side == Side::gemeente) return model::number_in(t, {301, 319});
  return model::number_in(t, {305, 307, 315, 317});
}

std::string basename_of(const std::string& source) {
  if (source.empty() || source == "-") return "stdin.xml";
  std::string b = std::filesystem::path(source).filename().string();
  return b.empty() ? std::string("input.xml") : b;
}

/// Party a message is delivered to: retours go to their header Afzender.
std::string party_of(const model::Message& m) {
  const std::string& p =
      is_answer_retour(m.type) ? m.header.afzender.value : m.header.ontvanger.value;
  // Header values are XSD-checked digits; guard the path anyway.
  for (char c : p)
    if (c == '/' || c == '\0' || c == '.') return "unknown";
  return p.empty() ? std::string("unknown") : p;
}

std::string findings_json(const ValidationResult& r) {
  if (r.findings.empty()) return "[]";
  return report::to_json(r)["findings"].dump(-1, ' ', false,
                                             nlohmann::ordered_json::error_handler_t::replace);
}

bool has_error(const std::vector<Finding>& fs) {
  for (const auto& f : fs)
    if (f.severity == Severity::error) return true;
  return false;
}

std::vector<std::string> header_codes(const std::vector<Finding>& fs) {
  std::vector<std::string> out;
  for (const auto& f : fs)
    if (f.severity == Severity::error && !f.retourcode.empty()) out.push_back(f.retourcode);
  return out;
}

struct PendingFile {
  MessageId id;
  std::string route;
  std::string bytes;
  std::optional<std::string> reason;
};

}  // namespace

// -------------------------------------------------------------------------------------------
// Files

namespace {

bool write_all(int fd, std::string_view bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

/// Writes `target` through O_TMPFILE + linkat when it does not exist yet. False when that is not
/// possible (file exists, directory missing, file system without O_TMPFILE): use tmp + rename.
bool write_new_file(const std::filesystem::path& target, std::string_view bytes) {
#ifdef O_TMPFILE
  const auto dir = target.parent_path();
  int fd = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  bool ok = write_all(fd, bytes);
  if (ok) {
    char proc[64];
    std::snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    ok = ::linkat(AT_FDCWD, proc, AT_FDCWD, target.c_str(), AT_SYMLINK_FOLLOW) == 0;
  }
  ::close(fd);
  return ok;
#else
  (void)target;
  (void)bytes;
  return false;
#endif
}

}  // namespace

void write_routed(const std::filesystem::path& out_dir, const std::string& route,
                  std::string_view bytes) {
  const auto target = out_dir / route;
  // The temporary file sits next to the target under a deterministic name, so a rerun after a
  // crash overwrites (and renames) any leftover instead of leaving it behind.
  const auto tmp = target.parent_path() / ("." + target.filename().string() + kTmpSuffix);
  // Usual case, a new file: an unnamed O_TMPFILE inode linked in under its name when complete
  // (no temporary directory entry to create and rename). A reader sees all of it or nothing.
  if (write_new_file(target, bytes)) return;
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0 && errno == ENOENT) {
    std::error_code ec;
    std::filesystem::create_directories(target.parent_path(), ec);
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  }
  if (fd < 0) {
    const int err = errno;
    throw_io_error(fmt::format("cannot create {}: {}", tmp.string(), std::strerror(err)), err);
  }
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      throw_io_error(fmt::format("cannot write {}: {}", target.string(), std::strerror(err)), err);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0 || ::rename(tmp.c_str(), target.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw_io_error(fmt::format("cannot write {}: {}", target.string(), std::strerror(err)), err);
  }
}

void write_routed_pieces(
    const std::filesystem::path& out_dir, const std::string& route,
    const std::function<void(const std::function<void(std::string_view)>& write)>& fill) {
  const auto target = out_dir / route;
  const auto tmp = target.parent_path() / ("." + target.filename().string() + kTmpSuffix);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0 && errno == ENOENT) {
    std::error_code ec;
    std::filesystem::create_directories(target.parent_path(), ec);
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  }
  if (fd < 0) {
    const int err = errno;
    throw_io_error(fmt::format("cannot create {}: {}", tmp.string(), std::strerror(err)), err);
  }
  int write_error = 0;
  try {
    fill([&](std::string_view piece) {
      if (write_error == 0 && !write_all(fd, piece)) write_error = errno ? errno : EIO;
    });
  } catch (...) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  if (write_error) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw_io_error(fmt::format("cannot write {}: {}", target.string(), std::strerror(write_error)),
                   write_error);
  }
  if (::close(fd) != 0 || ::rename(tmp.c_str(), target.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw_io_error(fmt::format("cannot write {}: {}", target.string(), std::strerror(err)), err);
  }
}

void mark_top_dir(const std::filesystem::path& dir) {
  // ext2/3/4 "T" attribute (chattr +T): the subdirectories (one per party) are unrelated, so
  // the Orlov allocator spreads them over block groups instead of packing them next to the
  // parent. New inodes are taken from their directory's group, and a group where many inodes
  // were freed in the last minute (a busy /tmp) makes every allocation there skip those one by
  // one (ext4 without a journal: recently_deleted()); measured on the benchmark VM: 12.8 s ->
  // 7.6 s wall for 20000 messages after such churn. Only a hint: errors are ignored
  // (other file systems).
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  int flags = 0;
  if (::ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0 && !(flags & FS_TOPDIR_FL)) {
    flags |= FS_TOPDIR_FL;
    (void)::ioctl(fd, FS_IOC_SETFLAGS, &flags);
  }
  ::close(fd);
}

void sync_tree(const std::filesystem::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::syncfs(fd);
  ::close(fd);
}

// -------------------------------------------------------------------------------------------

// Writes routed files relative to cached directory descriptors: one openat(O_TMPFILE), write,
// linkat and close per new file, no path walk from the root and no stat/mkdir per file (the
// directories are created once, when first needed). Files that cannot be made that way
// (target exists — a rerun after a crash —, no O_TMPFILE) go through write_routed (tmp +
// rename). Used by one thread at a time.
class TreeWriter {
 public:
  explicit TreeWriter(std::filesystem::path out_dir) : out_dir_(std::move(out_dir)) {}
  ~TreeWriter() {
    for (auto& [dir, fd] : dirs_)
      if (fd >= 0) ::close(fd);
  }
  TreeWriter(const TreeWriter&) = delete;
  TreeWriter& operator=(const TreeWriter&) = delete;

  void write(const std::string& route, std::string_view bytes) {
    const auto slash = route.rfind('/');
    const std::string dir = slash == std::string::npos ? std::string() : route.substr(0, slash);
    const char* name = route.c_str() + (slash == std::string::npos ? 0 : slash + 1);
    const int dfd = dir_fd(dir);
    if (dfd < 0 || !link_new(dfd, name, bytes)) write_routed(out_dir_, route, bytes);
  }

 private:
  int dir_fd(const std::string& dir) {
    if (auto it = dirs_.find(dir); it != dirs_.end()) return it->second;
    const auto path = dir.empty() ? out_dir_ : out_dir_ / dir;
    int fd = ::open(path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
      std::error_code ec;
      std::filesystem::create_directories(path, ec);
      fd = ::open(path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    }
    // Bounded: one descriptor per <party>/<type> directory; beyond that, the slow path.
    if (fd >= 0 && dirs_.size() < 512)
      dirs_.emplace(dir, fd);
    else if (fd >= 0) {
      ::close(fd);
      fd = -1;
    }
    return fd;
  }

  /// An unnamed O_TMPFILE inode, linked in under its name when complete (a reader sees all of
  /// the file or nothing). False when the name exists or O_TMPFILE is not supported.
  bool link_new(int dfd, const char* name, std::string_view bytes) {
#ifdef O_TMPFILE
    if (!tmpfile_ok_) return false;
    int fd = ::openat(dfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
    if (fd < 0) {
      if (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL) tmpfile_ok_ = false;
      return false;
    }
    bool ok = write_all(fd, bytes);
    if (ok) {
      // linkat(fd, "", AT_EMPTY_PATH) avoids the /proc lookup where the kernel allows it (an
      // O_TMPFILE opened by the caller, Linux >= 6.10, or CAP_DAC_READ_SEARCH).
      int rc = -1;
      if (empty_path_ok_) {
        rc = ::linkat(fd, "", dfd, name, AT_EMPTY_PATH);
        if (rc != 0 && (errno == ENOENT || errno == EPERM || errno == EINVAL))
          empty_path_ok_ = false;
      }
      if (rc != 0 && !empty_path_ok_) {
        char proc[64];
        std::snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
        rc = ::linkat(AT_FDCWD, proc, dfd, name, AT_SYMLINK_FOLLOW);
      }
      ok = rc == 0;
    }
    ::close(fd);
    return ok;
#else
    (void)dfd;
    (void)name;
    (void)bytes;
    return false;
#endif
  }

  std::filesystem::path out_dir_;
  std::unordered_map<std::string, int> dirs_;
  bool tmpfile_ok_ = true;
  bool empty_path_ok_ = true;
};

// A second thread creating files for the file thread: the kernel's inode allocation is most
// of the cost of a new file, so the files of a batch are split between two threads by
// directory (one directory is always written by the same thread).
class HelperWriter {
 public:
  HelperWriter(std::filesystem::path out_dir, std::function<void(std::string_view)> point, int nice)
      : tree_(std::move(out_dir)), point_(std::move(point)) {
    thread_ = std::thread([this, nice] {
      util::lower_this_thread_priority(nice);
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
  void start(std::vector<const PendingFile*> files) {
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
      std::vector<const PendingFile*> files;
      {
        std::unique_lock lk(mu_);
        cv_.wait(lk, [&] { return stop_ || busy_; });
        if (!busy_) return;
        files = std::move(work_);
      }
      std::exception_ptr err;
      try {
        for (const auto* f : files) {
          tree_.write(f->route, f->bytes);
          if (f->reason) tree_.write(f->route + ".reason", *f->reason);
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
  std::vector<const PendingFile*> work_;
  bool busy_ = false;
  bool stop_ = false;
  std::exception_ptr error_;
  std::thread thread_;
};

// The ledger's WAL is checkpointed from two connections during an ingest with background
// files: the file thread's PASSIVE checkpoints after its syncs (they copy what they can while
// the ledger thread writes on) and, once the WAL holds more than Options::wal_restart_bytes,
// a RESTART checkpoint by the ledger thread between two batches: a writer that never pauses
// keeps PASSIVE checkpoints from starting the WAL over, so it would otherwise grow by every
// batch for the whole run (1.4 GB for 200,000 messages). SQLite answers a checkpoint that
// meets another one with SQLITE_BUSY instead of waiting, so the two take turns on a mutex
// (Ingestor::Impl::wal_mu, which outlives the file thread).

// Writes the files of committed batches on a thread of its own (so file creation overlaps the
// ledger work of the next batch) and reports the ids once durable. One syncfs covers every
// file written before it, so when more batches are already waiting the sync is deferred until
// the queue runs dry (or enough files are unsynced): fewer syncfs calls under load, same
// guarantee (ids are reported only after a sync that follows their writes). After each sync
// the ledger's WAL is checkpointed on the writer's own connection, off the ledger thread.
class FileWriter {
 public:
  /// `before_sync` runs before each sync of the tree (the ledger's WAL sync, see Impl).
  FileWriter(std::filesystem::path out_dir, bool sync, std::function<void(std::string_view)> point,
             std::unique_ptr<Ledger> checkpointer, std::mutex* wal_mu, int nice,
             std::function<void()> before_sync)
      : before_sync_(std::move(before_sync)),
        wal_mu_(wal_mu),
        tree_(out_dir),
        helper_(out_dir, point, nice),
        out_dir_(std::move(out_dir)),
        sync_(sync),
        point_(std::move(point)),
        checkpointer_(std::move(checkpointer)) {
    thread_ = std::thread([this, nice] {
      util::lower_this_thread_priority(nice);
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
  void push(std::vector<PendingFile> batch) {
    std::unique_lock lk(mu_);
    cv_.wait(lk, [&] { return queue_.size() < kMaxQueued || error_; });
    rethrow_locked();
    queue_.push_back(std::move(batch));
    cv_.notify_all();
  }
  /// Ids written and synced since the last call.
  std::vector<MessageId> take_done() {
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
    std::vector<MessageId> unsynced;  // written, not yet covered by a sync
    std::size_t unsynced_files = 0;
    for (;;) {
      std::vector<PendingFile> batch;
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
        std::vector<const PendingFile*> mine, theirs;
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
            tree_.write(f->route, f->bytes);
            if (f->reason) tree_.write(f->route + ".reason", *f->reason);
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
  std::unique_ptr<Ledger> checkpointer_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::vector<PendingFile>> queue_;
  std::vector<MessageId> done_;
  bool busy_ = false;
  bool stop_ = false;
  std::exception_ptr error_;
  std::thread thread_;
};

std::size_t materialise(Ledger& ledger, const std::filesystem::path& out_dir, bool sync) {
  auto rows = ledger.unmaterialised();
  if (rows.empty()) return 0;
  std::vector<MessageId> ids;
  TreeWriter tree(out_dir);
  for (const auto& r : rows) {
    if (r.bytes_left_out)  // an over-size input: streamed from the ledger, never held whole
      write_routed_pieces(out_dir, r.route_path,
                          [&](const auto& write) { ledger.stream_bytes(r.id, write); });
    else
      tree.write(r.route_path, r.bytes);
    if (r.reason) tree.write(r.route_path + ".reason", *r.reason);
    ids.push_back(r.id);
  }
  if (sync) sync_tree(out_dir);
  auto tx = ledger.begin();
  ledger.mark_materialised(ids);
  tx.commit();
  return ids.size();
}

struct Ingestor::Impl {
  Ledger& ledger;
  std::shared_ptr<const SchemaBundle> schemas;
  Options opt;
  std::optional<Ledger::Transaction> tx;
  std::size_t in_batch = 0;
  std::vector<PendingFile> pending;    // files of the open (uncommitted) batch
  // Over-size inputs of the open batch: their files are streamed from the ledger after the
  // commit, on this thread (the file threads have no ledger connection), and flagged written
  // once they and the commit are durable. {id, route, reason}.
  struct PendingLarge {
    MessageId id;
    std::string route;
    std::string reason;
  };
  std::vector<PendingLarge> pending_large;
  std::vector<MessageId> to_mark;      // written and synced, to flag in the next transaction
  std::mutex wal_mu;                   // the ledger's and the file thread's checkpoints take turns
  std::unique_ptr<FileWriter> writer;  // background file writing (Options::background_files)
  std::optional<TreeWriter> tree;      // in-line file writing (background_files off)
  bool checkpoint_off = false;         // WAL checkpoints moved to the file thread
  std::int64_t bytes_hash = 0;         // content_hash of the input being processed
  std::optional<ledger::Packed> bytes_packed;  // ledger::pack of it, when the caller made it
  bool relaxed_sync = false;           // commits synchronous=NORMAL; WAL synced by the file thread

  Impl(Ledger& l, std::shared_ptr<const SchemaBundle> s, Options o)
      : ledger(l), schemas(std::move(s)), opt(std::move(o)) {
    if (opt.out_dir.empty()) return;
    if (!opt.background_files) {
      tree.emplace(opt.out_dir);
      return;
    }
    // The file thread checkpoints the WAL on a connection of its own after each sync, so the
    // ledger thread's commits only append to the WAL (SQLite would otherwise copy the WAL into
    // the database file inside a commit now and then, on this thread).
    std::unique_ptr<Ledger> checkpointer;
    std::error_code ec;
    if (std::filesystem::is_regular_file(ledger.file(), ec)) {
      try {
        ledger::OpenOptions lo;
        lo.create = false;
        checkpointer = std::make_unique<Ledger>(ledger.file(), lo);
        ledger.set_auto_checkpoint(false);
        checkpoint_off = true;
      } catch (const std::exception&) {
        checkpointer.reset();  // keep SQLite's own checkpoints
      }
    }
    // The ledger's commits need not wait for the disk here: the file thread makes them durable
    // (fdatasync of the WAL) before it syncs the files of their batches, and nothing is flagged
    // written before both are on disk. A commit's fsync otherwise stops the ledger thread, the
    // serial stage, ~20 ms per batch. A killed process loses nothing; after a power cut the
    // rerun redoes the batches whose commits were lost and writes the same files (routes and
    // retour numbers follow from the input order). Only when the ledger was opened FULL.
    if (opt.sync_files && ledger.synchronous() == ledger::OpenOptions::Sync::full) {
      ledger.set_synchronous(ledger::OpenOptions::Sync::normal);
      relaxed_sync = true;
    }
    std::function<void()> wal_sync;
    if (relaxed_sync) wal_sync = [this] { sync_wal(); };
    writer = std::make_unique<FileWriter>(opt.out_dir, opt.sync_files, opt.durability_point,
                                          std::move(checkpointer), &wal_mu, opt.helper_nice,
                                          std::move(wal_sync));
  }

  ~Impl() {
    writer.reset();
    if (relaxed_sync) {
      try {
        ledger.set_synchronous(ledger::OpenOptions::Sync::full);
      } catch (...) {
      }
    }
    if (checkpoint_off) {
      try {
        ledger.set_auto_checkpoint(true);
      } catch (...) {
      }
    }
  }

  void point(std::string_view where) {
    if (opt.durability_point) opt.durability_point(where);
  }

  /// Makes the commits so far durable (relaxed_sync: they did not wait for the disk). Must
  /// come before the sync of the files of their batches (point "wal" before "sync").
  void sync_wal() {
    ledger.sync_wal();
    point("wal");
  }

  void ensure_tx() {
    if (tx) return;
    if (writer) {
      auto done = writer->take_done();
      to_mark.insert(to_mark.end(), done.begin(), done.end());
    }
    tx.emplace(ledger);
    if (!to_mark.empty()) {
      ledger.mark_materialised(to_mark);
      to_mark.clear();
    }
  }

  void commit_batch() {
    if (!tx) return;
    tx->commit();
    tx.reset();
    in_batch = 0;
    point("commit");
    if (opt.out_dir.empty()) {
      pending.clear();
      pending_large.clear();
      return;
    }
    if (writer) {
      writer->push(std::exchange(pending, {}));
      write_large();
      // Between batches, with no transaction open: copies the rest of the WAL (what the file
      // thread's checkpoints have not) and the next commit starts the WAL over (see FileWriter).
      if (checkpoint_off && ledger.wal_in_use() > opt.wal_restart_bytes) {
        std::lock_guard lk(wal_mu);
        ledger.checkpoint_restart();  // when busy, again after the next batch
      }
      return;
    }
    std::size_t written = 0;
    for (const auto& f : pending) {
      tree->write(f.route, f.bytes);
      if (f.reason) tree->write(f.route + ".reason", *f.reason);
      point("file");
      ++written;
    }
    if (opt.sync_files && written) {
      sync_tree(opt.out_dir);
      point("sync");
    }
    for (const auto& f : pending) to_mark.push_back(f.id);
    pending.clear();
    write_large();
  }

  /// Writes the files of the committed batch's over-size inputs, streaming their bytes from the
  /// ledger, and makes them and the commit durable before they are flagged (as the file thread
  /// does for the others).
  void write_large() {
    if (pending_large.empty()) return;
    for (const auto& f : pending_large) {
      write_routed_pieces(opt.out_dir, f.route,
                          [&](const auto& write) { ledger.stream_bytes(f.id, write); });
      write_routed(opt.out_dir, f.route + ".reason", f.reason);
      point("file");
    }
    if (opt.sync_files) {
      if (relaxed_sync) sync_wal();
      sync_tree(opt.out_dir);
      point("sync");
    }
    for (const auto& f : pending_large) to_mark.push_back(f.id);
    pending_large.clear();
  }

  /// Commits, waits for the files, flags them.
  void finish() {
    commit_batch();
    if (writer) {
      writer->drain();
      auto done = writer->take_done();
      to_mark.insert(to_mark.end(), done.begin(), done.end());
    }
    if (!to_mark.empty()) {
      auto t = ledger.begin();
      ledger.mark_materialised(to_mark);
      t.commit();
      to_mark.clear();
      point("marked");
    }
    // Commits since the file thread's last sync (this last flagging) are durable on return.
    if (relaxed_sync) sync_wal();
  }

  void stage(MessageId id, const std::string& route, std::string bytes,
             std::optional<std::string> reason = std::nullopt) {
    if (opt.out_dir.empty()) return;  // nothing to write; a later run with --out writes it
    pending.push_back({id, route, std::move(bytes), std::move(reason)});
  }

  std::pair<std::string, std::string> retour_versions(MessageType rt) const {
    std::pair<std::string, std::string> v{"1.0.0", "1.0.0"};
    if (!schemas) return v;
    if (const auto* f = schemas->message_schema(rt)) {
      if (!f->basisschema_xsd_versie.empty()) v.first = f->basisschema_xsd_versie;
      if (!f->bericht_xsd_versie.empty()) v.second = f->bericht_xsd_versie;
    }
    return v;
  }

  NewMessage input_row(const model::Message& m, std::string_view bytes, const std::string& source) {
    NewMessage n;
    n.role = ledger::Role::input;
    n.type = std::string(model::to_string(m.type));
    n.berichtcode = m.header.berichtcode.value;
    n.afzender = m.header.afzender.value;
    n.ontvanger = m.header.ontvanger.value;
    n.identificatie = m.header.identificatie.value;
    n.dagtekening = m.header.dagtekening.value;
    n.xsd_basis = m.header.basisschema_xsd_versie.value;
    n.xsd_bericht = m.header.bericht_xsd_versie.value;
    n.source = source;
    n.bytes = std::string(bytes);
    n.content_hash = bytes_hash;
    n.packed = std::exchange(bytes_packed, std::nullopt);  // one row per input takes it
    return n;
  }

  /// Adds the retour row of input `heen_id` and stages its file. Returns its route.
  std::string add_retour(const model::Message& m, std::string_view bytes, MessageId heen_id,
                         RetourContent content) {
    const MessageType rt = retour_type(m.type);
    const MessageId predicted = heen_id + 1;
    const std::string rname(model::to_string(rt));
    NewMessage n;
    n.role = ledger::Role::output;
    n.type = rname;
    n.berichtcode = std::string(model::bericht_code(rt));
    n.afzender = m.header.afzender.value;
    n.ontvanger = m.header.ontvanger.value;
    n.identificatie = ledger::output_identificatie(predicted);
    n.dagtekening = opt.today.to_string();
    auto [xb, xm] = retour_versions(rt);
    n.xsd_basis = xb;
    n.xsd_bericht = xm;
    n.verdict = Verdict::recorded;
    n.reply_to = heen_id;
    // A retour goes to the heenbericht's Afzender.
    n.route_path = fmt::format("{}/{}/{}.xml", m.header.afzender.value, rname, n.identificatie);
    content.identificatie_retour = n.identificatie;
    content.dagtekening_retour = n.dagtekening;
    content.xsd_basis = xb;
    content.xsd_bericht = xm;
    n.bytes = build_retour(m, bytes, content);
    const MessageId id = ledger.add_message_unique_route(n);
    if (id != predicted)
      throw RuntimeError(fmt::format("ledger: retour id {} is not the expected {}", id, predicted));
    stage(id, n.route_path, std::move(n.bytes));
    return n.route_path;
  }

  void quarantine(Outcome& o, std::string_view bytes, const std::string& source,
                  std::string_view why, int level, Verdict verdict,
                  const model::Message* m = nullptr) {
    NewMessage n;
    if (m)
      n = input_row(*m, bytes, source);
    else {
      n.type = o.result.type == MessageType::unknown ? std::string()
                                                     : std::string(model::to_string(o.result.type));
      n.identificatie = o.result.identificatie;
      n.source = source;
      n.bytes = std::string(bytes);
      n.content_hash = bytes_hash;
      n.packed = std::exchange(bytes_packed, std::nullopt);
    }
    n.verdict = verdict;
    n.level = level;
    n.findings_json = findings_json(o.result);
    n.route_path = "quarantine/" + basename_of(source);
    std::string reason = fmt::format("{}: {}\n", source, why);
    reason += report::to_text(o.result);
    n.reason = reason;
    o.message_id = ledger.add_message_unique_route(n);
    o.quarantined = true;
    o.route = n.route_path;
    stage(o.message_id, n.route_path, std::move(n.bytes), n.reason);
  }

  void take_in_323(Outcome& o, const model::Message& m, std::string_view bytes,
                   const std::string& source, const std::vector<std::string>& intake, int level) {
    auto n = input_row(m, bytes, source);
    n.verdict = intake.empty() ? Verdict::accepted : Verdict::rejected;
    n.level = level;
    n.findings_json = findings_json(o.result);
    n.route_path =
        fmt::format("{}/{}/{}", party_of(m), model::to_string(m.type), basename_of(source));
    o.message_id = ledger.add_message_unique_route(n);
    o.route = n.route_path;
    o.accepted = intake.empty();
    stage(o.message_id, n.route_path, std::move(n.bytes));
    const auto& d = m.declaratie;
    ledger::DeclarationRecord rec;
    rec.message_id = o.message_id;
    rec.agb = m.header.afzender.value;
    rec.gemeente = m.header.ontvanger.value;
    rec.declaratie_nummer = d.declaratie_nummer.value;
    rec.periode_begin = d.declaratie_periode.begindatum.value;
    rec.periode_eind = d.declaratie_periode.einddatum.value;
    rec.declaratie_dagtekening = d.declaratie_dagtekening.value;
    rec.totaal_bedrag = model::parse_int(d.totaal_ingediend.bedrag.value).value_or(0);
    rec.totaal_dc = d.totaal_ingediend.debet_credit.value;
    rec.identificatie = m.header.identificatie.value;
    rec.dagtekening = m.header.dagtekening.value;
    rec.xsd_basis = m.header.basisschema_xsd_versie.value;
    rec.xsd_bericht = m.header.bericht_xsd_versie.value;
    rec.intake_codes = intake;
    const auto decl_id = ledger.add_declaration(rec);
    if (!intake.empty()) return;  // treated as not sent: no lines
    int pos = 0;
    for (const auto& c : d.clienten) {
      for (const auto& p : c.prestaties) {
        ledger::PrestatieRecord pr;
        pr.declaration_id = decl_id;
        pr.position = pos++;
        pr.agb = rec.agb;
        pr.gemeente = rec.gemeente;
        pr.bsn = c.bsn.value;
        pr.referentie_nummer = p.referentie_nummer.value;
        if (p.vorig_referentie_nummer.present())
          pr.vorig_referentie_nummer = p.vorig_referentie_nummer.value;
        pr.toewijzing_nummer = model::parse_int(p.toewijzing_nummer.value).value_or(-1);
        pr.product_categorie = p.product_categorie.value;
        pr.product_code = p.product_code.value;
        pr.periode_begin = p.product_periode.begindatum.value;
        pr.periode_eind = p.product_periode.einddatum.value;
        pr.geleverd_volume = model::parse_int(p.geleverd_volume.value).value_or(0);
        pr.eenheid = p.eenheid.value;
        if (p.product_tarief.present())
          pr.product_tarief = model::parse_int(p.product_tarief.value);
        pr.bedrag = model::parse_int(p.ingediend_bedrag.bedrag.value).value_or(0);
        pr.debet_credit = p.ingediend_bedrag.debet_credit.value;
        ledger.add_prestatie(pr);
      }
    }
  }

  /// A 302 rejects when its header or any class carries a retourcode other than 0200.
  static bool rejects(const model::Message& m) {
    auto any = [](const model::RetourCodes& rc) {
      return std::any_of(rc.codes.begin(), rc.codes.end(),
                         [](const model::Text& c) { return c.value != "0200"; });
    };
    if (any(m.header.retourcodes) || any(m.client.retourcodes)) return true;
    for (const auto& x : m.client.toegewezen)
      if (any(x.retourcodes)) return true;
    for (const auto& x : m.client.contacten)
      if (any(x.retourcodes)) return true;
    for (const auto& x : m.client.relatie)
      if (any(x.retourcodes)) return true;
    return false;
  }

  /// The 301 a rejecting 302 answers (the 302 copies its header: Afzender = the gemeente,
  /// Identificatie, Dagtekening): its allocation versions are deleted. Warns what was done.
  void withdraw_rejected_301(Outcome& o, const model::Message& m) {
    const auto& h = m.header;
    Finding f;
    f.rule = "REJECTED-301";
    f.severity = Severity::warning;
    f.line = m.line(h.bericht_identificatie);
    f.column = m.column(h.bericht_identificatie);
    if (h.bericht_identificatie != model::kNoNode)
      f.paths.push_back(m.path(h.bericht_identificatie));
    std::optional<ledger::MessageRecord> heen;
    for (auto& r : ledger.inputs_by_key(model::bericht_code(model::type_of(model::standard_of(m.type), 301)), h.afzender.value,
                                        h.identificatie.value))
      if (r.dagtekening == h.dagtekening.value && r.verdict == Verdict::accepted) heen = r;
    if (!heen) {
      f.text = fmt::format(
          "This 302 rejects 301 '{}' of {} (Dagtekening {}), but no such accepted 301 is in "
          "the ledger; nothing was taken out of force.",
          h.identificatie.value, h.afzender.value, h.dagtekening.value);
    } else {
      const auto numbers = ledger.withdraw_allocations_of(heen->id);
      std::string list;
      for (auto nr : numbers) list += (list.empty() ? "" : ", ") + std::to_string(nr);
      f.text = fmt::format(
          "The provider rejected 301 '{}' of {} (Dagtekening {}): that 301 is taken out of "
          "force ({}).",
          h.identificatie.value, h.afzender.value, h.dagtekening.value,
          numbers.empty() ? std::string("it held no stored allocation versions")
                          : "allocation versions removed: ToewijzingNummer " + list);
    }
    o.result.findings.push_back(std::move(f));
  }

  /// Reports `o` as an exact re-delivery of input `d`: its verdict, route and retour.
  void duplicate_of(Outcome& o, const ledger::MessageRecord& d) {
    o.duplicate = true;
    o.message_id = d.id;
    o.accepted = d.verdict == Verdict::accepted;
    // An own message refused before sending is recorded as rejected but lies in quarantine.
    o.quarantined = d.verdict == Verdict::quarantined || d.route_path.starts_with("quarantine/");
    o.route = d.route_path;
    if (auto rep = ledger.reply_of(d.id)) o.retour = rep->route_path;
    // It counts towards the batch like any other message: returning without that left the
    // transaction opened before uncommitted until a later message filled the batch (with
    // batch size 1, e.g. the TLS server, indefinitely: the write lock was held).
    count_in_batch();
  }

  Outcome process_large(const LargeInput& in, ValidationResult&& result) {
    ensure_tx();
    Outcome o;
    o.result = std::move(result);
    const std::string source = o.result.source;
    if (auto dups = ledger.inputs_with_file(in.fd, in.size, in.hash); !dups.empty()) {
      duplicate_of(o, dups.front());
      return o;
    }
    NewMessage n;
    n.role = ledger::Role::input;
    n.type = o.result.type == MessageType::unknown ? std::string()
                                                   : std::string(model::to_string(o.result.type));
    n.source = source;
    n.verdict = Verdict::quarantined;
    n.level = 1;
    n.findings_json = findings_json(o.result);
    n.route_path = "quarantine/" + basename_of(source);
    n.reason = fmt::format(
        "{}: too large: the file is {} ({} bytes), more than the maximum message size of {} ({} "
        "bytes, --max-size).\n"
        "It was not read as a message and no retour was made; the file next to this .reason is "
        "the input exactly as received.\n"
        "Check whether it really is one iWmo message: `istd explain LIMIT` says what to do.\n",
        source, util::size_text(in.size), in.size, util::size_text(in.limit), in.limit);
    *n.reason += report::to_text(o.result);
    const auto r = ledger.add_message_from_file(n, in.fd, in.size, in.hash);
    using S = ledger::FileInsert::Status;
    if (r.status != S::stored) {
      o.error =
          r.status == S::changed
              ? std::string(
                    "the file changed while it was being read; nothing was recorded "
                    "(run again to take it in)")
          : r.status == S::unreadable
              ? fmt::format("cannot read the file: {}; nothing was recorded", r.error)
              : fmt::format(
                    "the file is {} ({} bytes), more than the ledger can keep ({}); "
                    "nothing was recorded",
                    util::size_text(in.size), in.size, util::size_text(ledger.max_message_bytes()));
      return o;
    }
    o.message_id = r.id;
    o.quarantined = true;
    o.route = n.route_path;
    if (!opt.out_dir.empty()) pending_large.push_back({r.id, n.route_path, *n.reason});
    done(o);
    return o;
  }

  Outcome process(std::string_view bytes, ValidationResult&& result, std::int64_t hash,
                  std::optional<ledger::Packed>&& packed) {
    ensure_tx();
    bytes_hash = hash;
    bytes_packed = std::move(packed);
    Outcome o;
    o.result = std::move(result);
    const std::string source = o.result.source;

    // Exact re-delivery: report the earlier verdict, change nothing.
    if (auto dups = ledger.inputs_with_bytes(bytes, hash); !dups.empty()) {
      duplicate_of(o, dups.front());
      return o;
    }

    const model::Message* m = o.result.message ? &*o.result.message : nullptr;
    if (!m || !o.result.xsd_valid) {
      quarantine(o, bytes, source,
                 "not a valid iWmo 3.2 or iJw 3.2 message (level 1: XML/XSD); no retour", 1,
                 Verdict::quarantined);
      done(o);
      return o;
    }
    // Every cross-message rule looks inside the message's legal domain (Wmo or Jeugdwet).
    ledger.set_standard(model::standard_of(m->type));
    if (!is_heen_type(m->type) && !is_retour_type(m->type)) {
      quarantine(
          o, bytes, source,
          fmt::format("{} messages are not processed by istd ingest", model::to_string(m->type)), 1,
          Verdict::quarantined);
      done(o);
      return o;
    }
    const bool level2 = has_error(o.result.findings);

    if (is_retour_type(m->type)) {
      // A rejecting 302 takes the own 301 out of force (--rejected-301), in this transaction.
      if (model::number(m->type) == 302 && opt.side == Side::gemeente &&
          opt.rejected_301 == Rejected301::withdraw && rejects(*m))
        withdraw_rejected_301(o, *m);
      auto n = input_row(*m, bytes, source);
      n.verdict = Verdict::recorded;
      n.level = level2 ? 2 : 0;
      n.findings_json = findings_json(o.result);
      n.route_path =
          fmt::format("{}/{}/{}", party_of(*m), model::to_string(m->type), basename_of(source));
      o.message_id = ledger.add_message_unique_route(n);
      o.route = n.route_path;
      o.accepted = !level2;
      stage(o.message_id, n.route_path, std::move(n.bytes));
      done(o);
      return o;
    }

    // Header rules come after level 2 in the rule order but are evaluated for the record anyway.
    std::vector<Finding> header;
    if (!level2) header = check_header(ledger, *m, opt.today);

    if (model::number(m->type) == 323) {
      std::vector<std::string> intake;
      int level = 0;
      if (level2) {
        intake = {"0001"};
        level = 2;
      } else if (has_error(header)) {
        intake = header_codes(header);
        level = 3;
      }
      for (auto& f : header) o.result.findings.push_back(f);
      take_in_323(o, *m, bytes, source, intake, level);
      done(o);
      return o;
    }

    // An own message (a gemeente's 301/319, a provider's 305/307/315/317) is checked before it
    // is sent: refused, it stays home; accepted, the other party writes its retour.
    const bool own_message = is_own_message(opt.side, m->type);
    const std::string own_type = std::to_string(model::number(m->type));
    const std::string route_wanted =
        fmt::format("{}/{}/{}", party_of(*m), model::to_string(m->type), basename_of(source));

    if (level2 || has_error(header)) {
      for (auto& f : header) o.result.findings.push_back(f);
      const int level = level2 ? 2 : 3;
      if (own_message) {
        quarantine(o, bytes, source,
                   fmt::format("own {} refused before sending (it would be rejected by the "
                               "provider)",
                               own_type),
                   level, Verdict::rejected, m);
        done(o);
        return o;
      }
      auto n = input_row(*m, bytes, source);
      n.verdict = Verdict::rejected;
      n.level = level;
      n.findings_json = findings_json(o.result);
      n.route_path = route_wanted;
      o.message_id = ledger.add_message_unique_route(n);
      o.route = n.route_path;
      stage(o.message_id, n.route_path, std::move(n.bytes));
      RetourContent c;
      c.xslt = level2;
      c.header_codes = level2 ? std::vector<std::string>{"0001"} : header_codes(header);
      o.retour = add_retour(*m, bytes, o.message_id, std::move(c));
      done(o);
      return o;
    }

    // Class rules against a tentative state: a savepoint with a provisional row.
    CrossResult cross;
    {
      Ledger::Savepoint sp(ledger);
      auto n = input_row(*m, bytes, source);
      n.verdict = Verdict::accepted;
      n.route_path = route_wanted;
      const MessageId id = ledger.add_message_unique_route(n);
      switch (model::number(m->type)) {
        case 301: cross = apply_allocations(ledger, *m, id); break;
        case 305:
        case 307: cross = apply_startstop(ledger, *m, id, opt.taakgericht); break;
        default: cross = apply_requests(ledger, *m, id); break;
      }
      if (!cross.rejected()) {
        if (opt.gezagsdrager_warning)
          for (auto& f : gezagsdrager_warnings(ledger, *m)) cross.findings.push_back(f);
        if (opt.woonplaatsbeginsel_warning)
          for (auto& f : woonplaatsbeginsel_warnings(ledger, *m, id)) cross.findings.push_back(f);
      }
      for (auto& f : cross.findings) o.result.findings.push_back(f);
      if (!cross.rejected()) {
        // The provisional row already says "accepted, no findings"; only warnings change it.
        if (!o.result.findings.empty())
          ledger.set_message_verdict(id, Verdict::accepted, 0, findings_json(o.result));
        sp.release();
        o.message_id = id;
        o.route = n.route_path;
        o.accepted = true;
        stage(id, n.route_path, std::move(n.bytes));
        if (!own_message)
          o.retour = add_retour(*m, bytes, id, RetourContent{});
        done(o);
        return o;
      }
      sp.rollback();
    }
    // Rejected at level 3: nothing of it is stored but its record (and its retour).
    if (own_message) {
      quarantine(o, bytes, source,
                 fmt::format("own {} refused before sending (cross-message rules; see findings)",
                             own_type),
                 3, Verdict::rejected, m);
      done(o);
      return o;
    }
    auto n = input_row(*m, bytes, source);
    n.verdict = Verdict::rejected;
    n.level = 3;
    n.findings_json = findings_json(o.result);
    n.route_path = route_wanted;
    o.message_id = ledger.add_message_unique_route(n);
    o.route = n.route_path;
    stage(o.message_id, n.route_path, std::move(n.bytes));
    RetourContent c;
    c.header_codes = {"0200"};
    c.with_client = true;
    if (model::number(m->type) == 319) {
      // The 320 copies the Antwoord, the one class under the root: its codes are the root's.
      c.client_codes = cross.class_codes.empty() ? std::vector<std::string>{}
                                                 : cross.class_codes.front();
    } else {
      c.class_codes = cross.class_codes;
    }
    o.retour = add_retour(*m, bytes, o.message_id, std::move(c));
    done(o);
    return o;
  }

  void done(Outcome&) {
    point("staged");
    count_in_batch();
  }

  void count_in_batch() {
    if (++in_batch >= opt.batch_size) commit_batch();
  }
};

Ingestor::Ingestor(Ledger& ledger, std::shared_ptr<const SchemaBundle> schemas, Options options)
    : impl_(std::make_unique<Impl>(ledger, std::move(schemas), std::move(options))) {}

Ingestor::~Ingestor() = default;

std::size_t Ingestor::recover() {
  if (impl_->opt.out_dir.empty()) return 0;
  std::error_code ec;
  const bool created = std::filesystem::create_directories(impl_->opt.out_dir, ec);
  if (ec)
    throw RuntimeError(fmt::format("cannot create output directory {}: {}",
                                   impl_->opt.out_dir.string(), ec.message()));
  if (created) mark_top_dir(impl_->opt.out_dir);
  {
    auto tx = impl_->ledger.begin();
    impl_->ledger.set_out_dir(
        std::filesystem::weakly_canonical(std::filesystem::absolute(impl_->opt.out_dir)).string());
    tx.commit();
  }
  // A run killed while writing a file through the rename path leaves its temporary file behind;
  // the rerun may create the target through O_TMPFILE instead, so sweep leftovers here.
  for (auto it = std::filesystem::recursive_directory_iterator(impl_->opt.out_dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() > std::strlen(kTmpSuffix) && name.ends_with(kTmpSuffix)) {
      std::error_code rm;
      std::filesystem::remove(it->path(), rm);
    }
  }
  return materialise(impl_->ledger, impl_->opt.out_dir, impl_->opt.sync_files);
}

Outcome Ingestor::process(std::string_view bytes, ValidationResult&& result,
                          std::optional<std::int64_t> content_hash,
                          std::optional<ledger::Packed> packed) {
  return impl_->process(bytes, std::move(result),
                        content_hash ? *content_hash : ledger::content_hash(bytes),
                        std::move(packed));
}

Outcome Ingestor::process_large(const LargeInput& input, ValidationResult&& result) {
  return impl_->process_large(input, std::move(result));
}

void Ingestor::flush() { impl_->finish(); }

}  // namespace istd::ingest
