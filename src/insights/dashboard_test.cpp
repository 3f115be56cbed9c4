#include "insights/dashboard.hpp"

#include <gtest/gtest.h>

namespace uitweg::insights {
namespace {

constexpr std::int64_t kMonday = 20'773;  // 2026-11-16

class FakeInsights : public store::InsightsStore {
 public:
  std::vector<store::CampaignFunnel> funnel;
  std::vector<store::HourCounts> hours;
  std::vector<store::DurationCount> first_response, abandoned_wait, length;
  std::vector<store::AnswerCount> answers;
  store::ShiftCounts shifts;
  std::vector<store::FeedbackCount> feedback;
  store::InsightsFilter seen;

  core::Result<std::vector<store::CampaignFunnel>> ReadFunnel(
      const store::InsightsFilter& filter) override {
    seen = filter;
    return funnel;
  }
  core::Result<std::vector<store::HourCounts>> ReadHours(const store::InsightsFilter&) override {
    return hours;
  }
  core::Result<std::vector<store::DurationCount>> ReadDurations(const store::InsightsFilter&,
                                                                store::DurationKind kind) override {
    switch (kind) {
      case store::DurationKind::first_response: return first_response;
      case store::DurationKind::abandoned_wait: return abandoned_wait;
      case store::DurationKind::length: return length;
    }
    return std::vector<store::DurationCount>{};
  }
  core::Result<std::vector<store::AnswerCount>> ReadAnswers(const store::InsightsFilter&) override {
    return answers;
  }
  core::Result<store::ShiftCounts> ReadShifts(const store::InsightsFilter&) override {
    return shifts;
  }
  core::Result<std::vector<store::FeedbackCount>> ReadFeedback(std::int64_t,
                                                               std::int64_t) override {
    return feedback;
  }
};

class FakeCampaigns : public store::CampaignStore {
 public:
  std::vector<store::CampaignCount> counts;
  std::string first_day, last_day;

  core::Status CreateCampaign(const store::Campaign&) override { return {}; }
  core::Result<bool> RetireCampaign(std::string_view, core::UnixMillis) override { return true; }
  core::Result<std::vector<store::Campaign>> ListCampaigns() override {
    return std::vector<store::Campaign>{};
  }
  core::Result<std::optional<store::Campaign>> FindCampaign(std::string_view) override {
    return std::optional<store::Campaign>{};
  }
  core::Status CountCampaignEvent(std::string_view, std::string_view, std::string_view) override {
    return {};
  }
  core::Result<std::vector<store::CampaignCount>> ReadCampaignCounts(
      std::string_view first, std::string_view last) override {
    first_day = first;
    last_day = last;
    return counts;
  }
};

model::RegistrationForm Form() {
  model::RegistrationForm form;
  form.fields.push_back(
      {"topics",
       model::FieldType::choices,
       true,
       {"Onderwerpen", "Topics"},
       {{"debts", {"Schulden", "Debts"}}, {"threats", {"Bedreiging", "Threats"}}}});
  form.fields.push_back({"region", model::FieldType::place, false, {"Gemeente", "Region"}, {}});
  return form;
}

struct Fixture {
  FakeInsights insights;
  FakeCampaigns campaigns;
  std::vector<store::WeekCount> outreach;
  std::pair<std::string, std::string> outreach_weeks;
  model::RegistrationForm form = Form();

