// Helpers shared by the unit tests.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace istd::test {

inline std::filesystem::path source_dir() { return ISTD_SOURCE_DIR; }
inline std::filesystem::path fixture(const std::string& rel) { return source_dir() / "fixtures" / rel; }
inline std::filesystem::path test_data(const std::string& rel) { return std::filesystem::path(ISTD_TEST_DATA_DIR) / rel; }
/// Our schema bundle ($ISTD_SCHEMAS overrides it, e.g. to try another bundle).
inline std::filesystem::path schema_dir() {
  const char* e = std::getenv("ISTD_SCHEMAS");
  return e && *e ? std::filesystem::path(e) : source_dir() / "schemas";
}

/// $ISTD_REFERENCE_DIR, or empty when unset.
inline std::filesystem::path reference_dir() {
  const char* e = std::getenv("ISTD_REFERENCE_DIR");
  return e && *e ? std::filesystem::path(e) : std::filesystem::path();
}

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace istd::test
