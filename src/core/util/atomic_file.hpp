// Crash-safe file output: write to a temporary file in the same directory, fsync it, rename it
// over the target, fsync the directory. A reader sees the old file or the new one, never half.
#pragma once

#include <filesystem>
#include <string_view>

namespace istd::util {

/// Creates parent directories as needed.
/// @throws RuntimeError on any I/O failure (the temporary file is removed).
void write_file_atomic(const std::filesystem::path& path, std::string_view bytes);

/// fsyncs a directory (after renames into it).
void sync_directory(const std::filesystem::path& dir);

}  // namespace istd::util
