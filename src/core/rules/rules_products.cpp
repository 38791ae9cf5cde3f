// Level-2 rules on the product-like classes of 301, 315 and 317 (see product_classes.hpp):
// volume and budget (CD041, CD075-CD080, CD095, CD096, CS338, CS343), periods (CS003) and
// overlapping products (TR302, TR386, TR410).
#include <fmt/format.h>

#include "core/rules/product_classes.hpp"

namespace istd::rules::detail {

namespace {

/// The class's end date is absent or after 2020-12-31 (the condition of CD080, CD095, CD096,
/// CS338 and CS343).
bool ends_after_2020(const ProductClass& p) {
  if (!p.end.filled()) return true;
  const auto end = date_of(p.end);
  return !end || *end > model::Date{2020, 12, 31};
}

/// "ToegewezenProduct 2 (ToewijzingNummer 300201, 2025-01-01..(open))".
std::string with_period(const Message& m, const ProductClass& p) {
  const std::string period = fmt::format("{}..{}", p.begin.value,
                                         p.end.filled() ? p.end.value : std::string("(open)"));
  if (!p.key) return fmt::format("{} ({})", label(m, p.node), period);
  return fmt::format("{} ({} {}, {})", label(m, p.node), p.key_name, p.key->value, period);
}

/// "an allocation", "a new product".
std::string a_noun(std::string_view noun) {
  const bool vowel = !noun.empty() && std::string_view("aeiou").find(noun[0]) != std::string_view::npos;
  return fmt::format("{} {}", vowel ? "an" : "a", noun);
}

/// CD080 / CD095 / CD096: an Omvang without Product/Code (for classes ending after 2020).
void omvang_needs_code(const Message& m, Emit& emit, unsigned kinds, std::string_view rule) {
  for_each_product(m, kinds, [&](const ProductClass& p) {
    if (!p.omvang.present() || !ends_after_2020(p)) return;
    if (p.product && p.product->code.filled()) return;
    emit({p.omvang.node, p.product ? p.product->node : model::kNoNode},
         fmt::format("{}: an Omvang is given but no Product/Code; a volume belongs to a specific "
                     "product. Add the Product/Code or leave out the Omvang ({}).",
                     product_label(m, p), rule));
  });
}

/// CS338 / CS343: Eenheid 14, 16, 83 or 84 needs Frequentie 2, 4 or 6.
void eenheid_needs_frequentie(const Message& m, Emit& emit, unsigned kinds,
                              std::string_view rule) {
  for_each_product(m, kinds, [&](const ProductClass& p) {
    const auto& o = p.omvang;
    if (!o.present() || !is_one_of(o.eenheid, {"14", "16", "83", "84"})) return;
    if (is_one_of(o.frequentie, {"2", "4", "6"}) || !ends_after_2020(p)) return;
    emit({o.eenheid.node, o.frequentie.node},
         fmt::format("{}: Omvang/Eenheid {} requires Frequentie 2 (per week), 4 (per maand) or "
                     "6 (totaal binnen geldigheidsduur), not {}. Correct the Frequentie ({}).",
                     product_label(m, p), o.eenheid.value, shown(o.frequentie), rule));
  });
}

/// TR302 / TR386 / TR410: no two classes of the same product with overlapping periods.
void no_overlap(const Message& m, Emit& emit, unsigned kinds, std::string_view rule) {
  struct Item {
    std::optional<model::Date> begin, end;
    bool skipped = false;  // deleted (301, not actueel) or iWmo categories 11-14 (may overlap)
  };
  std::vector<ProductClass> classes;
  std::vector<Item> items;
  for_each_product(m, kinds, [&](const ProductClass& p) {
    Item it{date_of(p.begin), p.end.filled() ? date_of(p.end) : std::nullopt};
    const bool deleted = p.reden_wijziging && is_one_of(*p.reden_wijziging, {"01", "13"}) &&
                         p.end.filled() && it.end && it.begin && *it.end == *it.begin;
    // iWmo lets aids and housing (categories 11-14) overlap; iJw has no such exemption.
    const bool stackable = model::standard_of(m.type) == model::Standard::iwmo && p.product &&
                           is_one_of(p.product->categorie, {"11", "12", "13", "14"});
    it.skipped = deleted || stackable;
    classes.push_back(p);
    items.push_back(it);
  });
  if (items.size() < 2) return;
  auto generic = [](const model::Product* p) {
    return !p || (!p->code.filled() && !p->categorie.filled());
  };
  auto same_product = [&](const ProductClass& a, const ProductClass& b) {
    if (generic(a.product) || generic(b.product)) return true;  // conflicts with everything
    const auto& pa = *a.product;
    const auto& pb = *b.product;
    if (!pa.categorie.filled() || !pb.categorie.filled() ||
        pa.categorie.value != pb.categorie.value)
      return false;
    if (pa.code.filled() && pb.code.filled()) return pa.code.value == pb.code.value;
    return true;  // at least one without Code, same Categorie
  };
  auto overlap = [](const Item& a, const Item& b) {
    if (!a.begin || !b.begin) return false;
    if (a.end && b.end) return !(*a.end < *b.begin || *b.end < *a.begin);
    if (a.end) return *a.end >= *b.begin;
    if (b.end) return *b.end >= *a.begin;
    return true;
  };
  // Pairwise over the classes of one client (a message holds a handful); each finding names at
  // most kMaxNamed earlier ones.
  constexpr std::size_t kMaxNamed = 10;
  std::vector<NodeId> nodes;
  for (std::size_t i = 1; i < items.size(); ++i) {
    if (items[i].skipped) continue;
    nodes.clear();
    std::string others;
    for (std::size_t j = 0; j < i && nodes.size() <= kMaxNamed; ++j) {
      if (items[j].skipped) continue;
      if (!same_product(classes[i], classes[j]) || !overlap(items[i], items[j])) continue;
      if (nodes.empty()) nodes.push_back(classes[i].node);
      nodes.push_back(classes[j].node);
      others += fmt::format("{}{}", others.empty() ? "" : ", ", with_period(m, classes[j]));
    }
    if (nodes.empty()) continue;
    const bool alloc = classes[i].kind == kToegewezen;
    emit(nodes,
         fmt::format("{} overlaps {} for the same product; {} of one product may not "
                     "overlap (except categories 11-14). {} ({}).",
                     with_period(m, classes[i]), others,
                     alloc ? "allocations" : fmt::format("{}s", classes[i].noun),
                     alloc ? "End the earlier allocation before the new one starts, or delete "
                             "one of them"
                           : "Let the periods follow each other, or combine them into one",
                     rule));
  }
}

}  // namespace

std::string product_label(const Message& m, const ProductClass& p) {
  if (!p.key) return label(m, p.node);
  return fmt::format("{} ({} {})", label(m, p.node), p.key_name, p.key->value);
}

constexpr unsigned kWithProduct = kToegewezen | kAangevraagd | kNieuw;
constexpr unsigned kAll = kToegewezen | kAangevraagd | kTeWijzigen | kNieuw;

void cd041(const Message& m, Emit& emit) {
  for_each_product(m, kWithProduct, [&](const ProductClass& p) {
    if (!p.product->code.filled() || p.omvang.present()) return;
    emit({p.node, p.product->code.node},
         fmt::format("{}: Product/Code {} is given but there is no Omvang; a specific {} "
                     "states its volume. Add the Omvang (CD041).",
                     product_label(m, p), shown(p.product->code), p.noun));
  });
}

void cd043(const Message& m, Emit& emit) {
  for (const auto& ap : m.client.aangevraagd) {
    const bool nummer = ap.beschikking_nummer.filled();
    if (nummer == ap.beschikking_ingangsdatum.filled()) continue;
    emit({ap.node, nummer ? ap.beschikking_nummer.node : ap.beschikking_ingangsdatum.node},
         fmt::format("{} (ReferentieAanbieder {}): a {} is given without a {}; the "
                     "BeschikkingNummer and the BeschikkingIngangsdatum are given together or "
                     "both left out. Add the {} (CD043).",
                     label(m, ap.node), ap.referentie_aanbieder.value,
                     nummer ? "BeschikkingNummer" : "BeschikkingIngangsdatum",
                     nummer ? "BeschikkingIngangsdatum" : "BeschikkingNummer",
                     nummer ? "BeschikkingIngangsdatum" : "BeschikkingNummer"));
  }
}

void cd075(const Message& m, Emit& emit) {
  for_each_product(m, kAll, [&](const ProductClass& p) {
    if (!p.budget.filled() || p.end.filled()) return;
    emit({p.budget.node, p.node},
         fmt::format("{}: a Budget is given but no {}; a budget needs a closed period. Add the "
                     "{} (CD075).",
                     product_label(m, p), p.end_name, p.end_name));
  });
}

void cd076(const Message& m, Emit& emit) {
  for_each_product(m, kAll, [&](const ProductClass& p) {
    const auto& f = p.omvang.frequentie;
    if (!f.present() || f.value != "2" || p.end.filled()) return;
    emit({f.node, p.node},
         fmt::format("{}: Omvang/Frequentie is 2 (per week) but there is no {}; a weekly volume "
                     "needs a closed period. Add the {} (CD076).",
                     product_label(m, p), p.end_name, p.end_name));
  });
}

void cd077(const Message& m, Emit& emit) {
  for_each_product(m, kAll, [&](const ProductClass& p) {
    if (!p.budget.filled() || !p.omvang.present()) return;
    emit({p.budget.node, p.omvang.node},
         fmt::format("{}: both a Budget and an Omvang are given; {} has one or the other. "
                     "Leave out the Budget or the Omvang (CD077).",
                     product_label(m, p), a_noun(p.noun)));
  });
}

void cd078(const Message& m, Emit& emit) {
  for_each_product(m, kAll, [&](const ProductClass& p) {
    if (!p.omvang.present() || !p.budget.present()) return;
    emit({p.omvang.node, p.budget.node},
         fmt::format("{}: an Omvang is given together with a Budget; {} has one or the "
                     "other. Leave out the Omvang or the Budget (CD078).",
                     product_label(m, p), a_noun(p.noun)));
  });
}

void cd079(const Message& m, Emit& emit) {
  for_each_product(m, kWithProduct, [&](const ProductClass& p) {
    if (p.budget.filled() || p.has_product()) return;
    emit({p.node},
         fmt::format("{}: there is neither a Budget nor a Product; only a budget {} may leave "
                     "out the Product. Add the Product (Categorie, and Code for a specific {}) "
                     "or a Budget (CD079).",
                     product_label(m, p), p.noun, p.noun));
  });
}

void cd080(const Message& m, Emit& emit) { omvang_needs_code(m, emit, kToegewezen, "CD080"); }
void cd095(const Message& m, Emit& emit) { omvang_needs_code(m, emit, kAangevraagd, "CD095"); }
void cd096(const Message& m, Emit& emit) { omvang_needs_code(m, emit, kNieuw, "CD096"); }

void cs003_products(const Message& m, Emit& emit) {
  for_each_product(m, kAll, [&](const ProductClass& p) {
    const auto begin = date_of(p.begin);
    const auto end = date_of(p.end);
    if (!begin || !end || *end >= *begin) return;
    emit({p.end.node, p.begin.node},
         fmt::format("{}: {} {} is before {} {}. Correct the {}{} (CS003).", product_label(m, p),
                     p.end_name, end->to_string(), p.begin_name, begin->to_string(), p.end_name,
                     p.kind == kToegewezen ? " (to delete the allocation, set it equal to the "
                                             "Ingangsdatum with RedenWijziging 13)"
                                           : ""));
  });
}

void cs338(const Message& m, Emit& emit) {
  eenheid_needs_frequentie(m, emit, kToegewezen | kTeWijzigen | kNieuw, "CS338");
}
void cs343(const Message& m, Emit& emit) {
  eenheid_needs_frequentie(m, emit, kAangevraagd, "CS343");
}

void tr302(const Message& m, Emit& emit) { no_overlap(m, emit, kToegewezen, "TR302"); }
void tr386(const Message& m, Emit& emit) { no_overlap(m, emit, kAangevraagd, "TR386"); }
void tr410(const Message& m, Emit& emit) { no_overlap(m, emit, kNieuw, "TR410"); }

}  // namespace istd::rules::detail
