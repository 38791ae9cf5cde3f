#include "core/ingest/outcome.hpp"

#include <fmt/format.h>

#include "core/model.hpp"
#include "core/report/report.hpp"

namespace istd::ingest {

namespace {

nlohmann::ordered_json path_or_null(const std::string& route, const std::filesystem::path& out) {
  if (route.empty()) return nullptr;
  return out.empty() ? route : (out / route).string();
}

}  // namespace

std::string_view verdict_word(const Outcome& o) {
  return o.duplicate     ? "duplicate"
         : o.quarantined ? "quarantined"
         : o.accepted    ? "accepted"
                         : "rejected";
}

nlohmann::ordered_json outcome_json(const Outcome& o, const std::filesystem::path& out_dir) {
  nlohmann::ordered_json j;
  j["id"] = o.message_id;
  j["verdict"] = ledger::to_string(o.verdict);
  j["accepted"] = o.accepted;
  j["duplicate"] = o.duplicate;
  j["quarantined"] = o.quarantined;
  j["route"] = path_or_null(o.route, out_dir);
  j["retour_route"] = path_or_null(o.retour, out_dir);
  return j;
}

std::string outcome_text(const Outcome& o, const std::filesystem::path& out_dir) {
  const std::string type = o.result.type == model::MessageType::unknown
                               ? std::string("unknown")
                               : std::string(model::to_string(o.result.type));
  std::string line = fmt::format("{}: {} {}", o.result.source, type, verdict_word(o));
  auto path = [&](const std::string& r) {
    return out_dir.empty() ? r : (out_dir / r).string();
  };
  if (!o.route.empty()) line += fmt::format(" -> {}", path(o.route));
  if (!o.retour.empty()) line += fmt::format("; retour {}", path(o.retour));
  line += '\n';
  if (!o.duplicate) line += report::to_text(o.result);
  return line;
}

}  // namespace istd::ingest
