#include "insights/partners.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>

#include "insights/dashboard.hpp"

namespace uitweg::insights {
namespace {

// Settings in memory; `before_conditional_write` runs before each WriteSettingIf, as another
// node's write landing between this one's read and its write.
class MemorySettings : public store::SettingStore {
 public:
  std::function<void()> before_conditional_write;

  core::Result<std::optional<store::Setting>> ReadSetting(std::string_view name) override {
    const auto found = values_.find(name);
    if (found == values_.end()) return std::optional<store::Setting>();
    return std::optional<store::Setting>(found->second);
  }
  core::Status WriteSetting(std::string_view name, std::string_view value,
                            core::UnixMillis now) override {
    values_.insert_or_assign(std::string(name), store::Setting{std::string(value), now});
    return {};
  }
  core::Result<bool> WriteSettingIf(std::string_view name, std::string_view value,
                                    std::optional<std::string_view> expected,
                                    core::UnixMillis now) override {
    if (before_conditional_write) std::exchange(before_conditional_write, nullptr)();
    const auto found = values_.find(name);
    const bool current = found == values_.end()
                             ? !expected.has_value()
                             : expected.has_value() && found->second.value == *expected;
    if (!current) return false;
    UITWEG_TRY(WriteSetting(name, value, now));
    return true;
  }

 private:
  std::map<std::string, store::Setting, std::less<>> values_;
};

// No conversations at all; remembers the latest end of a period it was asked to count.
class EmptyInsights : public store::InsightsStore {
 public:
  core::UnixMillis latest_funnel_end = 0;

