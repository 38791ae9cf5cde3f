// Level-2 rules of the claim (323) and the claim answer (325): periods (CS100, CS337, CS340,
// TR137, TR319, TR335), amounts (CD087, CS325, CS339, TR342, TR358) and line references
// (CD060, TR315, TR316, TR416). A 323 may hold thousands of lines: everything here is linear or
// n·log n (sorted index vectors, no per-line allocation).
#include <fmt/format.h>

#include <tuple>

#include "core/rules/rules_internal.hpp"

namespace istd::rules::detail {

namespace {

using model::Prestatie;

template <typename F>
void for_each_prestatie(const Message& m, F f) {
  for (const auto& c : m.declaratie.clienten)
    for (const auto& p : c.prestaties) f(p);
}

/// "58000 (EUR 580.00)": an amount in cents as in the message, and in euros.
std::string money(std::int64_t cents) {
  const std::int64_t a = cents < 0 ? -cents : cents;
  return fmt::format("{} (EUR {}{}.{:02})", cents, cents < 0 ? "-" : "", a / 100, a % 100);
}

bool is_zero(const Text& t) {
  const auto v = model::parse_int(t.value);
  return t.present() && v && *v == 0;
}

/// +amount for D, -amount for C (nullopt when not a number).
std::optional<std::int64_t> signed_amount(const model::BedragMetDC& b) {
  const auto v = model::parse_int(b.bedrag.value);
  if (!v) return std::nullopt;
  return b.debet_credit.value == "C" ? -*v : *v;
}

}  // namespace

void cd060(const Message& m, Emit& emit) {
  for_each_prestatie(m, [&](const Prestatie& p) {
    const Text& dc = p.ingediend_bedrag.debet_credit;
    const bool credit = dc.value == "C";
    const bool vorig = p.vorig_referentie_nummer.filled();
    if (credit == vorig) return;
    if (credit)
      emit({dc.node, p.product_referentie},
           fmt::format("{}: a credit line (DebetCredit C) must name the line it credits in "
                       "ProductReferentie/VorigReferentieNummer, which is missing. Add the "
                       "ReferentieNummer of the original line, or make it a debit line (CD060).",
                       label(m, p.node)));
    else
      emit({p.vorig_referentie_nummer.node, dc.node},
           fmt::format("{}: VorigReferentieNummer {} is given on a debit line (DebetCredit {}); "
                       "only a credit line (C) refers to a previous line. Leave out the "
                       "VorigReferentieNummer or make the line a credit (CD060).",
                       label(m, p.node), shown(p.vorig_referentie_nummer), dc.value));
  });
}

void cd087(const Message& m, Emit& emit) {
  for_each_prestatie(m, [&](const Prestatie& p) {
    const bool euro = p.eenheid.value == "83";
    const bool tarief = p.product_tarief.filled();
    if (euro != tarief) return;
    if (euro)
      emit({p.product_tarief.node, p.eenheid.node},
           fmt::format("{}: a ProductTarief is given while Eenheid is 83 (euro); an amount in "
                       "euros has no tariff. Leave out the ProductTarief (CD087).",
                       label(m, p.node)));
    else
      emit({p.eenheid.node, p.node},
           fmt::format("{}: Eenheid {} requires a ProductTarief, which is missing. Add the "
                       "tariff per unit (CD087).",
                       label(m, p.node), shown(p.eenheid)));
  });
}

void cs100(const Message& m, Emit& emit) {
  static constexpr model::Date kFirst{2021, 1, 1};
  auto one = [&](const Text& t, auto&& what) {
    const auto d = date_of(t);
    if (!d || *d >= kFirst) return;
    emit({t.node},
         fmt::format("{} Begindatum {} is before 2021-01-01; iWmo 3.x claims start on or after "
                     "2021-01-01. Claim earlier periods outside this standard (CS100).",
                     what(), d->to_string()));
  };
  one(m.declaratie.declaratie_periode.begindatum, [] { return std::string("DeclaratiePeriode:"); });
  for_each_prestatie(m, [&](const Prestatie& p) {
    one(p.product_periode.begindatum, [&] { return label(m, p.node) + ": ProductPeriode"; });
  });
}

void cs325(const Message& m, Emit& emit) {
  auto one = [&](const model::BedragMetDC& b, auto&& what) {
    if (!is_zero(b.bedrag)) return;
    if (b.debet_credit.value != "C" && b.debet_credit.value != "c") return;
    emit({b.debet_credit.node, b.bedrag.node},
         fmt::format("{}: the amount is 0 with DebetCredit C; an amount of zero is always debit. "
                     "Set DebetCredit to D (CS325).",
                     what()));
  };
  const bool answer = model::number(m.type) == 325;
  one(m.declaratie.totaal_ingediend, [] { return std::string("TotaalIngediendBedrag"); });
  for_each_prestatie(m, [&](const Prestatie& p) {
    one(p.ingediend_bedrag, [&] { return label(m, p.node) + ": IngediendBedrag"; });
  });
  if (answer)
    one(m.declaratie.totaal_toegekend, [] { return std::string("TotaalToegekendBedrag"); });
}

void cs337(const Message& m, Emit& emit) {
  for_each_prestatie(m, [&](const Prestatie& p) {
    const auto b = date_of(p.product_periode.begindatum);
    const auto e = date_of(p.product_periode.einddatum);
    if (!b || !e || (b->year == e->year && b->month == e->month)) return;
    emit({p.product_periode.einddatum.node, p.product_periode.begindatum.node},
         fmt::format("{}: ProductPeriode {}..{} spans more than one calendar month; a line "
                     "covers at most one month. Split it into one line per month (CS337).",
                     label(m, p.node), b->to_string(), e->to_string()));
  });
}

void cs339(const Message& m, Emit& emit) {
  for_each_prestatie(m, [&](const Prestatie& p) {
    if (p.eenheid.value != "83") return;
    const auto bedrag = model::parse_int(p.ingediend_bedrag.bedrag.value);
    const auto volume = model::parse_int(p.geleverd_volume.value);
    if (!bedrag || !volume || *bedrag == *volume) return;
    emit({p.ingediend_bedrag.bedrag.node, p.geleverd_volume.node},
         fmt::format("{}: with Eenheid 83 (euro) the IngediendBedrag {} must equal the "
                     "GeleverdVolume {} (both in cents). Correct the amount or the volume "
                     "(CS339).",
                     label(m, p.node), p.ingediend_bedrag.bedrag.value, p.geleverd_volume.value));
  });
}

void cs340(const Message& m, Emit& emit) {
  const auto& per = m.declaratie.declaratie_periode;
  const auto b = date_of(per.begindatum);
  const auto e = date_of(per.einddatum);
  if (!b || !e) return;
  if (b->day == 1 && e->add_days(1) == b->add_months(1)) return;
  const bool first = b->day == 1;
  emit({first ? per.einddatum.node : per.begindatum.node,
        first ? per.begindatum.node : per.einddatum.node},
       fmt::format("DeclaratiePeriode {}..{} is not exactly one calendar month; it runs from the "
                   "first to the last day of one month (e.g. {}..{}). Correct the period "
                   "(CS340).",
                   b->to_string(), e->to_string(), b->first_of_month().to_string(),
                   b->last_of_month().to_string()));
}

void tr137(const Message& m, Emit& emit) {
  const auto dagtekening = date_of(m.header.dagtekening);
  auto one = [&](const model::Periode& per, auto&& what) {
    const auto b = date_of(per.begindatum);
    const auto e = date_of(per.einddatum);
    if (!e) return;
    const bool reversed = b && *e < *b;
    const bool future = dagtekening && *e > *dagtekening;
    if (!reversed && !future) return;
    std::string why;
    if (reversed)
      why = fmt::format("Einddatum {} is before Begindatum {}", e->to_string(), b->to_string());
    if (future)
      why += fmt::format(
          "{}Einddatum {} is after the Dagtekening {} of the message (a month can "
          "only be claimed once it has ended)",
          reversed ? "; and " : "", e->to_string(), dagtekening->to_string());
    emit({per.einddatum.node, reversed ? per.begindatum.node : m.header.dagtekening.node,
          reversed && future ? m.header.dagtekening.node : model::kNoNode},
         fmt::format("{}: {}. Correct the period (TR137).", what(), why));
  };
  if (model::number(m.type) == 323)
    one(m.declaratie.declaratie_periode, [] { return std::string("DeclaratiePeriode"); });
  for_each_prestatie(m, [&](const Prestatie& p) {
    one(p.product_periode, [&] { return label(m, p.node) + ": ProductPeriode"; });
  });
}

void tr315(const Message& m, Emit& emit) {
  std::vector<const Prestatie*> lines;
  for_each_prestatie(m, [&](const Prestatie& p) {
    if (p.vorig_referentie_nummer.present()) lines.push_back(&p);
  });
  auto v = [&](std::uint32_t i) -> std::string_view {
    return lines[i]->vorig_referentie_nummer.value;
  };
  duplicate_groups(
      lines.size(), [&](std::uint32_t a, std::uint32_t b) { return v(a) < v(b); },
      [&](std::uint32_t a, std::uint32_t b) { return v(a) == v(b); },
      [&](const std::vector<std::uint32_t>& group) {
        std::vector<NodeId> nodes{lines[group.back()]->vorig_referentie_nummer.node};
        std::vector<NodeId> earlier;
        for (std::size_t k = 0; k + 1 < group.size(); ++k) {
          nodes.push_back(lines[group[k]]->vorig_referentie_nummer.node);
          earlier.push_back(lines[group[k]]->node);
        }
        const std::string others = join_labels(m, earlier);
        emit(nodes, fmt::format("{}: VorigReferentieNummer '{}' is also credited by {}; a line "
                                "can be credited only once. Remove the duplicate credit line "
                                "(TR315).",
                                label(m, lines[group.back()]->node), v(group.back()), others));
      });
}

void tr316(const Message& m, Emit& emit) {
  bool any_vorig = false;
  for_each_prestatie(
      m, [&](const Prestatie& p) { any_vorig = any_vorig || p.vorig_referentie_nummer.present(); });
  if (!any_vorig) return;
  // All ReferentieNummers of the message, sorted for lookup.
  std::vector<const Prestatie*> by_ref;
  for_each_prestatie(m, [&](const Prestatie& p) { by_ref.push_back(&p); });
  std::stable_sort(by_ref.begin(), by_ref.end(), [](const Prestatie* a, const Prestatie* b) {
    return a->referentie_nummer.value < b->referentie_nummer.value;
  });
  for_each_prestatie(m, [&](const Prestatie& p) {
    if (!p.vorig_referentie_nummer.present()) return;
    const std::string_view vorig = p.vorig_referentie_nummer.value;
    auto lo = std::lower_bound(
        by_ref.begin(), by_ref.end(), vorig,
        [](const Prestatie* a, std::string_view v) { return a->referentie_nummer.value < v; });
    if (lo == by_ref.end() || (*lo)->referentie_nummer.value != vorig) return;
    // Many lines may share a ReferentieNummer (itself a TR101 matter): name at most
    // kMaxNamed of them, so a hostile message cannot make this quadratic.
    constexpr std::size_t kMaxNamed = 10;
    std::vector<NodeId> nodes{p.vorig_referentie_nummer.node};
    const bool self = p.referentie_nummer.value == vorig;
    if (self) nodes.push_back(p.referentie_nummer.node);
    std::vector<NodeId> other_lines;
    bool more = false;
    for (auto it = lo; it != by_ref.end() && (*it)->referentie_nummer.value == vorig; ++it) {
      if (*it == &p) continue;
      if (other_lines.size() == kMaxNamed) {
        more = true;
        break;
      }
      other_lines.push_back((*it)->node);
      nodes.push_back((*it)->referentie_nummer.node);
    }
    std::string others = join_labels(m, other_lines);
    if (more) others += " (and further lines)";
    std::string what = self && others.empty()
                           ? std::string("is the line's own ReferentieNummer")
                           : fmt::format("is the ReferentieNummer of {}{} in this same message",
                                         others, self ? " (and of the line itself)" : "");
    emit(nodes, fmt::format("{}: VorigReferentieNummer '{}' {}; a line can only credit a line "
                            "of an earlier claim that was approved. Send the credit in a later "
                            "323, or leave the original line out (TR316).",
                            label(m, p.node), vorig, what));
  });
}

void tr319(const Message& m, Emit& emit) {
  const Text& end_t = m.declaratie.declaratie_periode.einddatum;
  const auto end = date_of(end_t);
  if (!end) return;
  for_each_prestatie(m, [&](const Prestatie& p) {
    for (const Text* t : {&p.product_periode.begindatum, &p.product_periode.einddatum}) {
      const auto d = date_of(*t);
      if (!d || *d <= *end) continue;
      emit({t->node, end_t.node},
           fmt::format("{}: ProductPeriode {} {} is after the end of the DeclaratiePeriode ({}); "
                       "a claim may hold earlier months but no later ones. Claim this delivery "
                       "in the claim for its own month (TR319).",
                       label(m, p.node),
                       t == &p.product_periode.begindatum ? "Begindatum" : "Einddatum",
                       d->to_string(), end->to_string()));
    }
  });
}

void tr335(const Message& m, Emit& emit) {
  const Text& dt = m.declaratie.declaratie_dagtekening;
  const auto dagtekening = date_of(dt);
  if (!dagtekening) return;
  const model::Date limit = dagtekening->add_months(-60);
  for_each_prestatie(m, [&](const Prestatie& p) {
    const auto e = date_of(p.product_periode.einddatum);
    if (!e || *e >= limit) return;
    emit(
        {p.product_periode.einddatum.node, dt.node},
        fmt::format("{}: ProductPeriode Einddatum {} is more than 5 years before the "
                    "DeclaratieDagtekening {} (limit {}); delivery older than 5 years can no "
                    "longer be claimed. Remove the line (TR335).",
                    label(m, p.node), e->to_string(), dagtekening->to_string(), limit.to_string()));
  });
}

void tr342(const Message& m, Emit& emit) {
  const auto& d = m.declaratie;
  if (!d.present()) return;
  bool only_partial = !d.retourcodes.codes.empty();
  for (const auto& c : d.retourcodes.codes)
    if (c.value != "0200" && c.value != "8001") only_partial = false;
  const auto toegekend = signed_amount(d.totaal_toegekend);
  if (!toegekend) return;
  const NodeId primary = d.totaal_toegekend.bedrag.node;
  if (!only_partial) {
    if (*toegekend == 0) return;
    emit({primary, d.retourcodes.node},
         fmt::format(
             "DeclaratieAntwoord: the claim is rejected as a whole (RetourCodes {}), so "
             "TotaalToegekendBedrag must be 0, not {} ({}). Set it to 0 (TR342).",
             [&] {
               std::string s;
               for (const auto& c : d.retourcodes.codes) s += (s.empty() ? "" : " ") + c.value;
               return s;
             }(),
             d.totaal_toegekend.bedrag.value, d.totaal_toegekend.debet_credit.value));
    return;
  }
  const auto ingediend = signed_amount(d.totaal_ingediend);
  if (!ingediend) return;
  std::int64_t rejected = 0;
  for_each_prestatie(m, [&](const Prestatie& p) {
    if (auto a = signed_amount(p.ingediend_bedrag)) rejected += *a;
  });
  if (rejected == *ingediend - *toegekend) return;
  emit({primary, d.totaal_ingediend.bedrag.node},
       fmt::format("DeclaratieAntwoord: the rejected lines total {}, debit minus credit, but "
                   "TotaalIngediendBedrag {} minus TotaalToegekendBedrag {} is {}. The approved "
                   "amount must be the claimed amount minus the rejected lines: {}. Correct "
                   "TotaalToegekendBedrag or the listed lines (TR342).",
                   money(rejected), money(*ingediend), money(*toegekend),
                   money(*ingediend - *toegekend), money(*ingediend - rejected)));
}

void tr358(const Message& m, Emit& emit) {
  const auto& total = m.declaratie.totaal_ingediend;
  if (!total.bedrag.present()) return;
  std::int64_t n = 0;
  for_each_prestatie(m, [&](const Prestatie& p) {
    if (auto a = signed_amount(p.ingediend_bedrag)) n += *a;
  });
  const bool credit = total.debet_credit.value == "C";
  // The XSLT compares the text with the canonical integer: '058000' != '58000'.
  const std::string expected = std::to_string(credit ? -n : n);
  if (total.bedrag.value == expected) return;
  const std::string fix = n >= 0 ? fmt::format("TotaalBedrag {} with DebetCredit D", n)
                                 : fmt::format("TotaalBedrag {} with DebetCredit C", -n);
  emit({total.bedrag.node, total.debet_credit.node},
       fmt::format("TotaalIngediendBedrag: TotaalBedrag '{}' with DebetCredit {} does not match "
                   "the lines, which total {}, debit minus credit. Write {}, without leading "
                   "zeros (TR358).",
                   total.bedrag.value, total.debet_credit.value, money(n), fix));
}

void tr416(const Message& m, Emit& emit) {
  std::vector<const Prestatie*> debit;
  for (const auto& c : m.declaratie.clienten) {
    debit.clear();
    for (const auto& p : c.prestaties)
      if (p.ingediend_bedrag.debet_credit.value == "D") debit.push_back(&p);
    auto k = [&](std::uint32_t i) {
      const Prestatie& p = *debit[i];
      return std::make_tuple(std::string_view(p.product_periode.begindatum.value),
                             std::string_view(p.product_periode.einddatum.value),
                             std::string_view(p.product_categorie.value),
                             std::string_view(p.toewijzing_nummer.value),
                             std::string_view(p.product_code.value));
    };
    duplicate_groups(
        debit.size(), [&](std::uint32_t a, std::uint32_t b) { return k(a) < k(b); },
        [&](std::uint32_t a, std::uint32_t b) { return k(a) == k(b); },
        [&](const std::vector<std::uint32_t>& group) {
          const Prestatie& last = *debit[group.back()];
          std::vector<NodeId> nodes{last.node};
          for (std::size_t i = 0; i + 1 < group.size(); ++i) nodes.push_back(debit[group[i]]->node);
          const std::string others =
              join_labels(m, std::vector<NodeId>(nodes.begin() + 1, nodes.end()));
          emit(nodes,
               fmt::format("{}: a second debit line for ToewijzingNummer {}, ProductCategorie "
                           "{}, ProductCode {} and ProductPeriode {}..{} (also in {}); one line "
                           "holds the total for an allocation, product and period. Merge the "
                           "lines into one (TR416).",
                           label(m, last.node), last.toewijzing_nummer.value,
                           last.product_categorie.value, last.product_code.value,
                           last.product_periode.begindatum.value,
                           last.product_periode.einddatum.value, others));
        });
  }
}

}  // namespace istd::rules::detail
