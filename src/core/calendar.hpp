#pragma once
// Dates of the proleptic Gregorian calendar as day numbers (days since 1970-01-01), both ways,
// for any year: Howard Hinnant's days_from_civil and civil_from_days. Pure functions.

#include <cstdint>

namespace uitweg::core {

struct CivilDate {
  std::int64_t year = 1970;
  unsigned month = 1;  // 1..12
  unsigned day = 1;    // 1..31
};

// Requires a valid date.
std::int64_t DaysFromCivil(std::int64_t year, unsigned month, unsigned day);
CivilDate CivilFromDays(std::int64_t days);

}  // namespace uitweg::core
