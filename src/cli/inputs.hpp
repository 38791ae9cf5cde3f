// Turns command-line PATH arguments into an ordered list of inputs.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace istd::cli {

struct Input {
  std::filesystem::path path;  ///< empty for stdin
  bool is_stdin = false;
  std::string error;           ///< set when the argument cannot be used (missing, unreadable)
  std::string name() const { return is_stdin ? std::string("-") : path.string(); }
};

/// Files as given; directories expanded recursively to their `*.xml` files sorted by path;
/// "-" is stdin. Arguments that do not exist become inputs with an error (the batch goes on).
std::vector<Input> collect_inputs(const std::vector<std::string>& args);

/// Reads all of stdin, up to `limit` + 1 bytes (so an oversize message is detected, not
/// buffered whole).
std::string read_stdin(std::size_t limit);

/// Parses a size like "25M", "512K", "1048576" or "1G" into bytes.
/// @throws CLI::ValidationError on a malformed value.
std::size_t parse_size(const std::string& s);

}  // namespace istd::cli
