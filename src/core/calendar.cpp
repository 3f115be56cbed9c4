#include "core/calendar.hpp"

#include <fmt/format.h>

namespace uitweg::core {

std::int64_t DaysFromCivil(std::int64_t year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

CivilDate CivilFromDays(std::int64_t days) {
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned day = doy - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(yoe) + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

std::int64_t WeekStart(std::int64_t day) {
  // 1970-01-01 was a Thursday: day 0 is weekday 3 counting from Monday.
  const std::int64_t weekday = ((day + 3) % 7 + 7) % 7;
  return day - weekday;
}

std::string IsoWeekOfDay(std::int64_t day) {
  const std::int64_t thursday = WeekStart(day) + 3;
  const std::int64_t year = CivilFromDays(thursday).year;
  const std::int64_t week = (thursday - DaysFromCivil(year, 1, 1)) / 7 + 1;
  return fmt::format("{:04}-W{:02}", year, week);
}

}  // namespace uitweg::core
