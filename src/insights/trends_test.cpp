#include "insights/trends.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace uitweg::insights {
namespace {

Trend MakeTrend(std::string key, std::int64_t count, std::int64_t previous) {
  Trend trend;
  trend.label = key;
  trend.key = std::move(key);
  trend.count = count;
  trend.previous = previous;
  trend.change = count - previous;
  if (previous != 0) {
    trend.relative_change = static_cast<double>(count - previous) / static_cast<double>(previous);
  }
  return trend;
}

std::vector<std::string> Keys(const std::vector<Trend>& trends) {
  std::vector<std::string> keys;
  for (const Trend& trend : trends) keys.push_back(trend.key);
  return keys;
}

TEST(WeekOverWeekTest, ComparesTheWeekWithTheOneBeforeForEveryKey) {
  const std::vector<WeeklyCount> counts = {
      {"debts", "schulden", 11, 30}, {"threats", "dreiging", 11, 12}, {"debts", "", 10, 20},
      {"money", "geld", 10, 15},     {"debts", "schulden", 11, 4},    {"weapons", "wapens", 8, 5},
      {"debts", "schulden", 12, 99},
  };
  const std::vector<Trend> trends = WeekOverWeek(counts, 11);
  ASSERT_EQ(Keys(trends), (std::vector<std::string>{"debts", "money", "threats", "weapons"}));

  EXPECT_EQ(trends[0].label, "schulden");
  EXPECT_EQ(trends[0].count, 34);  // 30 + 4: counts of one week add up
  EXPECT_EQ(trends[0].previous, 20);
  EXPECT_EQ(trends[0].change, 14);
  ASSERT_TRUE(trends[0].relative_change.has_value());
  EXPECT_DOUBLE_EQ(*trends[0].relative_change, 0.7);

  EXPECT_EQ(trends[1].count, 0);
  EXPECT_EQ(trends[1].previous, 15);
  EXPECT_EQ(trends[1].change, -15);
  EXPECT_DOUBLE_EQ(trends[1].relative_change.value_or(0.0), -1.0);

  EXPECT_EQ(trends[2].count, 12);
  EXPECT_EQ(trends[2].previous, 0);
  EXPECT_EQ(trends[2].change, 12);
  EXPECT_FALSE(trends[2].relative_change.has_value());

  EXPECT_EQ(trends[3].label, "wapens");
  EXPECT_EQ(trends[3].count, 0);
  EXPECT_EQ(trends[3].previous, 0);
  EXPECT_EQ(trends[3].change, 0);
  EXPECT_FALSE(trends[3].relative_change.has_value());
}

TEST(WeekOverWeekTest, NoCountsGiveNoTrends) {
  EXPECT_TRUE(WeekOverWeek({}, 11).empty());
}

TEST(LargestRisesTest, OrdersByAbsoluteThenRelativeRiseThenKey) {
  const std::vector<Trend> trends = {
      MakeTrend("a", 40, 20),  // +20, +100 %
      MakeTrend("b", 70, 50),  // +20, +40 %
      MakeTrend("c", 20, 0),   // +20 from nothing
      MakeTrend("d", 60, 30),  // +30
      MakeTrend("e", 70, 50),  // as b
      MakeTrend("f", 15, 14),  // +1
  };
  EXPECT_EQ(Keys(LargestRises(trends, 10, 10)),
            (std::vector<std::string>{"d", "c", "a", "b", "e", "f"}));
  EXPECT_EQ(Keys(LargestRises(trends, 2, 10)), (std::vector<std::string>{"d", "c"}));
  EXPECT_TRUE(LargestRises(trends, 0, 10).empty());
}

TEST(LargestRisesTest, KeepsOnlyRisesBetweenCountsThatMayBeNamed) {
  const std::vector<Trend> trends = {
      MakeTrend("fall", 20, 40),        MakeTrend("steady", 30, 30),
      MakeTrend("small now", 9, 2),     MakeTrend("small before", 40, 3),
      MakeTrend("from nothing", 12, 0), MakeTrend("rise", 25, 10),
  };
  // Not the fall, not the steady count, not 2 → 9 (9 is small) and not 3 → 40 (naming both
  // weeks would name the 3, and the rise gives it away).
  EXPECT_EQ(Keys(LargestRises(trends, 10, 10)), (std::vector<std::string>{"rise", "from nothing"}));
}

TEST(DescribeRiseTest, NamesBothWeeksAndThePercentage) {
  Trend debts = MakeTrend("debts", 34, 20);
  debts.label = "schulden";
  EXPECT_EQ(DescribeRise(debts), "Schulden: 34 deze week, 20 de week ervoor (+70 %).");
}

TEST(DescribeRiseTest, SaysNoneForAnEmptyWeekBefore) {
  Trend debts = MakeTrend("debts", 34, 0);
  debts.label = "schulden";
  EXPECT_EQ(DescribeRise(debts), "Schulden: 34 deze week, de week ervoor geen.");
}

TEST(DescribeRiseTest, RoundsThePercentageAndShowsAFall) {
  EXPECT_EQ(DescribeRise(MakeTrend("geld", 40, 30)),
            "Geld: 40 deze week, 30 de week ervoor (+33 %).");
  EXPECT_EQ(DescribeRise(MakeTrend("geld", 20, 30)),
            "Geld: 20 deze week, 30 de week ervoor (-33 %).");
  EXPECT_EQ(DescribeRise(MakeTrend("geld", 30, 30)),
            "Geld: 30 deze week, 30 de week ervoor (0 %).");
}

TEST(DescribeRiseTest, CapitalisesTheWayDutchDoes) {
  Trend trend = MakeTrend("key", 12, 0);
  trend.label = "ijzersterk aanbod";
  EXPECT_EQ(DescribeRise(trend), "IJzersterk aanbod: 12 deze week, de week ervoor geen.");
  trend.label = "één keer";
  EXPECT_EQ(DescribeRise(trend), "Één keer: 12 deze week, de week ervoor geen.");
  trend.label = "Al hoofdletter";
  EXPECT_EQ(DescribeRise(trend), "Al hoofdletter: 12 deze week, de week ervoor geen.");
  trend.label = "";
  EXPECT_EQ(DescribeRise(trend), "Key: 12 deze week, de week ervoor geen.");
  trend.label = "#hashtag";
  EXPECT_EQ(DescribeRise(trend), "#hashtag: 12 deze week, de week ervoor geen.");
}

}  // namespace
}  // namespace uitweg::insights
