// How the ledger stores message bytes (`message_bytes.bytes` with `message_bytes.encoding`).
//
// Every message is kept whole in the ledger (re-materialisation after a crash, the 323 a 325
// answers). Most of a ledger's pages were those bytes: an iWmo message is 1-3 KB of XML, one
// table page each. zstd at level 1 keeps about a third of it (bench corpus: inputs 2,038 ->
// ~715 bytes, 306/308 retours 1,132 -> ~415), which shrinks the file, its WAL and its
// checkpoints to about 40 % (BENCHMARKS.md, "istd ingest", fourth session). A reader gets back
// exactly the bytes that were stored: the encoding is recorded per row, so rows written raw
// (schema versions 1 and 2, or data zstd cannot shrink) read back as they are.
#pragma once

#include <string>
#include <string_view>

namespace istd::ledger {

/// message_bytes.encoding
enum class Encoding : int {
  raw = 0,   ///< the bytes as they are
  zstd = 1,  ///< one zstd frame holding the bytes (content size in the frame header)
};

/// Message bytes as stored.
struct Packed {
  std::string data;
  Encoding encoding = Encoding::raw;
};

/// `bytes` compressed with zstd (level 1), or raw when that would not make them smaller.
/// Deterministic for a given zstd version; thread-safe (one compression context per thread).
Packed pack(std::string_view bytes);

/// The original bytes of `data` stored with `encoding`.
/// @throws RuntimeError when `data` is not a valid frame of `encoding` (a damaged ledger) or
///   `encoding` is unknown (a ledger written by a newer istd).
std::string unpack(std::string_view data, int encoding);

}  // namespace istd::ledger
