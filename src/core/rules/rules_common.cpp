// Level-2 rules shared by several message types: CS002 (BSN 11-proof), CS139 and TR002
// (Geboortedatum), TR101 (duplicate logical keys), TR134 (dates after the Dagtekening). The 319
// has one Antwoord and the 317 one Verzoek (the XSD), so TR101 never finds duplicates there.
#include <fmt/format.h>

#include <tuple>

#include "core/rules/rules_internal.hpp"

namespace istd::rules::detail {

namespace {

/// Every Geboortedatum of the message: the client's and (301) the relations'.
template <typename F>
void for_each_geboortedatum(const Message& m, F f) {
  if (m.client.geboortedatum.datum.present())
    f(m.client.geboortedatum, [] { return std::string("the client"); });
  for (const auto& r : m.client.relatie)
    if (r.geboortedatum.datum.present())
      f(r.geboortedatum,
        [&m, &r] { return fmt::format("{} (Nummer {})", label(m, r.node), shown(r.nummer)); });
}

/// TR101 for one list of sibling classes. `node_of(i)` gives the class node of item i,
/// `less`/`equal` compare keys, `describe(i)` renders the key of item i for the text.
template <typename NodeOf, typename Less, typename Equal, typename Describe>
void tr101_siblings(const Message& m, Emit& emit, std::size_t n, std::string_view what,
                    NodeOf node_of, Less less, Equal equal, Describe describe) {
  duplicate_groups(n, less, equal, [&](const std::vector<std::uint32_t>& group) {
    // Reported once, on the last member, with the locations of it and all earlier members.
    std::vector<NodeId> nodes;
    nodes.reserve(group.size());
    nodes.push_back(node_of(group.back()));
    std::vector<NodeId> earlier;
    for (std::size_t k = 0; k + 1 < group.size(); ++k) {
      nodes.push_back(node_of(group[k]));
      earlier.push_back(node_of(group[k]));
    }
    emit(nodes, fmt::format("{} has the same logical key ({}) as {}; a {} may occur only once "
                            "in a message. Remove the duplicate or correct its key (TR101).",
                            label(m, nodes.front()), describe(group.back()),
                            join_labels(m, earlier), what));
  });
}

std::string product_text(const model::Product& p) {
  if (!p.present()) return "no Product";
  return fmt::format("Product Categorie {} Code {}", shown(p.categorie), shown(p.code));
}

}  // namespace

void cs002(const Message& m, Emit& emit) {
  auto one = [&](const Text& bsn) {
    if (!bsn.present()) return;
    if (!model::bsn_eleven_proof(bsn.value)) {
      emit({bsn.node},
           fmt::format("Bsn {} fails the 11-proof, so it is not a valid BSN. Check the BSN "
                       "against the BRP and correct it (CS002).",
                       model::mask_bsn(bsn.value)));
    } else if (bsn.value.find_first_not_of('0') == std::string::npos) {
      emit({bsn.node},
           "Bsn 000000000 passes the 11-proof as the official check computes it, but it is not "
           "a real BSN. Fill in the client's BSN (CS002).",
           Severity::warning);
    }
  };
  one(m.client.bsn);
  for (const auto& c : m.declaratie.clienten) one(c.bsn);
}

void cs139(const Message& m, Emit& emit) {
  for_each_geboortedatum(m, [&](const model::Geboortedatum& g, auto&& who) {
    const Text& gebruik = g.datum_gebruik;
    if (!gebruik.present()) return;
    const std::string_view d = g.datum.value;
    std::string need;
    bool ok = true;
    if (gebruik.value == "3") {
      ok = model::parse_date(d) == model::Date{1900, 1, 1};
      need = "1900-01-01 (date fully unknown)";
    } else if (gebruik.value == "2") {
      ok = d.size() >= 6 && d.substr(d.size() - 6) == "-01-01";
      need = "a date ending in -01-01 (day and month unknown)";
    } else if (gebruik.value == "1") {
      ok = d.size() >= 3 && d.substr(d.size() - 3) == "-01";
      need = "a date ending in -01 (day unknown)";
    }
    if (ok) return;
    emit({g.datum.node, gebruik.node},
         fmt::format("Geboortedatum of {}: Datum {} does not match DatumGebruik {}, which "
                     "requires {}. Correct the Datum or the DatumGebruik (CS139).",
                     who(), shown(g.datum), shown(gebruik), need));
  });
}

void tr002(const Message& m, Emit& emit) {
  const auto dagtekening = date_of(m.header.dagtekening);
  if (!dagtekening) return;
  for_each_geboortedatum(m, [&](const model::Geboortedatum& g, auto&& who) {
    const auto d = date_of(g.datum);
    if (!d) return;
    if (g.datum_gebruik.value == "3" && *d == model::Date{1900, 1, 1}) return;  // unknown
    // As the XSLT: YYYYMMDD + 1200000 >= Dagtekening (no clipping of 29 February).
    const model::Date plus120{d->year + 120, d->month, d->day};
    if (plus120 >= *dagtekening) return;
    emit({g.datum.node, m.header.dagtekening.node},
         fmt::format("Geboortedatum of {}: Datum {} is more than 120 years before the "
                     "Dagtekening {} of the message. Correct the date of birth; use DatumGebruik "
                     "3 with 1900-01-01 when it is unknown (TR002).",
                     who(), d->to_string(), dagtekening->to_string()));
  });
}

void tr134(const Message& m, Emit& emit) {
  const auto dagtekening = date_of(m.header.dagtekening);
  if (!dagtekening) return;
  auto one = [&](const Text& t, auto&& what, std::string_view fix) {
    const auto d = date_of(t);
    if (!d || *d <= *dagtekening) return;
    emit({t.node, m.header.dagtekening.node},
         fmt::format("{} {} is after the Dagtekening {} of the message; {} Correct the date or "
                     "send the message later (TR134).",
                     what(), d->to_string(), dagtekening->to_string(), fix));
  };
  auto geboorte = [&]() {
    for_each_geboortedatum(m, [&](const model::Geboortedatum& g, auto&& who) {
      one(
          g.datum, [&] { return fmt::format("Geboortedatum of {}:", who()); },
          "a date of birth cannot lie in the "
          "future.");
    });
  };
  switch (model::number(m.type)) {
    case 301:
      geboorte();
      for (const auto& tp : m.client.toegewezen)
        one(
            tp.toewijzingsdatum, [&] { return label(m, tp.node) + ": Toewijzingsdatum"; },
            "an allocation cannot be fixed after the message was made.");
      break;
    case 315:
      geboorte();
      break;
    case 305:
      geboorte();
      for (const auto& sp : m.client.starts)
        one(
            sp.begindatum, [&] { return label(m, sp.node) + ": Begindatum"; },
            "a start of delivery cannot be reported for the future.");
      break;
    case 307:
      geboorte();
      for (const auto& st : m.client.stops)
        one(
            st.einddatum, [&] { return label(m, st.node) + ": Einddatum"; },
            "a stop of delivery cannot be reported for the future.");
      break;
    case 323:
      one(
          m.declaratie.declaratie_periode.begindatum,
          [] { return std::string("DeclaratiePeriode: Begindatum"); },
          "a month can only be claimed once it has begun.");
      [[fallthrough]];
    case 325:
      for (const auto& c : m.declaratie.clienten)
        for (const auto& p : c.prestaties)
          one(
              p.product_periode.begindatum,
              [&] { return label(m, p.node) + ": ProductPeriode Begindatum"; },
              "delivery cannot be claimed for the future.");
      break;
    default:
      break;
  }
}

void tr101(const Message& m, Emit& emit) {
  using model::MessageType;
  switch (model::number(m.type)) {
    case 301: {
      const auto& cs = m.client.contacten;
      tr101_siblings(
          m, emit, cs.size(), "Contact per Soort", [&](std::size_t i) { return cs[i].node; },
          [&](std::uint32_t a, std::uint32_t b) { return key(cs[a].soort) < key(cs[b].soort); },
          [&](std::uint32_t a, std::uint32_t b) { return key(cs[a].soort) == key(cs[b].soort); },
          [&](std::size_t i) { return fmt::format("Soort {}", shown(cs[i].soort)); });
      const auto& rs = m.client.relatie;
      tr101_siblings(
          m, emit, rs.size(), "Relatie", [&](std::size_t i) { return rs[i].node; },
          [&](std::uint32_t a, std::uint32_t b) { return key(rs[a].nummer) < key(rs[b].nummer); },
          [&](std::uint32_t a, std::uint32_t b) { return key(rs[a].nummer) == key(rs[b].nummer); },
          [&](std::size_t i) { return fmt::format("Nummer {}", shown(rs[i].nummer)); });
      const auto& ts = m.client.toegewezen;
      tr101_siblings(
          m, emit, ts.size(), "ToegewezenProduct", [&](std::size_t i) { return ts[i].node; },
          [&](std::uint32_t a, std::uint32_t b) {
            return key(ts[a].toewijzing_nummer) < key(ts[b].toewijzing_nummer);
          },
          [&](std::uint32_t a, std::uint32_t b) {
            return key(ts[a].toewijzing_nummer) == key(ts[b].toewijzing_nummer);
          },
          [&](std::size_t i) {
            return fmt::format("ToewijzingNummer {}", shown(ts[i].toewijzing_nummer));
          });
      break;
    }
    case 305: {
      const auto& s = m.client.starts;
      auto k = [&](std::uint32_t i) {
        return std::make_tuple(key(s[i].begindatum), key(s[i].product.categorie),
                               key(s[i].product.code), key(s[i].toewijzing_nummer));
      };
      tr101_siblings(
          m, emit, s.size(), "StartProduct", [&](std::size_t i) { return s[i].node; },
          [&](std::uint32_t a, std::uint32_t b) { return k(a) < k(b); },
          [&](std::uint32_t a, std::uint32_t b) { return k(a) == k(b); },
          [&](std::size_t i) {
            return fmt::format("ToewijzingNummer {}, {}, Begindatum {}",
                               shown(s[i].toewijzing_nummer), product_text(s[i].product),
                               shown(s[i].begindatum));
          });
      break;
    }
    case 307: {
      const auto& s = m.client.stops;
      auto k = [&](std::uint32_t i) {
        return std::make_tuple(key(s[i].begindatum), key(s[i].einddatum),
                               key(s[i].product.categorie), key(s[i].product.code),
                               key(s[i].reden_beeindiging), key(s[i].toewijzing_nummer));
      };
      tr101_siblings(
          m, emit, s.size(), "StopProduct", [&](std::size_t i) { return s[i].node; },
          [&](std::uint32_t a, std::uint32_t b) { return k(a) < k(b); },
          [&](std::uint32_t a, std::uint32_t b) { return k(a) == k(b); },
          [&](std::size_t i) {
            return fmt::format(
                "ToewijzingNummer {}, {}, Begindatum {}, Einddatum {}, RedenBeeindiging {}",
                shown(s[i].toewijzing_nummer), product_text(s[i].product), shown(s[i].begindatum),
                shown(s[i].einddatum), shown(s[i].reden_beeindiging));
          });
      break;
    }
    case 315: {
      const auto& a = m.client.aangevraagd;
      tr101_siblings(
          m, emit, a.size(), "AangevraagdProduct", [&](std::size_t i) { return a[i].node; },
          [&](std::uint32_t x, std::uint32_t y) {
            return key(a[x].referentie_aanbieder) < key(a[y].referentie_aanbieder);
          },
          [&](std::uint32_t x, std::uint32_t y) {
            return key(a[x].referentie_aanbieder) == key(a[y].referentie_aanbieder);
          },
          [&](std::size_t i) {
            return fmt::format("ReferentieAanbieder {}", shown(a[i].referentie_aanbieder));
          });
      break;
    }
    case 317: {
      // One Verzoek per message (the XSD), so only its product lists can hold duplicates.
      auto by_number = [&](const auto& list, std::string_view what) {
        tr101_siblings(
            m, emit, list.size(), what, [&](std::size_t i) { return list[i].node; },
            [&](std::uint32_t x, std::uint32_t y) {
              return key(list[x].toewijzing_nummer) < key(list[y].toewijzing_nummer);
            },
            [&](std::uint32_t x, std::uint32_t y) {
              return key(list[x].toewijzing_nummer) == key(list[y].toewijzing_nummer);
            },
            [&](std::size_t i) {
              return fmt::format("ToewijzingNummer {}", shown(list[i].toewijzing_nummer));
            });
      };
      by_number(m.client.verzoek.ongewijzigd, "OngewijzigdProduct");
      by_number(m.client.verzoek.te_wijzigen, "TeWijzigenProduct");
      const auto& n = m.client.verzoek.nieuw;
      auto k = [&](std::uint32_t i) {
        return std::make_tuple(key(n[i].gewenste_ingangsdatum), key(n[i].product.categorie),
                               key(n[i].product.code));
      };
      tr101_siblings(
          m, emit, n.size(), "NieuwProduct", [&](std::size_t i) { return n[i].node; },
          [&](std::uint32_t x, std::uint32_t y) { return k(x) < k(y); },
          [&](std::uint32_t x, std::uint32_t y) { return k(x) == k(y); },
          [&](std::size_t i) {
            return fmt::format("{}, GewensteIngangsdatum {}", product_text(n[i].product),
                               shown(n[i].gewenste_ingangsdatum));
          });
      break;
    }
    case 323:
    case 325: {
      const auto& cs = m.declaratie.clienten;
      tr101_siblings(
          m, emit, cs.size(), "Client", [&](std::size_t i) { return cs[i].node; },
          [&](std::uint32_t a, std::uint32_t b) { return key(cs[a].bsn) < key(cs[b].bsn); },
          [&](std::uint32_t a, std::uint32_t b) { return key(cs[a].bsn) == key(cs[b].bsn); },
          [&](std::size_t i) { return fmt::format("Bsn {}", model::mask_bsn(cs[i].bsn.value)); });
      // Prestaties: only within one client (across clients TR315/TR316 apply).
      for (const auto& c : cs) {
        const auto& ps = c.prestaties;
        auto k = [&](std::uint32_t i) {
          return std::make_pair(key(ps[i].referentie_nummer), key(ps[i].vorig_referentie_nummer));
        };
        tr101_siblings(
            m, emit, ps.size(), "Prestatie", [&](std::size_t i) { return ps[i].node; },
            [&](std::uint32_t a, std::uint32_t b) { return k(a) < k(b); },
            [&](std::uint32_t a, std::uint32_t b) { return k(a) == k(b); },
            [&](std::size_t i) {
              return fmt::format("ReferentieNummer {}, VorigReferentieNummer {}",
                                 shown(ps[i].referentie_nummer),
                                 shown(ps[i].vorig_referentie_nummer));
            });
      }
      break;
    }
    default:
      break;
  }
}

}  // namespace istd::rules::detail
