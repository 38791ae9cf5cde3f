// DOMAIN.md §4.6: weeks, Sundays, maxima and the IV081 arithmetic.
#include <doctest/doctest.h>

#include "core/reconcile/signals.hpp"
#include "core/reconcile/volumes.hpp"
#include "reconcile/reconcile_fixture.hpp"

using namespace istd::reconcile;
using istd::test::rec::D;

namespace {
Allocation weekly(std::int64_t v, std::string eenheid, Date i, Date e, std::string cat = "02") {
  Allocation a = istd::test::rec::alloc();
  a.categorie = cat;
  a.volume = v;
  a.eenheid = std::move(eenheid);
  a.frequentie = "2";
  a.ingangsdatum = i;
  a.einddatum = e;
  return a;
}
}  // namespace

TEST_SUITE("reconcile") {
  TEST_CASE("reconcile: IV077 calendar weeks use the closed form, also across a year end") {
    CHECK(calendar_weeks(D(3, 10), D(3, 31)) == 4);
    CHECK(calendar_weeks(D(4, 1), D(4, 30)) == 5);
    CHECK(calendar_weeks(D(6, 1), D(6, 30)) == 6);
    CHECK(calendar_weeks(D(3, 10), D(6, 30)) == 17);
    CHECK(calendar_weeks(D(12, 29, 2025), D(1, 4, 2026)) == 1);  // one ISO week
    CHECK(calendar_weeks(D(12, 28, 2025), D(1, 4, 2026)) == 2);
    CHECK(calendar_weeks(D(5, 2), D(5, 1)) == 0);
  }

  TEST_CASE("reconcile: Sundays in a period") {
    CHECK(sundays(D(7, 7), D(7, 31)) == 3);
    CHECK(sundays(D(8, 1), D(8, 31)) == 5);
    CHECK(sundays(D(9, 1), D(9, 6)) == 0);
    CHECK(sundays(D(6, 1), D(6, 1)) == 1);
  }

  TEST_CASE("reconcile: TR321 effort weekly maximum per month (3 h/week, 03-10..06-30)") {
    Allocation a = weekly(3, "04", D(3, 10), D(6, 30));
    CHECK(max_per_period(a, D(3, 10), D(3, 31)) == 12 * 60);
    CHECK(max_per_period(a, D(4, 1), D(4, 30)) == 15 * 60);
    CHECK(max_per_period(a, D(6, 1), D(6, 30)) == 18 * 60);
    CHECK(max_over_allocation(a, D(6, 30)) == 51 * 60);
    Allocation hh = weekly(2, "04", D(3, 10), D(6, 30), "01");
    CHECK(max_per_period(hh, D(6, 1), D(6, 30)) == 12 * 60);
    CHECK(max_over_allocation(hh, D(6, 30)) == 34 * 60);
  }

  TEST_CASE("reconcile: TR321 output weekly maximum counts Sundays plus the last week") {
    Allocation a = weekly(30000, "83", D(7, 7), D(9, 6));
    CHECK(max_per_period(a, D(7, 7), D(7, 31)) == 90000);
    CHECK(max_per_period(a, D(8, 1), D(8, 31)) == 180000);
    CHECK(max_per_period(a, D(9, 1), D(9, 6)) == 0);
    CHECK(max_over_allocation(a, D(9, 6)) == 270000);
    SUBCASE("degenerate: no Sunday at all allows 1 x V in the period holding E") {
      Allocation b = weekly(30000, "83", D(7, 1), D(7, 5));
      CHECK(max_per_period(b, D(7, 1), D(7, 5)) == 30000);
    }
  }

  TEST_CASE("reconcile: TR321 monthly and total frequencies") {
    Allocation a = weekly(15, "04", D(10, 14), D(12, 13));
    a.frequentie = "4";
    CHECK(max_per_period(a, D(10, 14), D(10, 31)) == 15 * 60);
    CHECK(max_over_allocation(a, D(12, 13)) == 45 * 60);
    a.frequentie = "6";
    CHECK(max_over_allocation(a, D(12, 13)) == 15 * 60);
    a.frequentie = "1";
    CHECK(max_per_period(a, D(11, 1), D(11, 30)) == 30 * 15 * 60);
    a.frequentie = "9";
    CHECK_FALSE(max_per_period(a, D(11, 1), D(11, 30)).has_value());
  }

  TEST_CASE("reconcile: IV081 rounding half-up of minute tariffs and amounts") {
    CHECK(round_half_up_div(6500, 60) == 108);
    CHECK(round_half_up_div(6500 * 95, 60) == 10292);
    CHECK(round_half_up_div(8730, 60) == 146);  // 145.5 -> 146
    CHECK(expected_tarief("01", 6500, "04") == 108);
    CHECK(expected_tarief("04", 6500, "04") == 6500);
    CHECK_FALSE(expected_tarief("14", 6500, "04").has_value());
    CHECK(amount_ok(95, "01", 108, 10292));
    CHECK(amount_ok(95, "01", 108, 10260));
    CHECK_FALSE(amount_ok(95, "01", 108, 10400));
    CHECK_FALSE(amount_ok(10, "04", 5000, 50001));
    CHECK(amount_ok_with_tariff(95, "01", 108, 10292, 6500, "04"));
    CHECK_FALSE(amount_ok_with_tariff(95, "01", 108, 10260, 6500, "04"));
  }
}