  Dashboard Read(const DashboardQuery& query) {
    DashboardReader reader(
        insights, campaigns,
        [this](std::string_view first,
               std::string_view last) -> core::Result<std::vector<store::WeekCount>> {
          outreach_weeks = {std::string(first), std::string(last)};
          return outreach;
        },
        form, 10);
    auto dashboard = reader.Read(query);
    EXPECT_TRUE(dashboard.has_value());
    return dashboard.has_value() ? *dashboard : Dashboard{};
  }
};

DashboardQuery TwoWeeks() {
  return {.first_day = kMonday - 7, .last_day = kMonday + 6};
}

std::optional<std::int64_t> Step(const std::vector<FunnelStep>& steps, std::string_view id) {
  for (const FunnelStep& step : steps) {
    if (step.id == id) return step.count;
  }
  ADD_FAILURE() << "no step " << id;
  return std::nullopt;
}

TEST(DayNamesTest, DaysWeeksAndIsoWeeks) {
  EXPECT_EQ(DayName(0), "1970-01-01");
  EXPECT_EQ(DayName(kMonday), "2026-11-16");
  EXPECT_EQ(WeekStart(kMonday + 6), kMonday);
  EXPECT_EQ(WeekStart(kMonday), kMonday);
  EXPECT_EQ(WeekStart(0), -3);  // Thursday 1 January 1970; its Monday was 29 December 1969
  EXPECT_EQ(IsoWeekOfDay(kMonday), "2026-W47");
  EXPECT_EQ(IsoWeekOfDay(20'450), "2025-W52");  // Sunday 28 December 2025
  EXPECT_EQ(IsoWeekOfDay(20'451), "2026-W01");  // Monday 29 December 2025
  EXPECT_EQ(IsoWeekOfDay(20'818), "2026-W53");  // Thursday 31 December 2026
}

TEST(DashboardTest, FunnelAddsCampaignsAndTakesVisitsFromTheCounters) {
  Fixture f;
  f.insights.funnel = {{"", {.started = 5, .held = 4, .registered = 4}},
                       {"tiktok",
                        {.started = 20,
                         .held = 15,
                         .registered = 14,
                         .criminal_involvement = 9,
                         .exploitation_signals = 3,
                         .referrals_proposed = 2,
                         .referrals_completed = 1}}};
  f.campaigns.counts = {{"2026-11-10", "tiktok", "visit", 100},
                        {"2026-11-11", "", "visit", 40},
                        {"2026-11-11", "tiktok", "chat_started", 20},
                        {"2026-11-12", "poster", "visit", 7}};
  const Dashboard dashboard = f.Read(TwoWeeks());
  EXPECT_EQ(f.campaigns.first_day, "2026-11-09");
  EXPECT_EQ(f.campaigns.last_day, "2026-11-22");
  EXPECT_EQ(Step(dashboard.funnel, "visits"), 147);
  EXPECT_EQ(Step(dashboard.funnel, "started"), 25);
  EXPECT_EQ(Step(dashboard.funnel, "held"), 19);
  EXPECT_EQ(Step(dashboard.funnel, "criminal_involvement"), 9);
  EXPECT_EQ(Step(dashboard.funnel, "referrals_completed"), 1);
  EXPECT_EQ(dashboard.registered, 18);
  ASSERT_EQ(dashboard.campaigns.size(), 3u);  // "", poster (visits only), tiktok
  EXPECT_EQ(dashboard.campaigns[1].campaign, "poster");
  EXPECT_EQ(Step(dashboard.campaigns[1].steps, "visits"), 7);
  EXPECT_EQ(Step(dashboard.campaigns[1].steps, "started"), 0);
  EXPECT_EQ(Step(dashboard.campaigns[2].steps, "visits"), 100);
}

TEST(DashboardTest, OneCampaignCountsOnlyItsVisitsAndARegionHasNone) {
  Fixture f;
  f.campaigns.counts = {{"2026-11-10", "tiktok", "visit", 100}, {"2026-11-11", "", "visit", 40}};
  DashboardQuery query = TwoWeeks();
  query.campaign = "tiktok";
  EXPECT_EQ(Step(f.Read(query).funnel, "visits"), 100);
  EXPECT_EQ(f.insights.seen.campaign, "tiktok");
  query.campaign.reset();
  query.regions = {"Utrecht"};
  const Dashboard dashboard = f.Read(query);
  EXPECT_EQ(Step(dashboard.funnel, "visits"), std::nullopt);
  EXPECT_EQ(f.insights.seen.regions, std::vector<std::string>{"Utrecht"});
}

TEST(DashboardTest, DurationsGiveMedianNinetiethPercentileAndBands) {
  Fixture f;
  // 10 conversations: 4 answered in 10 s, 4 in 45 s, 1 in 200 s, 1 in 7200 s.
  f.insights.first_response = {{10, 4}, {45, 4}, {200, 1}, {7200, 1}};
  f.insights.abandoned_wait = {{90, 2}};
  const Dashboard dashboard = f.Read(TwoWeeks());
  EXPECT_EQ(dashboard.first_response.count, 10);
  EXPECT_EQ(dashboard.first_response.median, 45);
  EXPECT_EQ(dashboard.first_response.p90, 200);
  EXPECT_EQ(dashboard.abandoned_wait.median, 90);
  EXPECT_EQ(dashboard.length.count, 0);
  ASSERT_EQ(dashboard.waiting.size(), 9u);
  EXPECT_EQ(dashboard.waiting[0].held, 4);       // < 30 s
  EXPECT_EQ(dashboard.waiting[1].held, 4);       // 30 s – 1 min
  EXPECT_EQ(dashboard.waiting[2].abandoned, 2);  // 1 – 2 min
  EXPECT_EQ(dashboard.waiting[3].held, 1);       // 2 – 5 min
  EXPECT_EQ(dashboard.waiting[8].held, 1);       // an hour or more
}

TEST(DashboardTest, HoursFallIntoHourOfDayAndWeekday) {
  Fixture f;
  const std::int64_t monday_3am = kMonday * 24 + 3;
  f.insights.hours = {{monday_3am, 2, 1, 1}, {monday_3am + 24 * 6 + 20, 5, 5, 0}};  // Sunday 23:00
  const Dashboard dashboard = f.Read(TwoWeeks());
  EXPECT_EQ(dashboard.by_hour[3].started, 2);
  EXPECT_EQ(dashboard.by_hour[23].started, 5);
  EXPECT_EQ(dashboard.by_weekday[0].abandoned, 1);
  EXPECT_EQ(dashboard.by_weekday[6].held, 5);
}

TEST(DashboardTest, RegistrationsCountEveryOptionAndNamePlaces) {
  Fixture f;
  f.insights.answers = {{kMonday, "topics", "debts", 3},
                        {kMonday + 1, "topics", "debts", 2},
                        {kMonday, "region", "Utrecht", 4},
                        {kMonday, "region", "Zwolle", 6}};
  const Dashboard dashboard = f.Read(TwoWeeks());
  ASSERT_EQ(dashboard.registrations.size(), 2u);
  const FieldCounts& topics = dashboard.registrations[0];
  ASSERT_EQ(topics.options.size(), 2u);
  EXPECT_EQ(topics.options[0].label, "Schulden");
  EXPECT_EQ(topics.options[0].count, 5);
  EXPECT_EQ(topics.options[1].count, 0);
  const FieldCounts& regions = dashboard.registrations[1];
  ASSERT_EQ(regions.options.size(), 2u);
  EXPECT_EQ(regions.options[0].id, "Zwolle");  // most first
}

TEST(DashboardTest, NamesTheLargestRiseOfTheLastWholeWeekAboveTheThreshold) {
  Fixture f;
  f.insights.answers = {{kMonday - 7, "topics", "debts", 10},
                        {kMonday + 2, "topics", "debts", 25},
                        {kMonday - 6, "topics", "threats", 1},
                        {kMonday + 3, "topics", "threats", 9},
                        {kMonday + 1, "region", "Zwolle", 12}};
  const Dashboard dashboard = f.Read(TwoWeeks());
  EXPECT_EQ(dashboard.trend_week, "2026-11-16");
  ASSERT_EQ(dashboard.rises.size(), 2u);  // threats: 9 is under the threshold of 10
  EXPECT_EQ(dashboard.rises[0].field, "topics");
  EXPECT_EQ(dashboard.rises[0].trend.key, "debts");
  EXPECT_EQ(dashboard.rises[0].sentence, "Schulden: 25 deze week, 10 de week ervoor (+150 %).");
  EXPECT_EQ(dashboard.rises[1].trend.key, "Zwolle");
}

TEST(DashboardTest, NoTrendWithoutTwoWholeWeeks) {
  Fixture f;
  f.insights.answers = {{kMonday, "topics", "debts", 50}};
  DashboardQuery query = TwoWeeks();
  query.last_day = kMonday + 5;  // a Saturday: the last whole week is the first one
  const Dashboard dashboard = f.Read(query);
  EXPECT_EQ(dashboard.trend_week, "");
  EXPECT_TRUE(dashboard.rises.empty());
}

TEST(DashboardTest, FeedbackAndOutreachPerWeek) {
  Fixture f;
  f.insights.feedback = {{kMonday - 5, "yes", "maybe", 3},
                         {kMonday + 1, "no", "", 1},
                         {kMonday + 2, "somewhat", "yes", 2}};
  f.outreach = {
      {"2026-W46", "money_mule", 4}, {"2026-W47", "drugs", 2}, {"2026-W47", "money_mule", 1}};
  const Dashboard dashboard = f.Read(TwoWeeks());
  ASSERT_EQ(dashboard.feedback.size(), 2u);
  EXPECT_EQ(dashboard.feedback[0].week, "2026-11-09");
  EXPECT_EQ(dashboard.feedback[0].helped, (std::array<std::int64_t, 3>{3, 0, 0}));
  EXPECT_EQ(dashboard.feedback[0].would_return, (std::array<std::int64_t, 3>{0, 3, 0}));
  EXPECT_EQ(dashboard.feedback[1].helped, (std::array<std::int64_t, 3>{0, 2, 1}));
  EXPECT_EQ(dashboard.feedback[1].would_return, (std::array<std::int64_t, 3>{2, 0, 0}));
  EXPECT_EQ(f.outreach_weeks, (std::pair<std::string, std::string>{"2026-W46", "2026-W47"}));
  EXPECT_EQ(dashboard.outreach_categories, (std::vector<std::string>{"drugs", "money_mule"}));
  ASSERT_EQ(dashboard.outreach.size(), 2u);
  EXPECT_EQ(dashboard.outreach[0].counts, (std::vector<std::int64_t>{0, 4}));
  EXPECT_EQ(dashboard.outreach[1].counts, (std::vector<std::int64_t>{2, 1}));
}

}  // namespace
}  // namespace uitweg::insights
