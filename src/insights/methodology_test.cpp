#include "insights/methodology.hpp"

#include <gtest/gtest.h>

#include "insights/dashboard.hpp"

namespace uitweg::insights {
namespace {

constexpr std::int64_t kDay = 24LL * 60 * 60 * 1000;
// 2026-03-01 as a day number, and the offset of winter time in Amsterdam.
constexpr std::int64_t kMarch1 = 20513;
constexpr std::int64_t kOffset = 60LL * 60 * 1000;

model::ReviewRubric Rubric() {
  const std::vector<model::RubricLevel> levels = {
      {1, {"Zwak", "Weak"}}, {2, {"Matig", "Fair"}}, {3, {"Goed", "Good"}}};
  return model::ReviewRubric{
      .version = 1,
      .criteria = {{.id = "contact", .label = {"Contact", "Contact"}, .good = {}, .levels = levels},
                   {.id = "risk",
                    .label = {"Risico", "Risk"},
                    .good = {},
                    .levels = levels,
                    .not_applicable = true}}};
}

// A review of a conversation that ended at local noon of `day`.
model::Review Reviewed(std::int64_t day, model::ReviewScores scores) {
  return model::Review{.conversation_id = "c",
                       .scores = std::move(scores),
                       .ended_at = day * kDay + 12 * 60 * 60 * 1000 - kOffset};
}

TEST(MethodologyTest, ScoresAreCountedPerCriterionAndMonthWithMeanAndDistribution) {
  ASSERT_EQ(DayName(kMarch1), "2026-03-01");
  const std::vector<model::Review> reviews = {
      Reviewed(kMarch1, {{"contact", 3}, {"risk", std::nullopt}}),
      Reviewed(kMarch1 + 5, {{"contact", 1}, {"risk", 2}}),
      Reviewed(kMarch1 + 31, {{"contact", 2}, {"risk", 2}, {"retired", 9}}),
      Reviewed(kMarch1 + 90, {{"contact", 3}, {"risk", 3}}),  // after the range
  };
  const Methodology m = AggregateReviews(Rubric(), reviews,
                                         MethodologyQuery{.first_day = kMarch1 - 3,
                                                          .last_day = kMarch1 + 40,
                                                          .utc_offset_millis = kOffset,
                                                          .kind = ReviewPeriod::month});
  ASSERT_EQ(m.periods.size(), 3u);
  EXPECT_EQ(m.periods[0].period, "2026-02");
  EXPECT_EQ(m.periods[0].reviewed, 0);
  EXPECT_FALSE(m.periods[0].criteria[0].mean.has_value());
  const MethodologyPeriod& march = m.periods[1];
  EXPECT_EQ(march.period, "2026-03");
  EXPECT_EQ(march.reviewed, 2);
  ASSERT_EQ(march.criteria.size(), 2u);
  EXPECT_EQ(march.criteria[0].label, "Contact");
  EXPECT_DOUBLE_EQ(*march.criteria[0].mean, 2.0);
  EXPECT_EQ(march.criteria[0].levels[0].count, 1);
  EXPECT_EQ(march.criteria[0].levels[1].count, 0);
  EXPECT_EQ(march.criteria[0].levels[2].count, 1);
  EXPECT_EQ(march.criteria[0].levels[2].label, "Goed");
  EXPECT_EQ(march.criteria[1].scored, 1);
  EXPECT_EQ(march.criteria[1].not_applicable, 1);
  EXPECT_DOUBLE_EQ(*march.criteria[1].mean, 2.0);
  EXPECT_EQ(m.periods[2].period, "2026-04");
  EXPECT_EQ(m.periods[2].reviewed, 1);
}

TEST(MethodologyTest, WeeksAreIsoWeeks) {
  // 2026-03-01 is a Sunday: the end of week 9; Monday the 2nd starts week 10.
  const std::vector<model::Review> reviews = {Reviewed(kMarch1, {{"contact", 3}}),
                                              Reviewed(kMarch1 + 1, {{"contact", 1}})};
  const Methodology m = AggregateReviews(Rubric(), reviews,
                                         MethodologyQuery{.first_day = kMarch1,
                                                          .last_day = kMarch1 + 1,
                                                          .utc_offset_millis = kOffset,
                                                          .kind = ReviewPeriod::week});
  ASSERT_EQ(m.periods.size(), 2u);
  EXPECT_EQ(m.periods[0].period, "2026-W09");
  EXPECT_EQ(m.periods[1].period, "2026-W10");
  EXPECT_EQ(m.periods[0].reviewed, 1);
  EXPECT_EQ(m.periods[1].reviewed, 1);
}

TEST(MethodologyTest, WithItsDayStartsAReviewCountsOnItsLocalDayAcrossAChangeOfTheClocks) {
  // Amsterdam, March 2026: winter time (UTC+1) until the 29th, summer time (UTC+2) from the
  // 30th. A conversation that ended at 00:30 on April 1st (summer time) is April's.
  constexpr std::int64_t kMarch29 = kMarch1 + 28;
  const auto amsterdam = [](std::int64_t day) {
    return day * kDay - (day <= kMarch29 ? 1 : 2) * 60 * 60 * 1000;
  };
  constexpr std::int64_t kApril1 = kMarch1 + 31;
  const std::vector<model::Review> reviews = {
      model::Review{.conversation_id = "c",
                    .scores = {{"contact", 3}},
                    .ended_at = amsterdam(kApril1) + 30 * 60 * 1000}};
  const MethodologyQuery one_offset{.first_day = kMarch1,
                                    .last_day = kApril1 + 29,
                                    .utc_offset_millis = kOffset,
                                    .kind = ReviewPeriod::month};
  EXPECT_EQ(AggregateReviews(Rubric(), reviews, one_offset).periods[0].reviewed, 1)
      << "winter time's offset puts it on March 31st";
  MethodologyQuery local = one_offset;
  local.day_start = amsterdam;
  const Methodology m = AggregateReviews(Rubric(), reviews, local);
  EXPECT_EQ(m.periods[0].reviewed, 0);
  EXPECT_EQ(m.periods[1].reviewed, 1);
}

TEST(MethodologyTest, APublishedPeriodShowsNothingWhileFewerThanTheThresholdWereReviewed) {
  std::vector<model::Review> reviews;
  for (int i = 0; i < 12; ++i) reviews.push_back(Reviewed(kMarch1, {{"contact", 3}, {"risk", 2}}));
  reviews[0].scores["risk"] = std::nullopt;
  reviews[1].scores["risk"] = std::nullopt;
  reviews[2].scores["risk"] = std::nullopt;
  for (int i = 0; i < 4; ++i) reviews.push_back(Reviewed(kMarch1 + 31, {{"contact", 1}}));
  const Methodology m = AggregateReviews(Rubric(), reviews,
                                         MethodologyQuery{.first_day = kMarch1,
                                                          .last_day = kMarch1 + 40,
                                                          .utc_offset_millis = kOffset,
                                                          .kind = ReviewPeriod::month});
  const auto published =
      PublishMethodology(m, DisclosureRules{.threshold = 10, .rounding_base = 5});
  ASSERT_TRUE(published) << published.error().message;
  EXPECT_EQ(published->periods, (std::vector<std::string>{"2026-03", "2026-04"}));
  EXPECT_EQ(published->reviewed[0].value, 10) << "12 rounded to a multiple of 5";
  EXPECT_FALSE(published->reviewed[1].value.has_value());
  EXPECT_EQ(published->reviewed[1].reason, Suppression::primary);
  ASSERT_EQ(published->means.size(), 4u);
  EXPECT_EQ(published->means[0].value, 3.0);
  EXPECT_FALSE(published->means[1].value.has_value()) << "4 reviews in April";
  EXPECT_EQ(published->means[1].reason, Suppression::primary);
  EXPECT_FALSE(published->means[2].value.has_value()) << "risk was scored 9 times in March";
  EXPECT_EQ(published->means[2].reason, Suppression::primary);
}

}  // namespace
}  // namespace uitweg::insights
