#include "core/ledger/pack.hpp"

#include <fmt/format.h>
#include <zstd.h>

#include <memory>

#include "core/errors.hpp"

namespace istd::ledger {

namespace {

// Level 1: the fastest of the standard levels. Level 3 (zstd's default) saves 2 % more
// (584 -> 570 bytes a message on the bench corpus) for about twice the time.
constexpr int kLevel = 1;

struct CCtxFree {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct DCtxFree {
  void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};

}  // namespace

Packed pack(std::string_view bytes) {
  // A context per thread: ZSTD_compress would allocate and set up one (~1 MB) per call.
  thread_local std::unique_ptr<ZSTD_CCtx, CCtxFree> cctx(ZSTD_createCCtx());
  if (!cctx) throw RuntimeError("ledger: out of memory (zstd context)");
  Packed p;
  p.data.resize(ZSTD_compressBound(bytes.size()));
  const std::size_t n = ZSTD_compressCCtx(cctx.get(), p.data.data(), p.data.size(), bytes.data(),
                                          bytes.size(), kLevel);
  if (ZSTD_isError(n) || n >= bytes.size()) {
    // Incompressible (or tiny): stored as is.
    p.data.assign(bytes);
    p.encoding = Encoding::raw;
    return p;
  }
  p.data.resize(n);
  p.encoding = Encoding::zstd;
  return p;
}

std::string unpack(std::string_view data, int encoding) {
  switch (encoding) {
    case static_cast<int>(Encoding::raw):
      return std::string(data);
    case static_cast<int>(Encoding::zstd): {
      const unsigned long long size = ZSTD_getFrameContentSize(data.data(), data.size());
      if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > (1ull << 32))
        throw RuntimeError("ledger: stored message bytes are damaged (not a zstd frame)");
      thread_local std::unique_ptr<ZSTD_DCtx, DCtxFree> dctx(ZSTD_createDCtx());
      if (!dctx) throw RuntimeError("ledger: out of memory (zstd context)");
      std::string out(static_cast<std::size_t>(size), '\0');
      const std::size_t n =
          ZSTD_decompressDCtx(dctx.get(), out.data(), out.size(), data.data(), data.size());
      if (ZSTD_isError(n) || n != out.size())
        throw RuntimeError(fmt::format("ledger: stored message bytes are damaged ({})",
                                       ZSTD_isError(n) ? ZSTD_getErrorName(n) : "short frame"));
      return out;
    }
    default:
      throw RuntimeError(fmt::format(
          "ledger: stored message bytes have encoding {}, unknown to this istd; use a newer istd",
          encoding));
  }
}

}  // namespace istd::ledger
