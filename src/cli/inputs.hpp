// Turns command-line PATH arguments into an ordered list of inputs.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/util/read_file.hpp"

namespace istd::cli {

struct Input {
  std::filesystem::path path;  ///< empty for stdin
  bool is_stdin = false;
  std::string error;           ///< set when the argument cannot be used (missing, unreadable)
  std::string name() const { return is_stdin ? std::string("-") : path.string(); }
};

/// Files as given; directories expanded recursively to their `*.xml` files sorted by path;
/// "-" is stdin. What cannot be used becomes an input with an error, in its place (the batch
/// goes on): an argument that does not exist, a directory (or subdirectory) that cannot be
/// listed, a `*.xml` entry that is a dangling symbolic link, a FIFO, a socket or a device.
/// Symbolic links to directories are not followed.
std::vector<Input> collect_inputs(const std::vector<std::string>& args);

/// All of standard input.
struct StdinInput {
  std::string bytes;       ///< all of it, when it is within the limit
  util::UniqueFd spool;    ///< over the limit, with `keep`: an unnamed temporary file holding it
  std::uint64_t size = 0;  ///< its size in bytes (over the limit too)
  std::string error;       ///< reading (or spooling) failed: nothing usable
};

/// Reads standard input to its end; never cuts it short. Up to `limit` bytes are held in
/// memory. Beyond that, with `keep` everything goes to an unnamed temporary file (in $TMPDIR,
/// gone when closed), so an over-size message can be kept byte for byte without holding it;
/// without `keep` the rest is only counted.
StdinInput read_stdin(std::size_t limit, bool keep);

/// Parses a size like "25M", "512K", "1048576" or "1G" into bytes.
/// @throws CLI::ValidationError on a malformed value.
std::size_t parse_size(const std::string& s);

}  // namespace istd::cli
