#include "cli/inputs.hpp"

#include <algorithm>
#include <cstdio>
#include <system_error>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

namespace istd::cli {

std::vector<Input> collect_inputs(const std::vector<std::string>& args) {
  std::vector<Input> out;
  for (const auto& a : args) {
    if (a == "-") {
      out.push_back(Input{{}, true, {}});
      continue;
    }
    std::filesystem::path p(a);
    std::error_code ec;
    auto st = std::filesystem::status(p, ec);
    if (ec || !std::filesystem::exists(st)) {
      out.push_back(Input{p, false, "no such file or directory"});
      continue;
    }
    if (std::filesystem::is_directory(st)) {
      // Sort key: the path with its separators as the smallest byte, so that comparing keys as
      // strings gives path order (component by component) without splitting paths into
      // components for every comparison (a quarter of the time for 20,000 files).
      std::vector<std::pair<std::string, std::filesystem::path>> files;
      std::filesystem::recursive_directory_iterator it(
          p, std::filesystem::directory_options::skip_permission_denied, ec);
      if (ec) {
        out.push_back(Input{p, false, fmt::format("cannot read directory: {}", ec.message())});
        continue;
      }
      for (; it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) break;
        const auto& e = *it;
        std::error_code fec;
        if (e.is_regular_file(fec) && e.path().extension() == ".xml") {
          std::string key = e.path().native();
          std::replace(key.begin(), key.end(), '/', '\0');
          files.emplace_back(std::move(key), e.path());
        }
      }
      std::sort(files.begin(), files.end(),
                [](const auto& x, const auto& y) { return x.first < y.first; });
      for (auto& f : files) out.push_back(Input{std::move(f.second), false, {}});
      continue;
    }
    out.push_back(Input{p, false, {}});
  }
  return out;
}

std::string read_stdin(std::size_t limit) {
  std::string data;
  char buf[65536];
  while (data.size() <= limit) {
    const std::size_t n = std::fread(buf, 1, sizeof buf, stdin);
    if (n == 0) break;
    data.append(buf, n);
  }
  return data;
}

std::size_t parse_size(const std::string& s) {
  if (s.empty()) throw CLI::ValidationError("size", "empty size");
  std::size_t mult = 1;
  std::string digits = s;
  const char last = static_cast<char>(std::toupper(static_cast<unsigned char>(s.back())));
  if (last == 'K' || last == 'M' || last == 'G') {
    mult = last == 'K' ? 1024 : last == 'M' ? 1024 * 1024 : 1024ull * 1024 * 1024;
    digits.pop_back();
  }
  if (digits.empty() || !std::all_of(digits.begin(), digits.end(), ::isdigit) || digits.size() > 12)
    throw CLI::ValidationError("size", fmt::format("'{}' is not a size (examples: 25M, 512K, 1048576)", s));
  return std::stoull(digits) * mult;
}

}  // namespace istd::cli
