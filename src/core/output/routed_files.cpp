#include "core/output/routed_files.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/errors.hpp"

namespace istd::output {

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
  // Usual case, a new file: an unnamed O_TMPFILE inode linked in under its name when complete
  // (no temporary directory entry to create and rename). A reader sees all of it or nothing.
  if (write_new_file(out_dir / route, bytes)) return;
  write_routed_pieces(out_dir, route, [&](const auto& write) { write(bytes); });
}

void write_routed_pieces(
    const std::filesystem::path& out_dir, const std::string& route,
    const std::function<void(const std::function<void(std::string_view)>& write)>& fill) {
  const auto target = out_dir / route;
  // The temporary file sits next to the target under a deterministic name, so a rerun after a
  // crash overwrites (and renames) any leftover instead of leaving it behind.
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


void sweep_tmp_files(const std::filesystem::path& dir) {
  std::error_code ec;
  const std::size_t suffix = std::strlen(kTmpSuffix);
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() > suffix && name.ends_with(kTmpSuffix)) {
      std::error_code rm;
      std::filesystem::remove(it->path(), rm);
    }
  }
}

// -------------------------------------------------------------------------------------------

TreeWriter::~TreeWriter() {
  for (auto& [dir, fd] : dirs_)
    if (fd >= 0) ::close(fd);
}

void TreeWriter::write(const std::string& route, std::string_view bytes) {
  const auto slash = route.rfind('/');
  const std::string dir = slash == std::string::npos ? std::string() : route.substr(0, slash);
  const char* name = route.c_str() + (slash == std::string::npos ? 0 : slash + 1);
  const int dfd = dir_fd(dir);
  if (dfd < 0 || !link_new(dfd, name, bytes)) write_routed(out_dir_, route, bytes);
}

int TreeWriter::dir_fd(const std::string& dir) {
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
bool TreeWriter::link_new(int dfd, const char* name, std::string_view bytes) {
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

}  // namespace istd::output
