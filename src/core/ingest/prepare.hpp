// Stage 1 of the ingest pipeline (ingest.hpp): an input as read, ready for the ledger. Its
// content hash (how re-deliveries are found) and packed form (how the ledger stores it) are
// made where the bytes were read — on a validation worker — so the serial ledger stage does not.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/ledger/pack.hpp"

namespace istd {
struct ValidationResult;
}

namespace istd::ingest {

/// An input after the one being judged, when it is known then (read and validated): what the
/// rules will read for it is sent to the ledger ahead, so that a ledger server works on it
/// while this one is judged (judge). Its bytes and result must outlive the judging.
struct Upcoming {
  std::string_view bytes;
  std::int64_t hash = 0;
  const ValidationResult* result = nullptr;
};

struct Prepared {
  std::string_view bytes;  ///< the input exactly as received; owned by the caller
  std::int64_t hash = 0;   ///< ledger::content_hash(bytes)
  /// ledger::pack(bytes); the first ledger row of the input takes it (nullopt: the ledger
  /// packs the bytes itself).
  std::optional<ledger::Packed> packed;
};

/// Hashes and packs `bytes` (which must outlive the result).
Prepared prepare(std::string_view bytes);

/// An input too large to hold in memory: a file over the size limit (or standard input spooled
/// to a temporary file). It is quarantined byte for byte, its bytes streamed into the ledger and
/// out to quarantine/ in pieces (docs/ingest.md, "Inputs over the size limit").
struct LargeInput {
  int fd = -1;              ///< open, read with pread from offset 0; owned by the caller
  std::uint64_t size = 0;   ///< its size in bytes
  std::int64_t hash = 0;    ///< ledger::content_hash of those bytes
  std::uint64_t limit = 0;  ///< the size limit it exceeds (named in the .reason)
};

}  // namespace istd::ingest
