// Volume, week and amount computations: calendar weeks and Sundays in a
// period, the maximum per product period (TR321) and over the allocation (TR322), unit
// conversion (hours allocated, minutes claimed) and the amount/tariff arithmetic of TR346/TR418
// with the IV081 rounding. Pure functions; money is integer cents.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/model.hpp"
#include "core/reconcile/history.hpp"

namespace istd::reconcile {

/// Number of distinct ISO weeks (Monday–Sunday) with at least one day in [from, to] (IV077):
/// ⌊(w + n − 1) / 7⌋ + 1 with w the weekday of `from` (Monday 0) and n the number of days.
/// 0 when to < from.
std::int64_t calendar_weeks(Date from, Date to);
/// Number of Sundays in [from, to].
std::int64_t sundays(Date from, Date to);
/// Number of calendar months touched by [from, to].
std::int64_t months_touched(Date from, Date to);

/// Output-based units (82 stuks output, 83 euro's); all others are effort-based.
bool output_based(std::string_view eenheid);

/// The factor that converts a line's volume into the allocation's comparison unit: 60 for a line
/// in hours (04) on an hourly allocation (sums are kept in minutes), 1 otherwise.
std::int64_t line_factor(const Allocation& a, std::string_view line_eenheid);
/// The factor for the allocation's own volume in the comparison unit (60 for hours, else 1).
std::int64_t allocation_factor(const Allocation& a);

/// TR321: the maximum volume (in the comparison unit) for the product period [pp_begin, pp_end]
/// on allocation `a` (which has an Omvang). nullopt when the frequency is not one of 1, 2, 4, 6.
std::optional<std::int64_t> max_per_period(const Allocation& a, Date pp_begin, Date pp_end);

/// TR322: the maximum over the whole allocation, in the comparison unit. `latest_end` is the end
/// of the latest claimed product period (used when the allocation has no Einddatum).
std::optional<std::int64_t> max_over_allocation(const Allocation& a, Date latest_end);

/// Half-up rounding of num / den for num >= 0, den > 0.
std::int64_t round_half_up_div(std::int64_t num, std::int64_t den);

/// TR346 without a contract tariff: Bedrag = GeleverdVolume × ProductTarief exactly; for a line in
/// minutes (01) also the IV081 hourly case: some H in [60T − 30, 60T + 29] with round(H/60) = T
/// and round(H·M/60) = Bedrag.
bool amount_ok(std::int64_t volume, std::string_view eenheid, std::int64_t tarief,
               std::int64_t bedrag);
/// TR346 with a contract tariff H in `tariff_eenheid`: a minute line on an hourly tariff must have
/// Bedrag = round(H·M/60); otherwise Bedrag = GeleverdVolume × ProductTarief.
bool amount_ok_with_tariff(std::int64_t volume, std::string_view eenheid, std::int64_t tarief,
                           std::int64_t bedrag, std::int64_t contract_tariff,
                           std::string_view tariff_eenheid);
/// TR418: the ProductTarief the contract requires for a line in `eenheid` (H, or round(H/60) for
/// minutes on an hourly tariff); nullopt when the units do not fit (then TR341 decides).
std::optional<std::int64_t> expected_tarief(std::string_view eenheid, std::int64_t contract_tariff,
                                            std::string_view tariff_eenheid);

}  // namespace istd::reconcile
