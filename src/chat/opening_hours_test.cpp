#include "chat/opening_hours.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace uitweg::chat {
namespace {

using namespace std::chrono;

// A UTC instant, for readable tests: Utc(2026y / December / 2, 14) is 14:00 UTC.
core::UnixMillis Utc(year_month_day day, int hour, int minute = 0) {
  return duration_cast<milliseconds>(
             (sys_days(day) + hours(hour) + minutes(minute)).time_since_epoch())
      .count();
}

// 2026-12-02 is a Wednesday in winter: Amsterdam is UTC+1.
TEST(OpeningHoursTest, TheNightServiceOpensAtFourOnAWeekdayAfternoon) {
  const ServiceState before = StateAt(NightService(), Utc(2026y / December / 2, 14));
  EXPECT_FALSE(before.open);
  EXPECT_EQ(before.changes_at, Utc(2026y / December / 2, 15));

  const ServiceState evening = StateAt(NightService(), Utc(2026y / December / 2, 22));
  EXPECT_TRUE(evening.open);
  EXPECT_EQ(evening.changes_at, Utc(2026y / December / 3, 5));
}

TEST(OpeningHoursTest, FridaysNightRunsIntoSaturdayMorningAndSaturdayOpensAtEight) {
  const ServiceState night = StateAt(NightService(), Utc(2026y / December / 5, 2));
  EXPECT_TRUE(night.open);
  EXPECT_EQ(night.changes_at, Utc(2026y / December / 5, 5));

  const ServiceState morning = StateAt(NightService(), Utc(2026y / December / 5, 9));
  EXPECT_FALSE(morning.open);
  EXPECT_EQ(morning.changes_at, Utc(2026y / December / 5, 19));
}

TEST(OpeningHoursTest, SundaysNightRunsIntoMonday) {
  const ServiceState night = StateAt(NightService(), Utc(2026y / December / 7, 2));
  EXPECT_TRUE(night.open);
  EXPECT_EQ(night.changes_at, Utc(2026y / December / 7, 5));
  const ServiceState closed = StateAt(NightService(), Utc(2026y / December / 7, 5));
  EXPECT_FALSE(closed.open);
  EXPECT_EQ(closed.changes_at, Utc(2026y / December / 7, 15));
}

TEST(OpeningHoursTest, InSummerTheHoursFollowTheLocalClock) {
  // 2026-07-01, a Wednesday: Amsterdam is UTC+2, so 16:00 there is 14:00 UTC.
  EXPECT_FALSE(StateAt(NightService(), Utc(2026y / July / 1, 13, 59)).open);
  const ServiceState open = StateAt(NightService(), Utc(2026y / July / 1, 14));
  EXPECT_TRUE(open.open);
  EXPECT_EQ(open.changes_at, Utc(2026y / July / 2, 4));
}

TEST(OpeningHoursTest, TheNightTheClocksGoForwardClosesAtSixSummerTime) {
  // Saturday 2026-03-28 20:00 CET (19:00 UTC) to Sunday 06:00 CEST (04:00 UTC): nine hours.
  const ServiceState open = StateAt(NightService(), Utc(2026y / March / 28, 22));
  EXPECT_TRUE(open.open);
  EXPECT_EQ(open.changes_at, Utc(2026y / March / 29, 4));
}

TEST(OpeningHoursTest, ATimeTheClocksSkipTakesEffectAsTheyJump) {
  // 02:30 never comes on Sunday 2026-03-29: at 02:00 CET (01:00 UTC) the clock reads 03:00 CEST.
  OpeningHours hours;
  hours.weekly[6] = {OpenSpan{.open_minute = 2 * 60 + 30, .close_minute = 5 * 60}};
  ASSERT_TRUE(Normalise(hours));
  const ServiceState before = StateAt(hours, Utc(2026y / March / 29, 0, 30));
  EXPECT_FALSE(before.open);
  EXPECT_EQ(before.changes_at, Utc(2026y / March / 29, 1));
  EXPECT_TRUE(StateAt(hours, Utc(2026y / March / 29, 1, 15)).open);
}

TEST(OpeningHoursTest, TheNightTheClocksGoBackClosesAtSixWinterTime) {
  // Saturday 2026-10-24 20:00 CEST (18:00 UTC) to Sunday 06:00 CET (05:00 UTC).
  const ServiceState open = StateAt(NightService(), Utc(2026y / October / 24, 23));
  EXPECT_TRUE(open.open);
  EXPECT_EQ(open.changes_at, Utc(2026y / October / 25, 5));
}

TEST(OpeningHoursTest, AClosedHolidayKeepsTheNightBeforeAndNamesItself) {
  OpeningHours hours = NightService();
  hours.exceptions.push_back({.date = "2026-12-24", .label = "Kerstavond", .spans = {}});
  ASSERT_TRUE(Normalise(hours));

  // Wednesday 23 December's night still runs into the morning of the 24th.
  const ServiceState morning = StateAt(hours, Utc(2026y / December / 24, 2));
  EXPECT_TRUE(morning.open);
  EXPECT_EQ(morning.label, "Kerstavond");

  // No opening on the 24th: the next is Friday the 25th at 16:00.
  const ServiceState afternoon = StateAt(hours, Utc(2026y / December / 24, 16));
  EXPECT_FALSE(afternoon.open);
  EXPECT_EQ(afternoon.changes_at, Utc(2026y / December / 25, 15));
  EXPECT_EQ(StateAt(hours, Utc(2026y / December / 25, 16)).label, "");
}

TEST(OpeningHoursTest, AnExceptionCanOpenLongerThanTheWeek) {
  OpeningHours hours = NightService();
  hours.exceptions.push_back({.date = "2026-12-31",
                              .label = "Oudjaar",
                              .spans = {{.open_minute = 12 * 60, .close_minute = 8 * 60}}});
  ASSERT_TRUE(Normalise(hours));
  const ServiceState noon = StateAt(hours, Utc(2026y / December / 31, 11));
  EXPECT_TRUE(noon.open);
  EXPECT_EQ(noon.changes_at, Utc(2027y / January / 1, 7));
}

TEST(OpeningHoursTest, SpansThatTouchMergeIntoOneOpening) {
  OpeningHours hours;
  hours.weekly[2] = {{.open_minute = 9 * 60, .close_minute = 12 * 60},
                     {.open_minute = 12 * 60, .close_minute = 17 * 60}};
  ASSERT_TRUE(Normalise(hours));
  const ServiceState state = StateAt(hours, Utc(2026y / December / 2, 10));
  EXPECT_TRUE(state.open);
  EXPECT_EQ(state.changes_at, Utc(2026y / December / 2, 16));
}

TEST(OpeningHoursTest, AlwaysOpenNeverChangesAndNoHoursNeverOpens) {
  const ServiceState always = StateAt(AlwaysOpen(), Utc(2026y / December / 2, 14));
  EXPECT_TRUE(always.open);
  EXPECT_EQ(always.changes_at, 0);
  const ServiceState never = StateAt(OpeningHours{}, Utc(2026y / December / 2, 14));
  EXPECT_FALSE(never.open);
  EXPECT_EQ(never.changes_at, 0);
}

TEST(OpeningHoursTest, NormaliseRefusesWhatCannotBeMeant) {
  OpeningHours overlap;
  overlap.weekly[0] = {{.open_minute = 16 * 60, .close_minute = 6 * 60},
                       {.open_minute = 18 * 60, .close_minute = 19 * 60}};
  EXPECT_EQ(Normalise(overlap).error().code, core::Errc::invalid_argument);

  OpeningHours too_many;
  for (int i = 0; i < 5; ++i)
    too_many.weekly[1].push_back({.open_minute = i * 60, .close_minute = i * 60 + 30});
  EXPECT_EQ(Normalise(too_many).error().code, core::Errc::invalid_argument);

  OpeningHours out_of_range;
  out_of_range.weekly[1] = {{.open_minute = 0, .close_minute = 1440}};
  EXPECT_EQ(Normalise(out_of_range).error().code, core::Errc::invalid_argument);

  for (const char* date : {"2026-02-30", "2026-13-01", "26-12-01", "2026-1-01", "yesterday"}) {
    OpeningHours bad_date;
    bad_date.exceptions.push_back({.date = date, .label = "", .spans = {}});
    EXPECT_EQ(Normalise(bad_date).error().code, core::Errc::invalid_argument) << date;
  }

  OpeningHours twice;
  twice.exceptions = {{.date = "2026-12-25", .label = "", .spans = {}},
                      {.date = "2026-12-25", .label = "", .spans = {}}};
  EXPECT_EQ(Normalise(twice).error().code, core::Errc::invalid_argument);

  OpeningHours long_label;
  long_label.exceptions.push_back(
      {.date = "2026-12-25", .label = std::string(81, 'x'), .spans = {}});
  EXPECT_EQ(Normalise(long_label).error().code, core::Errc::invalid_argument);
  OpeningHours control;
  control.exceptions.push_back({.date = "2026-12-25", .label = "a\nb", .spans = {}});
  EXPECT_EQ(Normalise(control).error().code, core::Errc::invalid_argument);
}

TEST(OpeningHoursTest, NormaliseSortsExceptionsByDate) {
  OpeningHours hours;
  hours.exceptions = {{.date = "2026-12-26", .label = "b", .spans = {}},
                      {.date = "2024-02-29", .label = "a", .spans = {}}};
  ASSERT_TRUE(Normalise(hours));
  EXPECT_EQ(hours.exceptions[0].date, "2024-02-29");
}

TEST(OpeningHoursTest, ClockTimesReadAndWriteAsHoursAndMinutes) {
  EXPECT_EQ(ParseClock("16:00").value(), 960);
  EXPECT_EQ(ParseClock("00:00").value(), 0);
  EXPECT_EQ(ParseClock("23:59").value(), 1439);
  for (const char* bad : {"24:00", "9:00", "12:60", "ab:cd", "", "12:000"}) {
    EXPECT_FALSE(ParseClock(bad)) << bad;
  }
  EXPECT_EQ(FormatClock(6 * 60 + 5), "06:05");
}

// The default periods (29 days of campaigns, 30 of insights) count back in calendar days: in
// hours, 29 days back from just after midnight after the spring change landed a day early.
TEST(OpeningHoursTest, DaysBeforeAreCalendarDaysAcrossAClockChange) {
  // 2026-04-10 00:30 in Amsterdam (summer time since 29 March).
  EXPECT_EQ(LocalDaysBefore(Utc(2026y / April / 9, 22, 30), 29), "2026-03-12");
  // 2026-11-20 23:30 (winter time since 25 October).
  EXPECT_EQ(LocalDaysBefore(Utc(2026y / November / 20, 22, 30), 29), "2026-10-22");
  EXPECT_EQ(LocalDaysBefore(Utc(2026y / December / 2, 23, 30), 0), "2026-12-03");
}

TEST(OpeningHoursTest, TheLocalDateIsAmsterdams) {
  EXPECT_EQ(LocalDate(Utc(2026y / December / 2, 23, 30)), "2026-12-03");
  EXPECT_EQ(LocalDate(Utc(2026y / December / 2, 22, 59)), "2026-12-02");
}

}  // namespace
}  // namespace uitweg::chat
