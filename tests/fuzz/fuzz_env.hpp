// Shared by the fuzz targets: the Xerces platform and the schema bundle, made once per process
// in LLVMFuzzerInitialize (never in static initialisation), and a failure that libFuzzer and
// the replay driver both see (abort with a message).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "core/xml/platform.hpp"
#include "core/xml/schema_bundle.hpp"

namespace istd::fuzz {

/// The bundle of $ISTD_SCHEMAS, else the project's iWmo 3.2 schemas.
inline std::shared_ptr<const SchemaBundle>& bundle() {
  static std::shared_ptr<const SchemaBundle> b;
  return b;
}

inline void init() {
  static xml::Platform* platform = new xml::Platform();  // lives until exit, never destroyed
  (void)platform;
  const char* env = std::getenv("ISTD_SCHEMAS");
  const std::filesystem::path dir = env && *env ? std::filesystem::path(env)
                                                : std::filesystem::path(ISTD_FUZZ_SCHEMAS);
  bundle() = std::make_shared<const SchemaBundle>(SchemaBundle::load(dir));
}

/// An invariant of the code under test does not hold: report it as a crash.
[[noreturn]] inline void broken(const char* what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

}  // namespace istd::fuzz
