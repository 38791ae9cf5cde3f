// Working days as the Algemene termijnenwet counts them: not Saturdays, Sundays or the general
// holidays (New Year's Day, Easter Monday, Ascension Day, Whit Monday, Christmas Day, Boxing
// Day, King's Day and 5 May). The calendar is computed (Easter by the Gregorian rule), so it
// never runs out. The monitoring terms of the standard (a retour within 3 working days, a 305
// within 5, a 325 within 10) are counted on it.
#pragma once

#include <string_view>

#include "core/model.hpp"

namespace istd::util {

/// Easter Sunday of a Gregorian year.
model::Date easter_sunday(int year);

/// The holiday's Dutch name ("Tweede paasdag", "Koningsdag", ...), or "" on other days.
/// King's Day is 27 April, or 26 April when the 27th is a Sunday.
std::string_view holiday_name(model::Date day);

/// Not a Saturday, Sunday or holiday.
bool is_working_day(model::Date day);

/// The n-th working day after `from` (`from` itself not counted; n >= 0, n = 0 gives `from`).
model::Date add_working_days(model::Date from, int n);

/// How many working days d satisfy from < d <= to (0 when to <= from).
int working_days_between(model::Date from, model::Date to);

}  // namespace istd::util
