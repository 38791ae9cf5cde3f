// Level-2 rules of the requests and answers: the referrer of a 315 (CD066-CD068), the reference
// of its requested products (TR383), the content of a 317 request (TR352, TR353, TR380) and the
// answer of a 319 (CD085, CD086). The rules these messages share with the 301's allocations are
// in rules_products.cpp.
#include <fmt/format.h>

#include "core/rules/product_classes.hpp"

namespace istd::rules::detail {

namespace {

/// Verwijzer Type 02-05 (huisarts, jeugdarts, gecertificeerde instelling, medisch specialist):
/// the referrers that can have a ZorgverlenerCode (AGB code).
bool care_referrer(const model::Verwijzer& v) { return is_one_of(v.type, {"02", "03", "04", "05"}); }

std::string ap_label(const Message& m, const model::AangevraagdProduct& ap) {
  return fmt::format("{} (ReferentieAanbieder {})", label(m, ap.node), ap.referentie_aanbieder.value);
}

}  // namespace

void cd066(const Message& m, Emit& emit) {
  for (const auto& ap : m.client.aangevraagd) {
    const auto& v = ap.verwijzer;
    if (!v.present() || !care_referrer(v) || !v.zorgverlener_code.filled() || !v.naam.filled())
      continue;
    emit({v.node, v.naam.node, v.zorgverlener_code.node},
         fmt::format("{}: the Verwijzer (Type {}) has a ZorgverlenerCode and also a Naam; with "
                     "an AGB code the name is left out. Leave out the Naam (CD066).",
                     ap_label(m, ap), v.type.value));
  }
}

void cd067(const Message& m, Emit& emit) {
  for (const auto& ap : m.client.aangevraagd) {
    const auto& v = ap.verwijzer;
    if (!v.present() || !care_referrer(v) || v.zorgverlener_code.filled() || v.naam.filled())
      continue;
    emit({v.node, v.type.node},
         fmt::format("{}: the Verwijzer (Type {}) has neither a ZorgverlenerCode nor a Naam. Give "
                     "the referrer's AGB code as ZorgverlenerCode, or the Naam when there is none "
                     "(CD067).",
                     ap_label(m, ap), v.type.value));
  }
}

void cd068(const Message& m, Emit& emit) {
  for (const auto& ap : m.client.aangevraagd) {
    const auto& v = ap.verwijzer;
    if (!v.present() || care_referrer(v) || !v.zorgverlener_code.filled()) continue;
    emit({v.node, v.zorgverlener_code.node, v.type.node},
         fmt::format("{}: the Verwijzer has a ZorgverlenerCode, but Type {} is not a care "
                     "professional; only Type 02 (huisarts), 03 (jeugdarts), 04 (gecertificeerde "
                     "instelling) and 05 (medisch specialist) have one. Leave out the "
                     "ZorgverlenerCode or correct the Type (CD068).",
                     ap_label(m, ap), shown(v.type)));
  }
}

void cd085(const Message& m, Emit& emit) {
  const auto& a = m.antwoord;
  if (!a.present() || a.verzoek_antwoord.value != "1" || a.reden_afwijzing_verzoek.filled())
    return;
  emit({a.verzoek_antwoord.node, a.node},
       fmt::format("Antwoord (ReferentieAanbieder {}): VerzoekAntwoord 1 (verzoek afgewezen) "
                   "requires a RedenAfwijzingVerzoek. Add the reason the request is refused "
                   "(CD085).",
                   a.referentie_aanbieder.value));
}

void cd086(const Message& m, Emit& emit) {
  const auto& a = m.antwoord;
  if (!a.present() || a.verzoek_antwoord.value != "2" || !a.reden_afwijzing_verzoek.filled())
    return;
  emit({a.verzoek_antwoord.node, a.reden_afwijzing_verzoek.node},
       fmt::format("Antwoord (ReferentieAanbieder {}): VerzoekAntwoord 2 (aanvraag in onderzoek) "
                   "has a RedenAfwijzingVerzoek {}; a request under investigation is not refused. "
                   "Leave out the RedenAfwijzingVerzoek, or answer 1 when the request is refused "
                   "(CD086).",
                   a.referentie_aanbieder.value, shown(a.reden_afwijzing_verzoek)));
}

void tr377(const Message& m, Emit& emit) {
  const auto& a = m.antwoord;
  if (!a.present() || a.reden_afwijzing_verzoek.value != "8" || a.woonplaatsbeginsel != model::kNoNode)
    return;
  emit({a.reden_afwijzing_verzoek.node},
       fmt::format("Antwoord (ReferentieAanbieder {}): RedenAfwijzingVerzoek 8 (woonplaatsbeginsel) "
                   "needs the class Woonplaatsbeginsel with the Gemeente that is responsible, so "
                   "the provider knows where to send a new request. Add Woonplaatsbeginsel/Gemeente "
                   "(TR377).",
                   a.referentie_aanbieder.value));
}

void tr409(const Message& m, Emit& emit) {
  const auto& a = m.antwoord;
  // Only evaluated when there is a RedenAfwijzingVerzoek (as the official validation does).
  if (!a.present() || !a.reden_afwijzing_verzoek.present() ||
      a.reden_afwijzing_verzoek.value == "8" || a.woonplaatsbeginsel == model::kNoNode)
    return;
  emit({a.reden_afwijzing_verzoek.node, a.woonplaatsbeginsel},
       fmt::format("Antwoord (ReferentieAanbieder {}): a Woonplaatsbeginsel is given, but the "
                   "RedenAfwijzingVerzoek is {}, not 8 (woonplaatsbeginsel). Leave out the "
                   "Woonplaatsbeginsel, or give reason 8 when another municipality is "
                   "responsible under the woonplaatsbeginsel (TR409).",
                   a.referentie_aanbieder.value, shown(a.reden_afwijzing_verzoek)));
}

void iv095(const Message& m, Emit& emit) {
  const auto& a = m.antwoord;
  if (!a.present() || a.reden_afwijzing_verzoek.present() || a.woonplaatsbeginsel == model::kNoNode)
    return;
  emit({a.woonplaatsbeginsel},
       fmt::format("Antwoord (ReferentieAanbieder {}): a Woonplaatsbeginsel is given without "
                   "RedenAfwijzingVerzoek 8; the instruction (IV095) says to fill it only when a "
                   "request is refused under the woonplaatsbeginsel. The official validation lets "
                   "this pass, so the message is not rejected; leave the class out.",
                   a.referentie_aanbieder.value),
       Severity::warning);
}

void tr352(const Message& m, Emit& emit) {
  const auto& v = m.client.verzoek;
  if (!v.present() || !v.ongewijzigd.empty() || !v.te_wijzigen.empty()) return;
  emit({v.node},
       fmt::format("Verzoek (ReferentieAanbieder {}): there is no OngewijzigdProduct and no "
                   "TeWijzigenProduct; a request for a change names the client's current "
                   "allocations at this provider. For a client without allocations send a "
                   "Verzoek om toewijzing (315) instead (TR352).",
                   v.referentie_aanbieder.value));
}

void tr353(const Message& m, Emit& emit) {
  const auto& v = m.client.verzoek;
  if (!v.present() || !v.te_wijzigen.empty() || !v.nieuw.empty()) return;
  emit({v.node},
       fmt::format("Verzoek (ReferentieAanbieder {}): there is no TeWijzigenProduct and no "
                   "NieuwProduct, so nothing is asked for. Add the allocation to change or the "
                   "new product (TR353).",
                   v.referentie_aanbieder.value));
}

void tr380(const Message& m, Emit& emit) {
  const auto dagtekening = date_of(m.header.dagtekening);
  if (!dagtekening) return;
  for (const auto& np : m.client.verzoek.nieuw) {
    const auto d = date_of(np.gewenste_ingangsdatum);
    if (!d || *d > *dagtekening) continue;
    emit({np.gewenste_ingangsdatum.node, m.header.dagtekening.node},
         fmt::format("{}: GewensteIngangsdatum {} is not after the Dagtekening {} of the message; "
                     "a new product can only be asked for from a later date. Correct the "
                     "GewensteIngangsdatum (TR380).",
                     label(m, np.node), d->to_string(), dagtekening->to_string()));
  }
}

void tr383(const Message& m, Emit& emit) {
  const auto& aps = m.client.aangevraagd;
  duplicate_groups(
      aps.size(),
      [&](std::uint32_t a, std::uint32_t b) {
        return key(aps[a].referentie_aanbieder) < key(aps[b].referentie_aanbieder);
      },
      [&](std::uint32_t a, std::uint32_t b) {
        return key(aps[a].referentie_aanbieder) == key(aps[b].referentie_aanbieder);
      },
      [&](const std::vector<std::uint32_t>& group) {
        std::vector<NodeId> nodes{aps[group.back()].node};
        std::vector<NodeId> earlier;
        for (std::size_t k = 0; k + 1 < group.size(); ++k) {
          nodes.push_back(aps[group[k]].node);
          earlier.push_back(aps[group[k]].node);
        }
        emit(nodes, fmt::format("{}: ReferentieAanbieder {} is also used by {}; each requested "
                                "product has its own reference, so the answer (301 or 319) can "
                                "be matched to it. Give each AangevraagdProduct a unique "
                                "ReferentieAanbieder (TR383).",
                                label(m, aps[group.back()].node),
                                shown(aps[group.back()].referentie_aanbieder),
                                join_labels(m, earlier)));
      });
}

}  // namespace istd::rules::detail
