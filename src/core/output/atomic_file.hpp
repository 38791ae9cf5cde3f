// Crash-safe file output: write to a temporary file in the same directory, fsync it, rename it
// over the target, fsync the directory. A reader sees the old file or the new one, never half.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace istd::output {

/// Creates parent directories as needed.
/// @throws RuntimeError on any I/O failure (the temporary file is removed).
void write_file_atomic(const std::filesystem::path& path, std::string_view bytes);

/// Streams a file atomically, for outputs too large to build in memory: `write` appends (buffered)
/// to a temporary file next to the target, `commit` fsyncs it and renames it over the target.
/// Destroying a writer that was not committed removes the temporary file (nothing visible).
/// Creates parent directories as needed. @throws RuntimeError on any I/O failure.
class AtomicFileWriter {
 public:
  explicit AtomicFileWriter(const std::filesystem::path& path);
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;
  void write(std::string_view bytes);
  void commit();

 private:
  static constexpr std::size_t kBuffer = 1 << 16;
  void flush();
  void write_through(std::string_view bytes);
  [[noreturn]] void fail(const char* what);
  std::filesystem::path path_, dir_, tmp_;
  int fd_ = -1;
  std::string buf_;
};

/// fsyncs a directory (after renames into it).
void sync_directory(const std::filesystem::path& dir);

}  // namespace istd::output
