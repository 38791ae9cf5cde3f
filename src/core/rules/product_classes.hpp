// The product-like classes the level-2 rules share across message types: the allocation of a 301
// (ToegewezenProduct), the requested allocation of a 315 (AangevraagdProduct) and the changed and
// new products of a 317 (TeWijzigenProduct, NieuwProduct). They have the same parts under
// different names (Ingangsdatum / ToewijzingIngangsdatum / GewensteIngangsdatum), so one rule
// (CD075: a Budget needs an end date) is written once and reports each class in its own words.
#pragma once

#include <string>
#include <string_view>

#include "core/rules/rules_internal.hpp"

namespace istd::rules::detail {

enum ProductKind : unsigned {
  kToegewezen = 1u << 0,   ///< 301 ToegewezenProduct
  kAangevraagd = 1u << 1,  ///< 315 AangevraagdProduct
  kTeWijzigen = 1u << 2,   ///< 317 TeWijzigenProduct
  kNieuw = 1u << 3,        ///< 317 NieuwProduct
};

/// One product-like class instance, with its parts under their common meaning.
struct ProductClass {
  ProductKind kind;
  NodeId node;
  const model::Product* product;  ///< nullptr for a TeWijzigenProduct (it has none)
  const model::Omvang& omvang;
  const Text& budget;
  const Text& begin;             ///< Ingangsdatum, ToewijzingIngangsdatum, GewensteIngangsdatum
  std::string_view begin_name;
  const Text& end;               ///< Einddatum, ToewijzingEinddatum
  std::string_view end_name;
  const Text* reden_wijziging;   ///< 301 only
  const Text* key;               ///< ToewijzingNummer / ReferentieAanbieder, nullptr for a 317 NP
  std::string_view key_name;
  std::string_view noun;         ///< "allocation", "requested allocation", ...

  bool has_product() const { return product && product->present(); }
  const Text* code() const { return product ? &product->code : nullptr; }
};

/// Visits the message's product-like classes of the given kinds, in document order per kind.
template <typename F>
void for_each_product(const Message& m, unsigned kinds, F f) {
  if (kinds & kToegewezen)
    for (const auto& tp : m.client.toegewezen)
      f(ProductClass{kToegewezen, tp.node, &tp.product, tp.omvang, tp.budget, tp.ingangsdatum,
                     "Ingangsdatum", tp.einddatum, "Einddatum", &tp.reden_wijziging,
                     &tp.toewijzing_nummer, "ToewijzingNummer", "allocation"});
  if (kinds & kAangevraagd)
    for (const auto& ap : m.client.aangevraagd)
      f(ProductClass{kAangevraagd, ap.node, &ap.product, ap.omvang, ap.budget,
                     ap.toewijzing_ingangsdatum, "ToewijzingIngangsdatum", ap.toewijzing_einddatum,
                     "ToewijzingEinddatum", nullptr, &ap.referentie_aanbieder,
                     "ReferentieAanbieder", "requested allocation"});
  if (kinds & kTeWijzigen)
    for (const auto& tw : m.client.verzoek.te_wijzigen)
      f(ProductClass{kTeWijzigen, tw.node, nullptr, tw.omvang, tw.budget,
                     tw.gewenste_ingangsdatum, "GewensteIngangsdatum", tw.einddatum, "Einddatum",
                     nullptr, &tw.toewijzing_nummer, "ToewijzingNummer", "requested change"});
  if (kinds & kNieuw)
    for (const auto& np : m.client.verzoek.nieuw)
      f(ProductClass{kNieuw, np.node, &np.product, np.omvang, np.budget, np.gewenste_ingangsdatum,
                     "GewensteIngangsdatum", np.einddatum, "Einddatum", nullptr, nullptr, {},
                     "new product"});
}

/// "ToegewezenProduct 2 (ToewijzingNummer 300201)", "NieuwProduct 1".
std::string product_label(const Message& m, const ProductClass& p);

}  // namespace istd::rules::detail
