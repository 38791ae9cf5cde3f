// Exception types of istd's core. Bad *input messages* never throw: they become findings.
// These are for configuration and environment problems.
#pragma once

#include <stdexcept>
#include <string>

namespace istd {

/// A configuration problem: unreadable schema bundle, bad policy file, bad option value.
/// The CLI maps it to exit code 2.
struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// A runtime failure outside the input's fault (I/O error writing output, database failure).
/// The CLI maps it to exit code 3.
struct RuntimeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace istd
