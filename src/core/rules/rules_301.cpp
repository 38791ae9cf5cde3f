// Level-2 rules of the allocation message (301): addresses and contacts (CD005, CD009, CD025,
// CD034, CS089, TR006, TR061), names (CS050), communication (CD007), contact periods (CS003) and
// RedenWijziging (CS335, CS336). The rules the allocations share with the requested products of
// 315 and 317 are in rules_products.cpp.
#include <fmt/format.h>

#include "core/rules/rules_internal.hpp"

namespace istd::rules::detail {

namespace {

using model::Contact;
using model::ToegewezenProduct;

/// "Contact 2" for the client's contacts, "Relatie 1 Contact" for a relation's.
std::string contact_label(const Message& m, const Contact& c) {
  const NodeId parent = m.nodes[c.node].parent;
  if (parent != model::kNoNode && m.nodes[parent].name == "Relatie")
    return label(m, parent) + " Contact";
  return label(m, c.node);
}

std::string tp_label(const Message& m, const ToegewezenProduct& tp) {
  return fmt::format("{} (ToewijzingNummer {})", label(m, tp.node), tp.toewijzing_nummer.value);
}

/// [1-9][0-9]{3}[A-Za-z]{2}, the whole value.
bool dutch_postcode(std::string_view s) {
  if (s.size() != 6 || s[0] < '1' || s[0] > '9') return false;
  for (std::size_t i = 1; i < 4; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  for (std::size_t i = 4; i < 6; ++i) {
    const char c = s[i];
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
  }
  return true;
}

}  // namespace

void cd005(const Message& m, Emit& emit) {
  for_each_contact(m, [&](const Contact& c) {
    const auto& a = c.adres;
    if (!a.present() || a.postcode.filled() == a.landcode.filled()) return;
    const bool has_pc = a.postcode.filled();
    emit({has_pc ? a.postcode.node : a.landcode.node, a.node},
         fmt::format("{}: the Adres has a {} but no {}; Postcode and LandCode are filled "
                     "together or both left out. Add the {} (CD005).",
                     contact_label(m, c), has_pc ? "Postcode" : "LandCode",
                     has_pc ? "LandCode" : "Postcode", has_pc ? "LandCode" : "Postcode"));
  });
}

void cd007(const Message& m, Emit& emit) {
  // The XSLT replaces the generic check for Communicatie by this one.
  const auto& c = m.client.communicatie;
  if (c.node == model::kNoNode) return;
  const bool tolk = c.vorm.value == "1";
  if (tolk == c.taal.filled()) return;
  if (tolk)
    emit({c.vorm.node, c.node},
         "Communicatie: Vorm is 1 (tolk taal) but no Taal is given. Add the Taal the interpreter "
         "must speak (CD007).");
  else
    emit({c.taal.node, c.vorm.node},
         fmt::format("Communicatie: a Taal ({}) is given while Vorm is {}, not 1 (tolk taal). "
                     "Leave Taal out, or set Vorm to 1 (CD007).",
                     shown(c.taal), shown(c.vorm)));
}

void cd009(const Message& m, Emit& emit) {
  for_each_contact(m, [&](const Contact& c) {
    if (!c.periode.present() || c.soort.value == "04") return;
    emit({c.periode.node, c.soort.node},
         fmt::format("{}: a Periode is given for Soort {}; only a temporary address (Soort 04) "
                     "has a Periode. Leave the Periode out or correct the Soort (CD009).",
                     contact_label(m, c), shown(c.soort)));
  });
}

void cd025(const Message& m, Emit& emit) {
  for_each_contact(m, [&](const Contact& c) {
    const auto& a = c.adres;
    if (a.landcode.value != "NL" || !a.landcode.present() || a.huisnummer.filled()) return;
    emit({a.landcode.node, a.node},
         fmt::format("{}: the Adres is in the Netherlands (LandCode NL) but has no "
                     "Huis/Huisnummer. Add the house number (CD025).",
                     contact_label(m, c)));
  });
}

void cd034(const Message& m, Emit& emit) {
  for_each_contact(m, [&](const Contact& c) {
    if (!is_one_of(c.soort, {"01", "03"}) || c.adres.postcode.filled()) return;
    emit({c.node, c.soort.node, c.adres.node},
         fmt::format("{}: Soort {} ({}) requires an Adres with a Postcode. Add the Postcode "
                     "(CD034).",
                     contact_label(m, c), c.soort.value,
                     c.soort.value == "01" ? "BRP-adres" : "verblijfadres"));
  });
}

void cs003(const Message& m, Emit& emit) {
  cs003_products(m, emit);  // 301 allocations, 315 and 317 products (rules_products.cpp)
  for_each_contact(m, [&](const Contact& c) {
    const auto begin = date_of(c.periode.begindatum);
    const auto end = date_of(c.periode.einddatum);
    if (!begin || !end || *end >= *begin) return;
    emit({c.periode.einddatum.node, c.periode.begindatum.node},
         fmt::format("{}: Periode Einddatum {} is before Begindatum {}. Correct the period "
                     "(CS003).",
                     contact_label(m, c), end->to_string(), begin->to_string()));
  });
}

void cs050(const Message& m, Emit& emit) {
  // Without a Partnernaam iWmo allows only 1 (eigen naam); iJw also 6 (niet-natuurlijk persoon,
  // an organisation as voogd), which CS318 then forbids for the client itself.
  const bool jw = model::standard_of(m.type) == model::Standard::ijw;
  auto one = [&](const model::Naam& n, auto&& who) {
    const Text& g = n.naamgebruik;
    if (!g.present()) return;
    const bool partner = n.partnernaam != model::kNoNode;
    if (partner ? is_one_of(g, {"1", "2", "3", "4"})
                : (g.value == "1" || (jw && g.value == "6")))
      return;
    if (partner)
      emit({g.node, n.partnernaam},
           fmt::format("Naam of {}: NaamGebruik {} is not allowed; with a Partnernaam it is 1, 2, "
                       "3 or 4. Correct the NaamGebruik (CS050).",
                       who(), shown(g)));
    else
      emit({g.node, n.node},
           fmt::format("Naam of {}: NaamGebruik {} requires a Partnernaam, which is not given; "
                       "without a Partnernaam NaamGebruik is 1 (eigen naam){}. Add the "
                       "Partnernaam or set NaamGebruik to 1 (CS050).",
                       who(), shown(g),
                       jw ? " or, for an organisation, 6 (niet-natuurlijk persoon)" : ""));
  };
  one(m.client.naam, [] { return std::string("the client"); });
  for (const auto& r : m.client.relatie)
    one(r.naam, [&] { return fmt::format("{} (Nummer {})", label(m, r.node), shown(r.nummer)); });
}

void cs318(const Message& m, Emit& emit) {
  const Text& g = m.client.naam.naamgebruik;
  if (!g.present() || g.value != "6") return;
  emit({g.node},
       "Naam of the client: NaamGebruik '6' (niet-natuurlijk persoon) is for an organisation, "
       "for example one acting as voogd in a Relatie; the client is a person. Set the "
       "client's NaamGebruik to 1-4 (CS318).");
}

void cs089(const Message& m, Emit& emit) {
  for_each_contact(m, [&](const Contact& c) {
    const auto& a = c.adres;
    if (!a.landcode.present() || a.landcode.value != "NL") return;
    if (a.postcode.present() && dutch_postcode(a.postcode.value)) return;
    emit({a.landcode.node, a.postcode.node},
         fmt::format("{}: the Adres is in the Netherlands (LandCode NL) but the Postcode {} is "
                     "not a Dutch postcode (four digits, the first not 0, and two letters, no "
                     "space, e.g. 1012AB). Correct the Postcode (CS089).",
                     contact_label(m, c), shown(a.postcode)));
  });
}

void cs335(const Message& m, Emit& emit) {
  for (const auto& tp : m.client.toegewezen) {
    if (tp.reden_wijziging.value != "13" || !tp.einddatum.present()) continue;
    const auto begin = date_of(tp.ingangsdatum);
    const auto end = date_of(tp.einddatum);
    if (!begin || !end || *begin == *end) continue;
    emit({tp.einddatum.node, tp.reden_wijziging.node, tp.ingangsdatum.node},
         fmt::format("{}: RedenWijziging 13 (verwijderd) requires Einddatum = Ingangsdatum, but "
                     "the Einddatum is {} and the Ingangsdatum {}. To delete the allocation set "
                     "the Einddatum to {}; to shorten it use another RedenWijziging (CS335).",
                     tp_label(m, tp), end->to_string(), begin->to_string(), begin->to_string()));
  }
}

void cs336(const Message& m, Emit& emit) {
  for (const auto& tp : m.client.toegewezen) {
    if (!tp.reden_wijziging.present() || tp.reden_wijziging.value != "01") continue;
    emit({tp.reden_wijziging.node},
         fmt::format("{}: RedenWijziging 01 (administratieve correctie, vervallen) may no longer "
                     "be used. Use 14 for an administrative correction or 13 to delete the "
                     "allocation (CS336).",
                     tp_label(m, tp)));
  }
}

void tr006(const Message& m, Emit& emit) {
  for_each_contact(m, [&](const Contact& c) {
    if (c.telefoon != model::kNoNode) return;
    if (c.adres.huis != model::kNoNode && c.adres.postcode.present()) return;
    emit({c.node},
         fmt::format("{}: there is no Telefoon and no Adres with both Huis and Postcode; a "
                     "contact must be reachable. Add a Telefoon or complete the Adres (TR006).",
                     contact_label(m, c)));
  });
}

void tr061(const Message& m, Emit& emit) {
  if (m.client.contactgegevens == model::kNoNode) return;
  for (const auto& c : m.client.contacten)
    if (is_one_of(c.soort, {"01", "02", "03"})) return;
  emit({m.client.contactgegevens},
       "Contactgegevens: there is no Contact with Soort 01 (BRP-adres), 02 "
       "(correspondentieadres) or 03 (verblijfadres); a temporary address (04) alone is not "
       "enough. Add the client's address (TR061).");
}

}  // namespace istd::rules::detail
