#include "core/report/report.hpp"

#include <fmt/format.h>

namespace istd::report {

nlohmann::ordered_json to_json(const ValidationResult& r) {
  nlohmann::ordered_json j;
  j["source"] = r.source;
  if (r.type == model::MessageType::unknown)
    j["message"] = nullptr;
  else
    j["message"] = std::string(model::to_string(r.type));
  if (r.identificatie.empty())
    j["identificatie"] = nullptr;
  else
    j["identificatie"] = r.identificatie;
  j["valid"] = r.valid();
  auto arr = nlohmann::ordered_json::array();
  for (const auto& f : r.findings) {
    nlohmann::ordered_json o;
    o["rule"] = f.rule;
    if (f.retourcode.empty())
      o["retourcode"] = nullptr;
    else
      o["retourcode"] = f.retourcode;
    o["severity"] = f.severity == Severity::error ? "error" : "warning";
    o["line"] = f.line;
    o["column"] = f.column;
    o["path"] = f.path();
    if (f.paths.size() > 1) o["paths"] = f.paths;
    o["text"] = f.text;
    // The catalogue key: `istd explain KEY` (or `istd explain --format json`) explains it.
    o["explanation"] = f.rule;
    arr.push_back(std::move(o));
  }
  j["findings"] = std::move(arr);
  return j;
}

std::string to_text(const ValidationResult& r) {
  std::string out;
  for (const auto& f : r.findings) {
    out += fmt::format("{}:{}:{}: {}{}: {}", r.source, f.line, f.column,
                       f.severity == Severity::warning ? "warning: " : "", f.rule, f.text);
    if (!f.retourcode.empty()) out += fmt::format(" [retourcode {}]", f.retourcode);
    if (!f.paths.empty()) {
      out += " (at ";
      for (std::size_t i = 0; i < f.paths.size(); ++i) {
        if (i) out += ", ";
        out += f.paths[i];
      }
      out += ")";
    }
    out += '\n';
  }
  return out;
}

}  // namespace istd::report
