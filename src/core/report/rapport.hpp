// The official validation report format (namespace
// http://www.istandaarden.nl/validatie/1_1/rapport/schema), so tools that read the official
// report can read ours.
#pragma once

#include <string>

#include "core/validator.hpp"

namespace istd::report {

inline constexpr const char* kRapportNamespace =
    "http://www.istandaarden.nl/validatie/1_1/rapport/schema";

/// One complete XML document (with declaration) for one validated message.
std::string to_rapport(const ValidationResult& r);

/// Escapes text for XML character data and attribute values.
std::string xml_escape(std::string_view s);

}  // namespace istd::report
