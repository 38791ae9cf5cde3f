#include "core/ingest/prepare.hpp"

#include "core/ledger/ledger.hpp"

namespace istd::ingest {

Prepared prepare(std::string_view bytes) {
  Prepared p;
  p.bytes = bytes;
  p.hash = ledger::content_hash(bytes);
  p.packed = ledger::pack(bytes);
  return p;
}

}  // namespace istd::ingest
