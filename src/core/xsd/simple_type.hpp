// A simple type of the schemas compiled into one check: the built-in base's lexical and value
// rules (xs:string, xs:integer, xs:decimal, xs:date, xs:time, xs:boolean, ...), whitespace
// handling, and the facets of every restriction step (enumeration, length, minLength,
// maxLength, pattern, totalDigits, fractionDigits, min/max Inclusive/Exclusive).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <xercesc/util/XercesDefs.hpp>

XERCES_CPP_NAMESPACE_BEGIN
class XSSimpleTypeDefinition;
XERCES_CPP_NAMESPACE_END

namespace istd::xsd {

class SimpleType {
 public:
  struct Impl;
  explicit SimpleType(std::unique_ptr<Impl> impl);
  ~SimpleType();
  SimpleType(const SimpleType&) = delete;
  SimpleType& operator=(const SimpleType&) = delete;

  /// Checks one value: the element's text as UTF-8, as it appears in the document (before
  /// whitespace handling). True when valid; otherwise `why` is set to a plain-language text
  /// naming the value and the rule it breaks, e.g. "'2027-06-31' is not a date: June has 30
  /// days" or "'ABC' is longer than the 2 characters allowed (maxLength)".
  bool check(std::string_view value, std::string& why) const;

  /// The type's name for findings ("LDT_Datum", or "(anonymous)").
  const std::string& name() const;

 private:
  std::unique_ptr<Impl> impl_;
};

/// Compiles one simple type (atomic, by restriction, any depth).
/// @throws Unsupported for list and union types, facets or built-in types not handled, and
/// patterns the pattern compiler does not handle.
std::shared_ptr<const SimpleType> compile_simple_type(
    const xercesc::XSSimpleTypeDefinition& type);

}  // namespace istd::xsd
