// Fuzz target: bytes -> verdict. The validator must never crash, hang or throw on any input,
// and its verdict must be consistent: a valid message has a typed model and no error finding,
// every finding names a rule.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/validator.hpp"
#include "fuzz_env.hpp"

using namespace istd;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::init();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Validator validator(fuzz::bundle(), ValidateOptions{});
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  ValidationResult r;
  try {
    r = validator.validate(bytes, "fuzz.xml");
  } catch (...) {
    fuzz::broken("Validator::validate threw");
  }
  for (const auto& f : r.findings)
    if (f.rule.empty()) fuzz::broken("a finding without a rule");
  if (r.xsd_valid && !r.message) fuzz::broken("XSD-valid without a typed model");
  if (r.valid() && !r.xsd_valid) fuzz::broken("valid but not XSD-valid");
  return 0;
}
