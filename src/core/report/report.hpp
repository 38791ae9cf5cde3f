// Output formats of validation results: text for people, JSON Lines for machines.
#pragma once

#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "core/validator.hpp"

namespace istd::report {

/// The JSON Lines object of one validated message:
/// {"source","message","identificatie","valid","findings":[{"rule","retourcode","severity",
///  "line","column","path","paths","text"}]}
nlohmann::ordered_json to_json(const ValidationResult& r);

/// One line per finding: `file:line:col: rule: text (at path)`.
std::string to_text(const ValidationResult& r);

}  // namespace istd::report
