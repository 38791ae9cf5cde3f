// The compiled validation engine (src/core/xsd/) turns the loaded schema bundle into istd's own
// tables. A schema construct it does not handle is reported with this exception, naming the
// construct and where it is; the validator then keeps Xerces' schema validation for that
// bundle (and says so once) instead of guessing.
#pragma once

#include <stdexcept>
#include <string>

namespace istd::xsd {

class Unsupported : public std::runtime_error {
 public:
  explicit Unsupported(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace istd::xsd
