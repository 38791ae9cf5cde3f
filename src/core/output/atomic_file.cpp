#include "core/output/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "core/errors.hpp"

namespace istd::output {

void sync_directory(const std::filesystem::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

namespace {
std::atomic<unsigned> counter{0};
}  // namespace

void write_file_atomic(const std::filesystem::path& path, std::string_view bytes) {
  AtomicFileWriter w(path);
  w.write(bytes);
  w.commit();
}

AtomicFileWriter::AtomicFileWriter(const std::filesystem::path& path) : path_(path) {
  std::error_code ec;
  dir_ = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
  std::filesystem::create_directories(dir_, ec);
  if (ec)
    throw RuntimeError(fmt::format("cannot create directory {}: {}", dir_.string(), ec.message()));
  tmp_ = dir_ / fmt::format(".{}.{}.{}.tmp", path.filename().string(), ::getpid(),
                            counter.fetch_add(1));
  fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw_io_error(fmt::format("cannot create {}: {}", tmp_.string(), std::strerror(errno)), errno);
}

AtomicFileWriter::~AtomicFileWriter() {
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlink(tmp_.c_str());
  }
}

void AtomicFileWriter::fail(const char* what) {
  const int err = errno;
  ::close(fd_);
  fd_ = -1;
  ::unlink(tmp_.c_str());
  throw_io_error(fmt::format("{} {}: {}", what, path_.string(), std::strerror(err)), err);
}

void AtomicFileWriter::write_through(std::string_view bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("cannot write");
    }
    done += static_cast<std::size_t>(n);
  }
}

void AtomicFileWriter::flush() {
  write_through(buf_);
  buf_.clear();
}

void AtomicFileWriter::write(std::string_view bytes) {
  if (fd_ < 0) throw RuntimeError(fmt::format("{}: write after commit", path_.string()));
  if (bytes.size() >= kBuffer) {  // large pieces (whole files) go out without a copy
    flush();
    write_through(bytes);
    return;
  }
  buf_.append(bytes);
  if (buf_.size() >= kBuffer) flush();
}

void AtomicFileWriter::commit() {
  if (fd_ < 0) throw RuntimeError(fmt::format("{}: commit twice", path_.string()));
  flush();
  if (::fsync(fd_) != 0) fail("cannot flush");
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp_.c_str());
    throw_io_error(fmt::format("cannot close {}: {}", path_.string(), std::strerror(err)), err);
  }
  if (::rename(tmp_.c_str(), path_.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp_.c_str());
    throw_io_error(fmt::format("cannot rename into {}: {}", path_.string(), std::strerror(err)),
                   err);
  }
  sync_directory(dir_);
}

}  // namespace istd::output
