#include "cli/fault.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>

namespace istd::cli {

std::function<void(std::string_view)> fault_after_from_env() {
#ifndef ISTD_TEST_HOOKS
  return {};  // a release build has no fault injection
#else
  const char* f = std::getenv("ISTD_FAULT_AFTER");
  if (!f || !*f) return {};
  const long n = std::strtol(f, nullptr, 10);
  auto count = std::make_shared<std::atomic<long>>(0);
  return [n, count](std::string_view) {
    if (++*count == n) {
      std::fflush(stdout);
      ::_exit(99);
    }
  };
#endif
}

}  // namespace istd::cli