  core::Result<std::vector<store::CampaignFunnel>> ReadFunnel(
      const store::InsightsFilter& filter) override {
    latest_funnel_end = std::max(latest_funnel_end, filter.to);
    return std::vector<store::CampaignFunnel>{};
  }
  core::Result<std::vector<store::HourCounts>> ReadHours(const store::InsightsFilter&) override {
    return std::vector<store::HourCounts>{};
  }
  core::Result<std::vector<store::DurationCount>> ReadDurations(const store::InsightsFilter&,
                                                                store::DurationKind) override {
    return std::vector<store::DurationCount>{};
  }
  core::Result<std::vector<store::AnswerCount>> ReadAnswers(const store::InsightsFilter&) override {
    return std::vector<store::AnswerCount>{};
  }
  core::Result<store::ShiftCounts> ReadShifts(const store::InsightsFilter&) override {
    return store::ShiftCounts{};
  }
  core::Result<std::vector<store::FeedbackCount>> ReadFeedback(std::int64_t,
                                                               std::int64_t) override {
    return std::vector<store::FeedbackCount>{};
  }
};

struct ReportsFixture {
  explicit ReportsFixture(std::int64_t settle_days = 1) : reports{settings, builder, settle_days} {
    EXPECT_TRUE(
        reports.Save({{.name = "rotterdam", .label = "Gemeente Rotterdam"}}, std::nullopt, 1'000));
  }

  MemorySettings settings;
  EmptyInsights insights;
  model::RegistrationForm form;
  PartnerReportBuilder builder{insights, form, DisclosureRules{.threshold = 10, .rounding_base = 5},
                               [](std::int64_t day) { return day * 86'400'000; }};
  PartnerReports reports;
};

constexpr std::int64_t kToday = 20'500;

TEST(PartnersTest, ParsesAndWritesTheList) {
  auto partners = ParsePartners(
      R"([{"name":"rotterdam","label":"Gemeente Rotterdam","regions":["Rotterdam","Capelle aan den IJssel"]},
          {"name":"landelijk","label":"Ministerie","regions":[],"trends":false,"methodology":true}])");
  ASSERT_TRUE(partners.has_value()) << partners.error().message;
  ASSERT_EQ(partners->size(), 2u);
  EXPECT_EQ((*partners)[0].regions.size(), 2u);
  EXPECT_TRUE((*partners)[0].trends);
  EXPECT_FALSE((*partners)[1].trends);
  EXPECT_FALSE((*partners)[0].methodology) << "review scores only where an admin allows them";
  EXPECT_TRUE((*partners)[1].methodology);
  EXPECT_TRUE((*partners)[1].regions.empty());
  auto again = ParsePartners(PartnersJson(*partners));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(PartnersJson(*again), PartnersJson(*partners));
}

TEST(PartnersTest, RefusesWhatIsNotAPartnerNamingTheProblem) {
  const std::pair<const char*, const char*> cases[] = {
      {"{}", "a JSON array"},
      {"[1]", "partner 1 is not an object"},
      {R"([{"name":"Rotterdam","label":"x","regions":[]}])", "name is 2 to 40"},
      {R"([{"name":"r","label":"x","regions":[]}])", "name is 2 to 40"},
      {R"([{"name":"ro","label":"","regions":[]}])", "label is 1 to 120"},
      {R"([{"name":"ro","label":"a\nb","regions":[]}])", "label is 1 to 120"},
      {R"([{"name":"ro","label":"x","regions":["3011 AB"]}])", "a region is a place"},
      {R"([{"name":"ro","label":"x","regions":"Rotterdam"}])", "regions is a list"},
      {R"([{"name":"ro","label":"x"}])", "needs a name, a label and regions"},
      {R"([{"name":"ro","label":"x","regions":[],"funnel":1}])", "funnel is true or false"},
      {R"([{"name":"ro","label":"x","regions":[],"email":"a@b"}])", "unknown key email"},
      {R"([{"name":"ro","label":"x","regions":[]},{"name":"ro","label":"y","regions":[]}])",
       "used twice"},
  };
  for (const auto& [json, message] : cases) {
    auto parsed = ParsePartners(json);
    ASSERT_FALSE(parsed.has_value()) << json;
    EXPECT_EQ(parsed.error().code, core::Errc::invalid_argument);
    EXPECT_NE(parsed.error().message.find(message), std::string::npos)
        << json << " -> " << parsed.error().message;
  }
}

TEST(PartnerReportsTest, ASaveOverAListChangedMeanwhileIsRefused) {
  ReportsFixture fixture;
  const PartnerList loaded = fixture.reports.List().value();
  ASSERT_EQ(loaded.partners.size(), 1u);
  ASSERT_FALSE(loaded.version.empty());

  std::vector<Partner> colleagues = loaded.partners;
  colleagues.push_back({.name = "schiedam", .label = "Gemeente Schiedam"});
  ASSERT_TRUE(fixture.reports.Save(colleagues, loaded.version, 2'000));
  const core::Status stale = fixture.reports.Save({}, loaded.version, 3'000);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, core::Errc::aborted);
  const PartnerList now = fixture.reports.List().value();
  EXPECT_EQ(now.partners.size(), 2u) << "the colleague's partner stays";
  EXPECT_NE(now.version, loaded.version);
  EXPECT_TRUE(fixture.reports.Save({}, now.version, 4'000));
  EXPECT_TRUE(fixture.reports.List().value().partners.empty());
}

TEST(PartnerReportsTest, AReportLoggedMeanwhileGuardsTheReportAndStaysInTheLog) {
  ReportsFixture fixture;
  const ReportPeriod january = {kToday - 40, kToday - 10};
  const ReportPeriod overlapping = {kToday - 20, kToday - 1};
  // Another node logs `overlapping` between this report's read of the log and its write.
  fixture.settings.before_conditional_write = [&] {
    ASSERT_TRUE(fixture.settings.WriteSetting("insights.reports.rotterdam",
                                              "[[" + std::to_string(overlapping.first_day) + "," +
                                                  std::to_string(overlapping.last_day) + "]]",
                                              1'500));
  };
  ASSERT_TRUE(fixture.reports.Generate("rotterdam", january, kToday, 2'000));
  EXPECT_EQ(fixture.insights.latest_funnel_end, (overlapping.last_day + 1) * 86'400'000)
      << "built again, guarded by the report logged meanwhile";
  const auto log = fixture.settings.ReadSetting("insights.reports.rotterdam").value();
  ASSERT_TRUE(log.has_value());
  EXPECT_EQ(log->value, "[[" + std::to_string(overlapping.first_day) + "," +
                            std::to_string(overlapping.last_day) + "],[" +
                            std::to_string(january.first_day) + "," +
                            std::to_string(january.last_day) + "]]");
}

TEST(PartnerReportsTest, TheLogSaysWhichReportsShowedTrendWeeks) {
  ReportsFixture fixture;
  const ReportPeriod four_weeks = {kToday - 30, kToday - 3};
  const ReportPeriod three_days = {kToday - 6, kToday - 4};
  ASSERT_TRUE(
      fixture.reports.Save({{.name = "rotterdam", .label = "Gemeente Rotterdam", .trends = false}},
                           fixture.reports.List().value().version, 1'500));
  ASSERT_TRUE(fixture.reports.Generate("rotterdam", four_weeks, kToday, 2'000));
  ASSERT_TRUE(fixture.reports.Generate("rotterdam", three_days, kToday, 2'000));
  const auto entry = [](const ReportPeriod& period, bool trends) {
    return "[" + std::to_string(period.first_day) + "," + std::to_string(period.last_day) +
           (trends ? "]" : ",0]");
  };
  const auto log = [&] {
    return fixture.settings.ReadSetting("insights.reports.rotterdam").value()->value;
  };
  EXPECT_EQ(log(), "[" + entry(four_weeks, false) + "," + entry(three_days, false) + "]");
  // With trends the same four weeks publish their last two: logged anew, last.
  ASSERT_TRUE(fixture.reports.Save({{.name = "rotterdam", .label = "Gemeente Rotterdam"}},
                                   fixture.reports.List().value().version, 2'500));
  ASSERT_TRUE(fixture.reports.Generate("rotterdam", four_weeks, kToday, 3'000));
  ASSERT_TRUE(fixture.reports.Generate("rotterdam", three_days, kToday, 3'000));
  EXPECT_EQ(log(), "[" + entry(three_days, false) + "," + entry(four_weeks, true) + "]")
      << "three days hold no two whole weeks";
}

TEST(PartnerReportsTest, AReportAlreadyLoggedIsNotLoggedTwice) {
  ReportsFixture fixture;
  const ReportPeriod period = {kToday - 7, kToday - 1};
  ASSERT_TRUE(fixture.reports.Generate("rotterdam", period, kToday, 2'000));
  const std::string logged =
      fixture.settings.ReadSetting("insights.reports.rotterdam").value()->value;
  ASSERT_TRUE(fixture.reports.Generate("rotterdam", period, kToday, 3'000));
  EXPECT_EQ(fixture.settings.ReadSetting("insights.reports.rotterdam").value()->value, logged);
  EXPECT_EQ(fixture.reports.Generate("nobody", period, kToday, 3'000).error().code,
            core::Errc::not_found);
}

// A day still running changes: asked for at nine and again at five, the same period would give
// away what came in between. A report ends `settle_days` before today at the latest.
TEST(PartnerReportsTest, AReportEndsDaysThatHaveSettled) {
  ReportsFixture fixture;
  const auto ending = [](std::int64_t last_day) { return ReportPeriod{kToday - 30, last_day}; };
  const auto today = fixture.reports.Generate("rotterdam", ending(kToday), kToday, 2'000);
  ASSERT_FALSE(today);
  EXPECT_EQ(today.error().code, core::Errc::invalid_argument);
  EXPECT_EQ(today.error().message, "a report covers days that have passed: its last day is " +
                                       DayName(kToday - 1) + " at the latest");
  EXPECT_FALSE(fixture.reports.Generate("rotterdam", ending(kToday + 1), kToday, 2'000));
  EXPECT_TRUE(fixture.reports.Generate("rotterdam", ending(kToday - 1), kToday, 2'000));

  ReportsFixture slower(3);
  EXPECT_FALSE(slower.reports.Generate("rotterdam", ending(kToday - 2), kToday, 2'000));
  EXPECT_TRUE(slower.reports.Generate("rotterdam", ending(kToday - 3), kToday, 2'000));
}

}  // namespace
}  // namespace uitweg::insights
