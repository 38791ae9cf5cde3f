// Reads a whole (small) input file with four system calls: open, fstat, read, close. Message
// batches read tens of thousands of files, and on a virtual machine each system call counts.
// A file over the size limit is not read; the caller may keep it open to stream it (istd ingest
// quarantines such a file byte for byte without holding it in memory).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace istd::util {

/// An open file descriptor, closed when the owner goes. -1: none.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& o) noexcept : fd_(o.release()) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = o.release();
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset();

 private:
  int fd_ = -1;
};

struct ReadFile {
  enum class Status { ok, too_large, error };
  Status status = Status::error;
  std::string bytes;     // the content (ok only)
  std::size_t size = 0;  // the file's size (ok and too_large)
  std::string error;     // what went wrong, for a person (error only)
  UniqueFd file;         // too_large with keep_large_open: the open file, not read
};

/// Reads `file` unless it is larger than `limit` bytes (then nothing is read: too_large; with
/// `keep_large_open` the file stays open in ReadFile::file, to be read with pread). Anything
/// but a regular file (a directory, a FIFO, a device) is an error, and opening never blocks.
ReadFile read_file(const std::filesystem::path& file, std::size_t limit,
                   bool keep_large_open = false);

/// A size for people: "25 MB" (exact multiples of MB), "26.3 MB", "512 KB", "900 bytes". MB and
/// KB are 1024-based, as --max-size and body_limit read "25M" and "512K".
std::string size_text(std::uint64_t bytes);

}  // namespace istd::util
