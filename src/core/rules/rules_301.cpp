// Level-2 rules of the allocation message (301): addresses and contacts (CD005, CD009, CD025,
// CD034, CS089, TR006, TR061), names (CS050), communication (CD007) and the allocations
// themselves (CD041, CD075-CD080, CS003, CS335, CS336, CS338, TR302).
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

/// The allocation's end date is absent or after 2020-12-31 (the condition of CD080 and CS338).
bool ends_after_2020(const ToegewezenProduct& tp) {
  if (!tp.einddatum.filled()) return true;
  const auto end = date_of(tp.einddatum);
  return !end || *end > model::Date{2020, 12, 31};
}

bool is_one_of(const Text& t, std::initializer_list<std::string_view> values) {
  if (!t.present()) return false;
  for (auto v : values)
    if (t.value == v) return true;
  return false;
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

std::string period_text(const Text& begin, const Text& end) {
  return fmt::format("{}..{}", begin.value, end.filled() ? end.value : std::string("(open)"));
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

void cd041(const Message& m, Emit& emit) {
  for (const auto& tp : m.client.toegewezen) {
    if (!tp.product.code.filled() || tp.omvang.present()) continue;
    emit({tp.node, tp.product.code.node},
         fmt::format("{}: Product/Code {} is given but there is no Omvang; a specific allocation "
                     "states its volume. Add the Omvang (CD041).",
                     tp_label(m, tp), shown(tp.product.code)));
  }
}

void cd075(const Message& m, Emit& emit) {
  for (const auto& tp : m.client.toegewezen) {
    if (!tp.budget.filled() || tp.einddatum.filled()) continue;
    emit({tp.budget.node, tp.node},
         fmt::format("{}: a Budget is given but no Einddatum; a budget needs a closed period. "
                     "Add the Einddatum (CD075).",
                     tp_label(m, tp)));
  }
}

void cd076(const Message& m, Emit& emit) {
  for (const auto& tp : m.client.toegewezen) {
    if (tp.omvang.frequentie.value != "2" || !tp.omvang.frequentie.present() ||
        tp.einddatum.filled())
      continue;
    emit({tp.omvang.frequentie.node, tp.node},
         fmt::format("{}: Omvang/Frequentie is 2 (per week) but there is no Einddatum; a weekly "
                     "volume needs a closed period. Add the Einddatum (CD076).",
                     tp_label(m, tp)));
  }
}

void cd077(const Message& m, Emit& emit) {
  for (const auto& tp : m.client.toegewezen) {
    if (!tp.budget.filled() || !tp.omvang.present()) continue;
    emit({tp.budget.node, tp.omvang.node},
         fmt::format("{}: both a Budget and an Omvang are given; an allocation has one or the "
                     "other. Leave out the Budget or the Omvang (CD077).",
                     tp_label(m, tp)));
  }
}

void cd078(const Message& m, Emit& emit) {
  for (const auto& tp : m.client.toegewezen) {
    if (!tp.omvang.present() || !tp.budget.present()) continue;
    emit({tp.omvang.node, tp.budget.node},
         fmt::format("{}: an Omvang is given together with a Budget; an allocation has one or "
                     "the other. Leave out the Omvang or the Budget (CD078).",
                     tp_label(m, tp)));
  }
}

void cd079(const Message& m, Emit& emit) {
  for (const auto& tp : m.client.toegewezen) {
    if (tp.budget.filled() || tp.product.present()) continue;
    emit({tp.node},
         fmt::format("{}: there is neither a Budget nor a Product; only a budget allocation may "
                     "leave out the Product. Add the Product (Categorie, and Code for a specific "
                     "allocation) or a Budget (CD079).",
                     tp_label(m, tp)));
  }
}

void cd080(const Message& m, Emit& emit) {
  for (const auto& tp : m.client.toegewezen) {
    if (!tp.omvang.present() || tp.product.code.filled() || !ends_after_2020(tp)) continue;
    emit({tp.omvang.node, tp.product.node},
         fmt::format("{}: an Omvang is given but no Product/Code; a volume belongs to a specific "
                     "product. Add the Product/Code or leave out the Omvang (CD080).",
                     tp_label(m, tp)));
  }
}

void cs003(const Message& m, Emit& emit) {
  for (const auto& tp : m.client.toegewezen) {
    const auto begin = date_of(tp.ingangsdatum);
    const auto end = date_of(tp.einddatum);
    if (!begin || !end || *end >= *begin) continue;
    emit({tp.einddatum.node, tp.ingangsdatum.node},
         fmt::format("{}: Einddatum {} is before Ingangsdatum {}. Correct the Einddatum (to "
                     "delete the allocation, set it equal to the Ingangsdatum with "
                     "RedenWijziging 13) (CS003).",
                     tp_label(m, tp), end->to_string(), begin->to_string()));
  }
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
  auto one = [&](const model::Naam& n, auto&& who) {
    const Text& g = n.naamgebruik;
    if (!g.present()) return;
    const bool partner = n.partnernaam != model::kNoNode;
    if (partner ? is_one_of(g, {"1", "2", "3", "4"}) : g.value == "1") return;
    if (partner)
      emit({g.node, n.partnernaam},
           fmt::format("Naam of {}: NaamGebruik {} is not allowed; with a Partnernaam it is 1, 2, "
                       "3 or 4. Correct the NaamGebruik (CS050).",
                       who(), shown(g)));
    else
      emit({g.node, n.node},
           fmt::format("Naam of {}: NaamGebruik {} requires a Partnernaam, which is not given; "
                       "without a Partnernaam NaamGebruik is 1 (eigen naam). Add the Partnernaam "
                       "or set NaamGebruik to 1 (CS050).",
                       who(), shown(g)));
  };
  one(m.client.naam, [] { return std::string("the client"); });
  for (const auto& r : m.client.relatie)
    one(r.naam, [&] { return fmt::format("{} (Nummer {})", label(m, r.node), shown(r.nummer)); });
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

void cs338(const Message& m, Emit& emit) {
  for (const auto& tp : m.client.toegewezen) {
    const auto& o = tp.omvang;
    if (!o.present() || !is_one_of(o.eenheid, {"14", "16", "83", "84"})) continue;
    if (is_one_of(o.frequentie, {"2", "4", "6"}) || !ends_after_2020(tp)) continue;
    emit({o.eenheid.node, o.frequentie.node},
         fmt::format("{}: Omvang/Eenheid {} requires Frequentie 2 (per week), 4 (per maand) or "
                     "6 (totaal binnen geldigheidsduur), not {}. Correct the Frequentie "
                     "(CS338).",
                     tp_label(m, tp), o.eenheid.value, shown(o.frequentie)));
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

void tr302(const Message& m, Emit& emit) {
  const auto& ts = m.client.toegewezen;
  if (ts.size() < 2) return;
  struct Alloc {
    std::optional<model::Date> begin, end;
    bool ignored = false;  // deleted: not actueel
    bool exempt = false;   // Categorie 11-14 may overlap
  };
  std::vector<Alloc> al(ts.size());
  for (std::size_t i = 0; i < ts.size(); ++i) {
    const auto& tp = ts[i];
    al[i].begin = date_of(tp.ingangsdatum);
    al[i].end = tp.einddatum.filled() ? date_of(tp.einddatum) : std::nullopt;
    al[i].ignored = is_one_of(tp.reden_wijziging, {"01", "13"}) && tp.einddatum.filled() &&
                    al[i].end && al[i].begin && *al[i].end == *al[i].begin;
    al[i].exempt = is_one_of(tp.product.categorie, {"11", "12", "13", "14"});
  }
  auto same_product = [&](const ToegewezenProduct& a, const ToegewezenProduct& b) {
    const bool ac = a.product.code.filled(), bc = b.product.code.filled();
    const bool acat = a.product.categorie.filled(), bcat = b.product.categorie.filled();
    if ((!ac && !acat) || (!bc && !bcat)) return true;  // a generic allocation
    if (!acat || !bcat || a.product.categorie.value != b.product.categorie.value) return false;
    if (ac && bc) return a.product.code.value == b.product.code.value;
    return true;  // at least one without Code, same Categorie
  };
  auto overlap = [](const Alloc& a, const Alloc& b) {
    if (!a.begin || !b.begin) return false;
    if (a.end && b.end) return !(*a.end < *b.begin || *b.end < *a.begin);
    if (a.end) return *a.end >= *b.begin;
    if (b.end) return *b.end >= *a.begin;
    return true;
  };
  // Pairwise over the allocations of one client (a 301 holds a handful); each finding names at
  // most kMaxNamed earlier allocations.
  constexpr std::size_t kMaxNamed = 10;
  std::vector<NodeId> nodes;
  for (std::size_t i = 1; i < ts.size(); ++i) {
    if (al[i].ignored || al[i].exempt) continue;
    nodes.clear();
    std::string others;
    for (std::size_t j = 0; j < i && nodes.size() <= kMaxNamed; ++j) {
      if (al[j].ignored || al[j].exempt) continue;
      if (!same_product(ts[i], ts[j]) || !overlap(al[i], al[j])) continue;
      if (nodes.empty()) nodes.push_back(ts[i].node);
      nodes.push_back(ts[j].node);
      others += fmt::format("{}{} (ToewijzingNummer {}, {})", others.empty() ? "" : ", ",
                            label(m, ts[j].node), ts[j].toewijzing_nummer.value,
                            period_text(ts[j].ingangsdatum, ts[j].einddatum));
    }
    if (nodes.empty()) continue;
    emit(nodes,
         fmt::format("{} (ToewijzingNummer {}, {}) overlaps {} for the same product; "
                     "allocations of one product may not overlap (except categories 11-14). End "
                     "the earlier allocation before the new one starts, or delete one of them "
                     "(TR302).",
                     label(m, ts[i].node), ts[i].toewijzing_nummer.value,
                     period_text(ts[i].ingangsdatum, ts[i].einddatum), others));
  }
}

}  // namespace istd::rules::detail
