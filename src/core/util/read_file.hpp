// Reads a whole (small) input file with four system calls: open, fstat, read, close. Message
// batches read tens of thousands of files, and on a virtual machine each system call counts.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace istd::util {

struct ReadFile {
  enum class Status { ok, too_large, error };
  Status status = Status::error;
  std::string bytes;     // the content (ok only)
  std::size_t size = 0;  // the file's size (ok and too_large)
  std::string error;     // what went wrong, for a person (error only)
};

/// Reads `file` unless it is larger than `limit` bytes (then nothing is read: too_large).
ReadFile read_file(const std::filesystem::path& file, std::size_t limit);

}  // namespace istd::util
