// Exception types of istd's core. Bad *input messages* never throw: they become findings.
// These are for configuration and environment problems.
#pragma once

#include <cerrno>
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

/// The disk (or the quota) holding the ledger or an output is full. Nothing of the failed
/// operation is stored, and the same operation succeeds once space is freed: the service answers
/// 507 and goes on, the CLI exits 3 like any RuntimeError.
struct StorageFullError : RuntimeError {
  using RuntimeError::RuntimeError;
};

/// True for the errno values of a full disk or quota.
inline bool is_storage_full(int err) { return err == ENOSPC || err == EDQUOT; }

/// Throws StorageFullError when `err` says the disk is full, RuntimeError otherwise.
[[noreturn]] inline void throw_io_error(std::string message, int err) {
  if (is_storage_full(err)) throw StorageFullError(std::move(message));
  throw RuntimeError(std::move(message));
}

}  // namespace istd
