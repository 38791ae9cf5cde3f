// A finding: one thing wrong (or worth a warning) with a message, in the shape every output
// format (text, JSON Lines, the official rapport, retour messages) is made from.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace istd {

enum class Severity { error, warning };

struct Finding {
  /// "XML" (not an acceptable UTF-8 XML document), "XSD" (schema violation), "LIMIT" (refused
  /// before parsing, e.g. too large), or a rule code of the standard ("CS002", "TR018", ...).
  std::string rule;
  /// Retourcode of the standard ("0001", "9019", ...); empty when there is none.
  std::string retourcode;
  Severity severity = Severity::error;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  /// Locatie of every element involved, in the official report's style; the first is primary.
  std::vector<std::string> paths;
  /// Plain-language text: what is wrong and how to fix it.
  std::string text;

  const std::string& path() const {
    static const std::string kEmpty;
    return paths.empty() ? kEmpty : paths.front();
  }
};

}  // namespace istd
