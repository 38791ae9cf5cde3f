// Fuzz target: ingest of a short sequence of messages into a fresh ledger. The input is up to
// eight messages separated by NUL bytes; the first byte chooses the side (municipality or
// provider). Invariants: ingest never crashes or throws for bad input; the same sequence into
// another fresh ledger gives the same ledger and the same files (outputs are deterministic
// functions of the ledger); a rerun of the sequence on the first ledger changes nothing (every
// message is a duplicate of itself).
#include <unistd.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/errors.hpp"
#include "core/ingest/ingest.hpp"
#include "core/ledger/ledger.hpp"
#include "core/validator.hpp"
#include "fuzz_env.hpp"

using namespace istd;
namespace fs = std::filesystem;

namespace {

fs::path work_dir() {
  static const fs::path dir = [] {
    const fs::path base = fs::exists("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    return base / ("istd-fuzz-ingest-" + std::to_string(::getpid()));
  }();
  return dir;
}

std::map<std::string, std::string> files_under(const fs::path& root) {
  std::map<std::string, std::string> out;
  if (!fs::exists(root)) return out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    out[fs::relative(e.path(), root).string()] =
        std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  return out;
}

/// Ingests the messages into the ledger `db`, files under `out`; returns the ledger's dump.
std::string run_ingest(const std::vector<std::string_view>& msgs, const fs::path& db,
                   const fs::path& out, ingest::Side side) {
  static Validator validator(fuzz::bundle(), ValidateOptions{});
  ledger::OpenOptions lo;
  lo.sync = ledger::OpenOptions::Sync::off;
  ledger::Ledger ledger(db, lo);
  ingest::Options o;
  o.side = side;
  o.today = model::Date{2025, 7, 10};
  o.out_dir = out;
  o.sync_files = false;
  o.background_files = false;
  o.batch_size = 3;
  {
    ingest::Ingestor in(ledger, fuzz::bundle(), o);
    in.recover();
    int n = 0, accepted = 0;
    for (const auto m : msgs)
      accepted += in.process(m, validator.validate(m, "m" + std::to_string(n++) + ".xml")).accepted;
    in.flush();
    if (std::getenv("ISTD_FUZZ_VERBOSE"))
      std::fprintf(stderr, "ingest: %zu messages, %d accepted\n", msgs.size(), accepted);
  }
  return ledger.dump();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::init();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2 || size > 64 * 1024) return 0;
  const auto side = data[0] & 1 ? ingest::Side::aanbieder : ingest::Side::gemeente;
  const std::string_view all(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::vector<std::string_view> msgs;
  for (std::size_t p = 0; p <= all.size() && msgs.size() < 8;) {
    const std::size_t q = std::min(all.find('\0', p), all.size());
    msgs.push_back(all.substr(p, q - p));
    p = q + 1;
  }
  const fs::path dir = work_dir();
  fs::remove_all(dir);
  fs::create_directories(dir);
  try {
    const std::string a = run_ingest(msgs, dir / "a.db", dir / "a", side);
    const auto files_a = files_under(dir / "a");
    const std::string b = run_ingest(msgs, dir / "b.db", dir / "b", side);
    if (a != b) fuzz::broken("the same sequence gave two different ledgers");
    if (files_under(dir / "b") != files_a) fuzz::broken("the same sequence gave different files");
    const std::string again = run_ingest(msgs, dir / "a.db", dir / "a", side);
    if (again != a) fuzz::broken("a rerun changed the ledger");
    if (files_under(dir / "a") != files_a) fuzz::broken("a rerun changed the files");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    fuzz::broken("ingest threw");
  }
  fs::remove_all(dir);
  return 0;
}
