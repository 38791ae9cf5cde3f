// Builders for the reconcile tests: DOMAIN.md §8.5 base (allocation 300201 of client C1 at
// provider P1, gemeente 0363), plain structs only.
#pragma once

#include <string>
#include <vector>

#include "core/delivery/intervals.hpp"
#include "core/reconcile/history.hpp"
#include "core/reconcile/rules_323.hpp"

namespace istd::test::rec {

using reconcile::Allocation;
using reconcile::Declaration;
using reconcile::History;
using reconcile::Line;
using model::Date;

inline const std::string kGemeente = "0363";
inline const std::string kP1 = "12345678";
inline const std::string kP2 = "87654321";
inline const std::string kC1 = "999990019";
inline const std::string kC2 = "999990020";
inline const std::string kC3 = "999990032";

inline Date D(int m, int d, int y = 2025) { return Date{y, m, d}; }

/// 300201: C1 at P1, category 02, code 02A01, 2025-04-01 .. 2025-12-31, no Omvang.
inline Allocation alloc(std::int64_t nummer = 300201, std::string bsn = kC1,
                        std::string agb = kP1) {
  Allocation a;
  a.gemeente = kGemeente;
  a.nummer = nummer;
  a.bsn = std::move(bsn);
  a.agb = std::move(agb);
  a.categorie = "02";
  a.code = "02A01";
  a.ingangsdatum = D(4, 1);
  a.einddatum = D(12, 31);
  a.evidence = "WMO301:A" + std::to_string(nummer);
  return a;
}

/// Adds an allocation with its intervals from the given starts/stops.
inline void add(History& h, const Allocation& a, std::vector<delivery::Start> starts = {},
                std::vector<delivery::Stop> stops = {}) {
  h.add_allocation(a);
  auto r = delivery::compute({a.ingangsdatum, a.einddatum, a.deleted}, std::move(starts),
                             std::move(stops));
  h.set_intervals(a.gemeente, a.nummer, std::move(r.intervals));
}

inline Declaration decl(std::int64_t id, std::string nummer, int month, int year = 2025,
                        std::string agb = kP1) {
  Declaration d;
  d.id = id;
  d.message_id = id * 100;
  d.agb = std::move(agb);
  d.gemeente = kGemeente;
  d.nummer = std::move(nummer);
  d.periode_begin = Date{year, month, 1};
  d.periode_eind = d.periode_begin.last_of_month();
  d.identificatie = "DECL" + std::to_string(id);
  d.dagtekening = "2025-07-05";
  d.xsd_basis = "1.0.0";
  d.xsd_bericht = "1.0.0";
  return d;
}

/// A debit line for a whole month (or the given period) in hours (04) at 5000 cents/hour.
inline Line line(std::int64_t id, std::string ref, int month, std::int64_t volume = 10,
                 std::int64_t nummer = 300201, std::string bsn = kC1) {
  Line l;
  l.id = id;
  l.position = static_cast<int>(id);
  l.bsn = std::move(bsn);
  l.referentie = std::move(ref);
  l.nummer = nummer;
  l.categorie = "02";
  l.code = "02A01";
  l.begin = D(month, 1);
  l.eind = l.begin.last_of_month();
  l.volume = volume;
  l.eenheid = "04";
  l.tarief = 5000;
  l.bedrag = volume * 5000;
  return l;
}

inline Line credit_of(const Line& debit, std::int64_t id, std::string ref) {
  Line c = debit;
  c.id = id;
  c.position = static_cast<int>(id);
  c.referentie = std::move(ref);
  c.vorig = debit.referentie;
  c.credit = true;
  c.verdict = reconcile::LineVerdict::pending;
  c.codes.clear();
  c.credited_by.reset();
  return c;
}

/// Declaration totals from its lines (TR358).
inline void total(Declaration& d, const std::vector<Line>& lines) {
  std::int64_t t = 0;
  for (const auto& l : lines) t += l.signed_bedrag();
  d.totaal_bedrag = t < 0 ? -t : t;
  d.totaal_dc = t < 0 ? "C" : "D";
}

/// Judges a declaration (totals computed) and returns the judgement.
inline reconcile::Judgement run(History& h, Declaration d, const std::vector<Line>& lines,
                                const reconcile::RuleOptions& o = {}) {
  total(d, lines);
  return reconcile::judge(h, d, lines, o);
}

inline std::vector<std::string> codes(const reconcile::LineOutcome& o) { return o.codes(); }

}  // namespace istd::test::rec
