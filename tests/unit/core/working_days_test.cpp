// The working-day calendar of the Algemene termijnenwet (core/util/working_days).
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "core/util/working_days.hpp"

using istd::model::Date;
namespace util = istd::util;

namespace {

Date d(const char* text) { return *istd::model::parse_date(text); }

std::map<std::string, std::string> holidays_of(int year) {
  std::map<std::string, std::string> out;
  for (Date x{year, 1, 1}; x.year == year; x = x.add_days(1))
    if (auto n = util::holiday_name(x); !n.empty()) out[x.to_string()] = std::string(n);
  return out;
}

}  // namespace

TEST_SUITE("calendar") {
  TEST_CASE("calendar: Easter Sunday by the Gregorian rule") {
    CHECK(util::easter_sunday(2024) == d("2024-03-31"));
    CHECK(util::easter_sunday(2025) == d("2025-04-20"));
    CHECK(util::easter_sunday(2026) == d("2026-04-05"));
    CHECK(util::easter_sunday(2027) == d("2027-03-28"));
    CHECK(util::easter_sunday(2028) == d("2028-04-16"));
    CHECK(util::easter_sunday(2029) == d("2029-04-01"));
    CHECK(util::easter_sunday(2030) == d("2030-04-21"));
    CHECK(util::easter_sunday(2038) == d("2038-04-25"));  // the latest possible date
    CHECK(util::easter_sunday(2285) == d("2285-03-22"));  // the earliest possible date
  }

  TEST_CASE("calendar: the holidays of 2024-2030, and no other day") {
    const std::map<int, std::vector<std::string>> expected{
        {2024, {"01-01", "04-01", "04-27", "05-05", "05-09", "05-20", "12-25", "12-26"}},
        {2025, {"01-01", "04-21", "04-26", "05-05", "05-29", "06-09", "12-25", "12-26"}},
        {2026, {"01-01", "04-06", "04-27", "05-05", "05-14", "05-25", "12-25", "12-26"}},
        {2027, {"01-01", "03-29", "04-27", "05-05", "05-06", "05-17", "12-25", "12-26"}},
        {2028, {"01-01", "04-17", "04-27", "05-05", "05-25", "06-05", "12-25", "12-26"}},
        {2029, {"01-01", "04-02", "04-27", "05-05", "05-10", "05-21", "12-25", "12-26"}},
        {2030, {"01-01", "04-22", "04-27", "05-05", "05-30", "06-10", "12-25", "12-26"}},
    };
    for (const auto& [year, days] : expected) {
      const int y = year;  // a structured binding cannot be captured (clang)
      CAPTURE(y);
      std::vector<std::string> got;
      for (const auto& [day, name] : holidays_of(year)) got.push_back(day.substr(5));
      CHECK(got == days);
    }
    CHECK(util::holiday_name(d("2026-05-14")) == "Hemelvaartsdag");
    CHECK(util::holiday_name(d("2026-05-25")) == "Tweede pinksterdag");
    CHECK(util::holiday_name(d("2026-04-06")) == "Tweede paasdag");
    CHECK(util::holiday_name(d("2026-04-03")).empty());  // Good Friday is a working day
    CHECK(util::is_working_day(d("2026-04-03")));
  }

  TEST_CASE("calendar: King's Day on a Sunday moves to Saturday 26 April") {
    // 27 April 2025 is a Sunday.
    CHECK(d("2025-04-27").weekday() == 6);
    CHECK(util::holiday_name(d("2025-04-26")) == "Koningsdag");
    CHECK(util::holiday_name(d("2025-04-27")).empty());
    // 27 April 2026 is a Monday: the holiday itself, 26 April is a plain Sunday.
    CHECK(util::holiday_name(d("2026-04-27")) == "Koningsdag");
    CHECK(util::holiday_name(d("2026-04-26")).empty());
    CHECK_FALSE(util::is_working_day(d("2026-04-27")));
    CHECK(util::add_working_days(d("2026-04-24"), 1) == d("2026-04-28"));
  }

  TEST_CASE("calendar: deadlines across Easter, Christmas and a year boundary") {
    // Thursday before Easter 2025: Good Friday counts, Easter Monday does not.
    CHECK(util::add_working_days(d("2025-04-17"), 3) == d("2025-04-23"));
    // Christmas Eve 2025 (Wednesday): Thursday 25 and Friday 26 are holidays.
    CHECK(util::add_working_days(d("2025-12-24"), 1) == d("2025-12-29"));
    // Over New Year's Day into 2026.
    CHECK(util::add_working_days(d("2025-12-30"), 3) == d("2026-01-05"));
    // A 325 term of 10 working days from Friday 19 December 2025.
    CHECK(util::add_working_days(d("2025-12-19"), 10) == d("2026-01-07"));
    // Ascension Day on 5 May (2016) is one holiday, not two.
    CHECK(util::working_days_between(d("2016-05-01"), d("2016-05-08")) == 4);
    // A weekend start: Saturday + 1 working day is Monday.
    CHECK(util::add_working_days(d("2026-01-10"), 1) == d("2026-01-12"));
    CHECK(util::add_working_days(d("2026-01-10"), 0) == d("2026-01-10"));
    CHECK(util::working_days_between(d("2026-01-12"), d("2026-01-12")) == 0);
    CHECK(util::working_days_between(d("2026-01-12"), d("2026-01-05")) == 0);
  }

  TEST_CASE("calendar: the fast count equals counting day by day (2023-2031)") {
    auto slow = [](Date from, Date to) {
      int n = 0;
      for (Date x = from.add_days(1); x <= to; x = x.add_days(1)) n += util::is_working_day(x);
      return n;
    };
    int checked = 0;
    for (Date from = d("2023-12-20"); from < d("2031-01-10"); from = from.add_days(17))
      for (int span : {0, 1, 2, 6, 7, 9, 30, 100, 400}) {
        const Date to = from.add_days(span);
        CAPTURE(from.to_string());
        CAPTURE(span);
        const int n = util::working_days_between(from, to);
        REQUIRE(n == slow(from, to));
        if (n > 0) REQUIRE(util::add_working_days(from, n) <= to);
        REQUIRE(util::working_days_between(from, util::add_working_days(from, n + 1)) == n + 1);
        ++checked;
      }
    CHECK(checked > 1000);
  }
}
