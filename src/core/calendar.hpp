#pragma once
// Dates of the proleptic Gregorian calendar as day numbers (days since 1970-01-01), both ways,
// for any year: Howard Hinnant's days_from_civil and civil_from_days, and ISO weeks. Pure
// functions.

#include <cstdint>
#include <string>

namespace uitweg::core {

struct CivilDate {
  std::int64_t year = 1970;
  unsigned month = 1;  // 1..12
  unsigned day = 1;    // 1..31
};

// Requires a valid date.
std::int64_t DaysFromCivil(std::int64_t year, unsigned month, unsigned day);
CivilDate CivilFromDays(std::int64_t days);

// The Monday of the week a day number belongs to.
std::int64_t WeekStart(std::int64_t day);
// The ISO week ("2026-W47") a day belongs to: that of its Thursday, whose year may be the one
// before or after the day's. Requires a year of four digits.
std::string IsoWeekOfDay(std::int64_t day);

}  // namespace uitweg::core
