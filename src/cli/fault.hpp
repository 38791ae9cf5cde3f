// Fault injection for the crash tests: with ISTD_FAULT_AFTER=N in the environment, the N-th
// durability point a command reports ends the process (exit 99), so a test can check that a
// rerun after a crash there loses and repeats nothing. Compiled in only with the CMake option
// ISTD_TEST_HOOKS (test builds); otherwise the variable is ignored.
#pragma once

#include <functional>
#include <string_view>

namespace istd::cli {

/// The durability-point callback ISTD_FAULT_AFTER asks for; empty when it is not set.
/// Thread-safe (ingest reports points from its file thread too).
std::function<void(std::string_view)> fault_after_from_env();

}  // namespace istd::cli
