#include "core/clock.hpp"

#include <gtest/gtest.h>

namespace uitweg::core {
namespace {

TEST(ClockTest, FormatsUtcWithMillis) {
  EXPECT_EQ(FormatIso8601(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(1'700'000'000'123), "2023-11-14T22:13:20.123Z");
}

TEST(ClockTest, ManualClockMovesOnlyWhenTold) {
  ManualClock clock(1000);
  EXPECT_EQ(clock.Now(), 1000);
  clock.Advance(250);
  EXPECT_EQ(clock.Now(), 1250);
}

}  // namespace
}  // namespace uitweg::core
