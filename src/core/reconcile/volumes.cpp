#include "core/reconcile/volumes.hpp"

#include <algorithm>

namespace istd::reconcile {

std::int64_t calendar_weeks(Date from, Date to) {
  if (to < from) return 0;
  const std::int64_t n = to.days() - from.days() + 1;
  const std::int64_t w = from.weekday();
  return (w + n - 1) / 7 + 1;
}

std::int64_t sundays(Date from, Date to) {
  if (to < from) return 0;
  // Sundays in [from, to] = Sundays in [epoch-ish, to] - Sundays before from.
  // Count days d with weekday(d) == 6: first Sunday on or after from.
  const int w = from.weekday();
  const std::int64_t first = from.days() + (6 - w);
  if (first > to.days()) return 0;
  return (to.days() - first) / 7 + 1;
}

std::int64_t months_touched(Date from, Date to) {
  if (to < from) return 0;
  return (to.year * 12 + to.month) - (from.year * 12 + from.month) + 1;
}

bool output_based(std::string_view eenheid) { return eenheid == "82" || eenheid == "83"; }

std::int64_t allocation_factor(const Allocation& a) { return a.eenheid == "04" ? 60 : 1; }

std::int64_t line_factor(const Allocation& a, std::string_view line_eenheid) {
  return (a.eenheid == "04" && line_eenheid == "04") ? 60 : 1;
}

namespace {

/// Output-based weekly periods in [from, to] with allocation end `e`: Sundays in the period plus
/// one when E is not a Sunday and the last Sunday on or before E falls in the period (IV076).
std::int64_t output_weeks_in(Date from, Date to, std::optional<Date> e, Date alloc_begin) {
  std::int64_t n = sundays(from, to);
  if (e && e->weekday() != 6) {
    const Date last_sunday = e->add_days(-((e->weekday() + 1) % 7));
    if (last_sunday >= alloc_begin) {
      if (from <= last_sunday && last_sunday <= to) n += 1;
    } else if (from <= *e && *e <= to) {
      // Degenerate: no Sunday in the whole allocation; 1 × V in the period containing E.
      n += 1;
    }
  }
  return n;
}

}  // namespace

std::optional<std::int64_t> max_per_period(const Allocation& a, Date pp_begin, Date pp_end) {
  if (!a.volume) return std::nullopt;
  const std::int64_t v = *a.volume * allocation_factor(a);
  const std::string& f = a.frequentie;
  if (f == "1") return v * (pp_end.days() - pp_begin.days() + 1);
  if (f == "2") {
    if (a.categorie && *a.categorie == "01") return 6 * v;  // TR321 / IV077
    if (output_based(a.eenheid)) return v * output_weeks_in(pp_begin, pp_end, a.einddatum, a.ingangsdatum);
    return v * calendar_weeks(pp_begin, pp_end);
  }
  if (f == "4" || f == "6") return v;
  return std::nullopt;
}

std::optional<std::int64_t> max_over_allocation(const Allocation& a, Date latest_end) {
  if (!a.volume) return std::nullopt;
  const std::int64_t v = *a.volume * allocation_factor(a);
  const Date i = a.ingangsdatum;
  const Date e = a.einddatum ? *a.einddatum : std::max(latest_end, i);
  const std::string& f = a.frequentie;
  if (f == "1") return v * (e.days() - i.days() + 1);
  if (f == "2") {
    if (output_based(a.eenheid)) {
      const std::int64_t s = sundays(i, e);
      const bool e_sunday = a.einddatum && a.einddatum->weekday() == 6;
      return v * (s + (e_sunday ? 0 : 1));
    }
    return v * calendar_weeks(i, e);
  }
  if (f == "4") return v * months_touched(i, e);
  if (f == "6") return v;
  return std::nullopt;
}

std::int64_t round_half_up_div(std::int64_t num, std::int64_t den) {
  return (num * 2 + den) / (den * 2);
}

bool amount_ok(std::int64_t volume, std::string_view eenheid, std::int64_t tarief,
               std::int64_t bedrag) {
  if (volume * tarief == bedrag) return true;
  if (eenheid != "01") return false;
  for (std::int64_t h = std::max<std::int64_t>(0, 60 * tarief - 30); h <= 60 * tarief + 29; ++h) {
    if (round_half_up_div(h, 60) != tarief) continue;
    if (round_half_up_div(h * volume, 60) == bedrag) return true;
  }
  return false;
}

bool amount_ok_with_tariff(std::int64_t volume, std::string_view eenheid, std::int64_t tarief,
                           std::int64_t bedrag, std::int64_t contract_tariff,
                           std::string_view tariff_eenheid) {
  if (eenheid == "01" && tariff_eenheid == "04")
    return round_half_up_div(contract_tariff * volume, 60) == bedrag;
  return volume * tarief == bedrag;
}

std::optional<std::int64_t> expected_tarief(std::string_view eenheid, std::int64_t contract_tariff,
                                            std::string_view tariff_eenheid) {
  if (eenheid == tariff_eenheid) return contract_tariff;
  if (eenheid == "01" && tariff_eenheid == "04") return round_half_up_div(contract_tariff, 60);
  return std::nullopt;
}

}  // namespace istd::reconcile
