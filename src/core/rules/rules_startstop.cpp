// Level-2 rules of the start and stop messages (305, 307): CS058, TR018.
#include <fmt/format.h>

#include "core/rules/rules_internal.hpp"

namespace istd::rules::detail {

void cs058(const Message& m, Emit& emit) {
  auto one = [&](NodeId cls, const Text& status) {
    if (!status.present() || status.value == "1" || status.value == "3") return;
    emit({status.node, cls},
         fmt::format("{}: StatusAanlevering {} is not allowed in a {}; use 1 (eerste "
                     "aanlevering) for a new {}, or 3 (verwijderen) to delete one sent "
                     "earlier. A correction is a delete (3) plus a new one (1) (CS058).",
                     label(m, cls), shown(status), model::to_string(m.type),
                     model::number(m.type) == 305 ? "start" : "stop"));
  };
  for (const auto& s : m.client.starts) one(s.node, s.status_aanlevering);
  for (const auto& s : m.client.stops) one(s.node, s.status_aanlevering);
}

void tr018(const Message& m, Emit& emit) {
  for (const auto& s : m.client.stops) {
    const auto begin = date_of(s.begindatum);
    const auto end = date_of(s.einddatum);
    if (!begin || !end || *end >= *begin) continue;
    emit({s.einddatum.node, s.begindatum.node},
         fmt::format("{}: Einddatum {} is before Begindatum {}; the end of delivery cannot "
                     "precede its start. Correct the Einddatum (TR018).",
                     label(m, s.node), end->to_string(), begin->to_string()));
  }
}

}  // namespace istd::rules::detail
