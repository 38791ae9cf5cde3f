// Fuzz target: bytes -> the verdict of both schema engines. The compiled engine (istd's own
// tables) and Xerces' validator must agree on whether any input is schema-valid; neither may
// crash, hang or throw.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string_view>

#include "core/validator.hpp"
#include "fuzz_env.hpp"

using namespace istd;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::init();
  return 0;
}

namespace {
ValidateOptions engine(Engine e) {
  ValidateOptions o;
  o.checks = Checks::xsd;
  o.engine = e;
  return o;
}

ValidationResult run(Validator& v, std::string_view bytes) {
  try {
    return v.validate(bytes, "fuzz.xml");
  } catch (...) {
    fuzz::broken("Validator::validate threw");
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Validator compiled(fuzz::bundle(), engine(Engine::compiled));
  static Validator xerces(fuzz::bundle(), engine(Engine::xerces));
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const ValidationResult c = run(compiled, bytes);
  const ValidationResult x = run(xerces, bytes);
  if (c.xsd_valid != x.xsd_valid) {
    const auto first = [](const ValidationResult& r) {
      return r.findings.empty() ? std::string("no finding")
                                : r.findings.front().rule + " " + r.findings.front().text;
    };
    std::fprintf(stderr, "compiled: %s (%s)\nxerces:   %s (%s)\n",
                 c.xsd_valid ? "valid" : "invalid", first(c).c_str(),
                 x.xsd_valid ? "valid" : "invalid", first(x).c_str());
    fuzz::broken("the compiled engine and Xerces disagree");
  }
  return 0;
}
