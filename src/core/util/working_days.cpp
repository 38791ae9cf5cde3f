#include "core/util/working_days.hpp"

#include <algorithm>
#include <cstdint>

namespace istd::util {

using model::Date;

Date easter_sunday(int y) {
  // The anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  const int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
  const int f = (b + 8) / 25, g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4, k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return Date{y, month, day};
}

std::string_view holiday_name(Date day) {
  if (day.month == 1 && day.day == 1) return "Nieuwjaarsdag";
  if (day.month == 12 && day.day == 25) return "Eerste kerstdag";
  if (day.month == 12 && day.day == 26) return "Tweede kerstdag";
  if (day.month == 5 && day.day == 5) return "Bevrijdingsdag";
  if (day.month == 4 && (day.day == 26 || day.day == 27)) {
    const bool on_27th_sunday = Date{day.year, 4, 27}.weekday() == 6;
    if (day.day == (on_27th_sunday ? 26 : 27)) return "Koningsdag";
  }
  if (day.month >= 3 && day.month <= 6) {
    const std::int64_t offset = day.days() - easter_sunday(day.year).days();
    if (offset == 1) return "Tweede paasdag";
    if (offset == 39) return "Hemelvaartsdag";
    if (offset == 50) return "Tweede pinksterdag";
  }
  return {};
}

bool is_working_day(Date day) { return day.weekday() < 5 && holiday_name(day).empty(); }

Date add_working_days(Date from, int n) {
  Date d = from;
  while (n > 0) {
    d = d.add_days(1);
    if (is_working_day(d)) --n;
  }
  return d;
}

namespace {

// Monday to Friday among the days 1969-12-29 (a Monday) .. the day before `d`.
std::int64_t weekdays_before(Date d) {
  const std::int64_t m = d.days() + 3;
  return 5 * (m / 7) + std::min<std::int64_t>(m % 7, 5);
}

}  // namespace

int working_days_between(Date from, Date to) {
  if (to <= from) return 0;
  if (from.year < 1970 || to.year > 9000) {  // outside the fast count's range: day by day
    int n = 0;
    for (Date d = from.add_days(1); d <= to; d = d.add_days(1))
      if (is_working_day(d)) ++n;
    return n;
  }
  std::int64_t n = weekdays_before(to.add_days(1)) - weekdays_before(from.add_days(1));
  for (int y = from.year; y <= to.year; ++y) {
    const Date easter = easter_sunday(y);
    const Date king = Date{y, 4, 27}.weekday() == 6 ? Date{y, 4, 26} : Date{y, 4, 27};
    // Ascension Day can fall on 5 May (2016, 2157): a day is subtracted once.
    const Date ascension = easter.add_days(39);
    const Date liberation{y, 5, 5};
    for (const Date h : {Date{y, 1, 1}, easter.add_days(1), ascension, easter.add_days(50), king,
                         ascension == liberation ? Date{} : liberation, Date{y, 12, 25},
                         Date{y, 12, 26}})
      if (from < h && h <= to && h.weekday() < 5) --n;
  }
  return static_cast<int>(n);
}

}  // namespace istd::util
