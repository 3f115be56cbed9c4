#include "insights/partner_report.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <regex>

#include "insights/dashboard.hpp"

namespace uitweg::insights {
namespace {

constexpr std::int64_t kDay = 86'400'000;
constexpr std::int64_t kOffset = 3'600'000;  // UTC+1, as Amsterdam in winter
constexpr std::int64_t kDec1 = 20'423;       // 2025-12-01
constexpr std::int64_t kJan1 = 20'454;       // 2026-01-01, a Thursday
constexpr std::int64_t kJan31 = 20'484;
constexpr std::int64_t kFeb1 = 20'485;
constexpr std::int64_t kFeb28 = 20'512;
constexpr std::int64_t kMar1 = 20'513;

core::UnixMillis DayStart(std::int64_t day) {
  return day * kDay - kOffset;
}

// Answers and funnel counts by local day; every query answers for the days of its filter and
// is recorded.
class FakeInsights : public store::InsightsStore {
 public:
  struct DayFunnel {
    std::int64_t day = 0;
    std::string campaign = {};
    store::FunnelCounts counts = {};
  };
  std::vector<DayFunnel> funnel;
  std::vector<store::AnswerCount> answers;
  std::vector<store::InsightsFilter> funnel_filters;
  std::vector<store::InsightsFilter> answer_filters;

  static std::pair<std::int64_t, std::int64_t> Days(const store::InsightsFilter& filter) {
    return {(filter.from + filter.utc_offset_millis) / kDay,
            (filter.to + filter.utc_offset_millis) / kDay};
  }

  core::Result<std::vector<store::CampaignFunnel>> ReadFunnel(
      const store::InsightsFilter& filter) override {
    funnel_filters.push_back(filter);
    const auto [first, end] = Days(filter);
    std::map<std::string, store::FunnelCounts> by_campaign;
    for (const DayFunnel& row : funnel) {
      if (row.day < first || row.day >= end) continue;
      store::FunnelCounts& total = by_campaign[row.campaign];
      total.started += row.counts.started;
      total.held += row.counts.held;
      total.criminal_involvement += row.counts.criminal_involvement;
      total.exploitation_signals += row.counts.exploitation_signals;
      total.referrals_proposed += row.counts.referrals_proposed;
      total.referrals_completed += row.counts.referrals_completed;
    }
    std::vector<store::CampaignFunnel> rows;
    for (const auto& [campaign, counts] : by_campaign) rows.push_back({campaign, counts});
    return rows;
  }
  core::Result<std::vector<store::HourCounts>> ReadHours(const store::InsightsFilter&) override {
    return std::vector<store::HourCounts>{};
  }
  core::Result<std::vector<store::DurationCount>> ReadDurations(const store::InsightsFilter&,
                                                                store::DurationKind) override {
    return std::vector<store::DurationCount>{};
  }
  core::Result<std::vector<store::AnswerCount>> ReadAnswers(
      const store::InsightsFilter& filter) override {
    answer_filters.push_back(filter);
    const auto [first, end] = Days(filter);
    std::vector<store::AnswerCount> rows;
    for (const store::AnswerCount& answer : answers) {
      if (answer.day >= first && answer.day < end) rows.push_back(answer);
    }
    return rows;
  }
  core::Result<store::ShiftCounts> ReadShifts(const store::InsightsFilter&) override {
    return store::ShiftCounts{};
  }
  core::Result<std::vector<store::FeedbackCount>> ReadFeedback(std::int64_t,
                                                               std::int64_t) override {
    return std::vector<store::FeedbackCount>{};
  }
};

model::RegistrationForm Form() {
  model::RegistrationForm form;
  form.fields.push_back({"who",
                         model::FieldType::choice,
                         true,
                         {"Wie", "Who"},
                         {{"young_person", {"Jongere", "Young person"}},
                          {"professional", {"Professional", "Professional"}},
                          {"relative", {"Familie, \"vriend\"", "Relative"}}}});
  form.fields.push_back({"region", model::FieldType::place, false, {"Gemeente", "Region"}, {}});
  form.fields.push_back(
      {"topics",
       model::FieldType::choices,
       true,
       {"Onderwerpen", "Topics"},
       {{"debts", {"Schulden", "Debts"}}, {"threats", {"Bedreiging", "Threats"}}}});
  form.fields.push_back({"crime",
                         model::FieldType::choices,
                         false,
                         {"Criminaliteit", "Crime"},
                         {{"drugs", {"Drugs", "Drugs"}}, {"theft", {"Diefstal", "Theft"}}}});
  return form;
}

Partner Rotterdam() {
  return {.name = "rotterdam", .label = "Gemeente Rotterdam", .regions = {"Rotterdam"}};
}

constexpr ReportPeriod kJanFeb = {kJan1, kFeb28};
constexpr ReportPeriod kJanuary = {kJan1, kJan31};

struct Fixture {
  FakeInsights insights;
  model::RegistrationForm form = Form();
  DisclosureRules rules = {.threshold = 10, .rounding_base = 5};

  core::Result<PartnerReport> TryBuild(const Partner& partner, ReportPeriod period,
                                       std::vector<ReportPeriod> earlier = {},
                                       std::vector<ReportPeriod> earlier_trend_weeks = {}) {
    const PartnerReportBuilder builder(insights, form, rules, DayStart);
    return builder.Build(partner, period, earlier, 1'775'000'000'000, earlier_trend_weeks);
  }
  PartnerReport Build(const Partner& partner, ReportPeriod period,
                      std::vector<ReportPeriod> earlier = {},
                      std::vector<ReportPeriod> earlier_trend_weeks = {}) {
    auto report = TryBuild(partner, period, std::move(earlier), std::move(earlier_trend_weeks));
    EXPECT_TRUE(report.has_value());
    return report.has_value() ? *report : PartnerReport{};
  }
  void Answer(std::int64_t day, std::string field, std::string value, std::int64_t count) {
    insights.answers.push_back({day, std::move(field), std::move(value), count});
  }
};

const ReportTable& Table(const std::vector<ReportTable>& tables, std::string_view id) {
  const auto found = std::find_if(tables.begin(), tables.end(),
                                  [&](const ReportTable& table) { return table.id == id; });
  if (found == tables.end()) {
    ADD_FAILURE() << "no table " << id;
    static const ReportTable kNone;
    return kNone;
  }
  return *found;
}

const PublishedCell& Cell(const ReportTable& table, std::size_t row, std::size_t column) {
  return table.table.cells[row * table.table.columns.size() + column];
}

const PublishedCell& Figure(const PartnerReport& report, std::string_view id) {
  for (const ReportFigure& figure : report.funnel) {
    if (figure.id == id) return figure.value;
  }
  ADD_FAILURE() << "no figure " << id;
  static const PublishedCell kNone;
  return kNone;
}

std::size_t Count(const std::string& text, std::string_view what) {
  std::size_t count = 0;
  for (std::size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + what.size())) {
    ++count;
  }
  return count;
}

bool Hidden(const PublishedCell& cell) {
  return cell.reason != Suppression::none;
}

// No line of the table (row, column, row totals, column totals) has exactly one hidden member,
// so no hidden value is its total minus the shown rest.
void ExpectNoLineGivesAwayOne(const PublishedTable& table) {
  const std::size_t columns = table.columns.size();
  for (std::size_t row = 0; row < table.rows.size(); ++row) {
    int hidden = Hidden(table.row_totals[row]) ? 1 : 0;
    for (std::size_t column = 0; column < columns; ++column) {
      hidden += Hidden(table.cells[row * columns + column]) ? 1 : 0;
    }
    EXPECT_NE(hidden, 1) << "row " << table.rows[row];
  }
  for (std::size_t column = 0; column < columns; ++column) {
    int hidden = Hidden(table.column_totals[column]) ? 1 : 0;
    for (std::size_t row = 0; row < table.rows.size(); ++row) {
      hidden += Hidden(table.cells[row * columns + column]) ? 1 : 0;
    }
    EXPECT_NE(hidden, 1) << "column " << table.columns[column];
  }
}

TEST(PartnerReportTest, NoSmallCountIsShownAnywhere) {
  Fixture f;
  f.rules.rounding_base = 1;  // so that a small count would show as itself
  f.Answer(kJan1 + 4, "who", "young_person", 30);
  f.Answer(kFeb1 + 2, "who", "young_person", 4);
  f.Answer(kJan1 + 6, "who", "professional", 2);
  f.Answer(kFeb1 + 9, "who", "professional", 25);
  f.Answer(kJan1 + 8, "who", "relative", 12);
  f.Answer(kJan1 + 4, "region", "Rotterdam", 40);
  f.Answer(kFeb1 + 2, "region", "Rotterdam", 3);
  f.Answer(kJan1 + 20, "topics", "debts", 7);
  f.Answer(kFeb1 + 20, "topics", "threats", 9);
  f.insights.funnel = {{kJan1 + 3, "", {.started = 44, .held = 40, .referrals_completed = 6}}};
  const PartnerReport report = f.Build(Rotterdam(), kJanFeb);

  const ReportTable& who = Table(report.registrations, "who");
  EXPECT_EQ(Cell(who, 0, 1).reason, Suppression::primary);  // young_person, February: 4
  EXPECT_EQ(Cell(who, 1, 0).reason, Suppression::primary);  // professional, January: 2
  EXPECT_EQ(Figure(report, "referrals_completed").reason, Suppression::primary);
  EXPECT_EQ(Figure(report, "started").value, 44);
  for (const ReportTable& table : report.registrations) ExpectNoLineGivesAwayOne(table.table);

  const std::string csv = RenderCsv(report);
  EXPECT_NE(csv.find("registraties,Wie,Jongere,2026-02,<10\r\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("registraties,Wie,Professional,2026-01,<10\r\n"), std::string::npos);
  EXPECT_NE(csv.find("trechter,,Doorverwijzing afgerond,,<10\r\n"), std::string::npos);
  // Every value in the CSV is hidden, 0 or at least the threshold.
  const std::regex line(R"(([^\r\n]*),([^,\r\n]*)\r\n)");
  std::size_t values = 0;
  for (auto it = std::sregex_iterator(csv.begin(), csv.end(), line); it != std::sregex_iterator();
       ++it) {
    const std::string value = (*it)[2];
    if (value == "waarde" || value == "<10" || value == "x") continue;
    ++values;
    const long long number = std::stoll(value);
    EXPECT_TRUE(number == 0 || number >= 10) << (*it)[0];
  }
  EXPECT_GT(values, 10U);
}

TEST(PartnerReportTest, SecondarySuppressionHidesTheOtherCellOfARowWithAShownTotal) {
  Fixture f;
  f.Answer(kJan1 + 4, "who", "young_person", 30);
  f.Answer(kFeb1 + 2, "who", "young_person", 4);
  f.Answer(kJan1 + 6, "who", "professional", 20);
  f.Answer(kFeb1 + 9, "who", "professional", 25);
  f.Answer(kJan1 + 8, "who", "relative", 12);
  f.Answer(kFeb1 + 8, "who", "relative", 15);
  const PartnerReport report = f.Build(Rotterdam(), kJanFeb);
  const ReportTable& who = Table(report.registrations, "who");
  EXPECT_EQ(Cell(who, 0, 1).reason, Suppression::primary);
  EXPECT_EQ(Cell(who, 0, 0).reason, Suppression::secondary);
  EXPECT_EQ(who.table.row_totals[0].value, 35);  // 34, rounded
  ExpectNoLineGivesAwayOne(who.table);
}

TEST(PartnerReportTest, DifferenceWithAnEarlierOverlappingReportIsSuppressed) {
  Fixture f;
  f.Answer(kJan1 + 4, "who", "young_person", 30);
  f.Answer(kFeb1 + 4, "who", "young_person", 30);
  f.Answer(kJan1 + 6, "who", "professional", 20);
  f.Answer(kFeb1 + 9, "who", "professional", 3);
  f.insights.funnel = {
      {kJan1 + 9, "", {.started = 40, .held = 30, .referrals_completed = 12}},
      {kFeb1 + 9, "tiktok", {.started = 15, .held = 12, .referrals_completed = 2}}};

  // Jan–Feb after January: February alone is the difference.
  const PartnerReport after = f.Build(Rotterdam(), kJanFeb, {kJanuary});
  const ReportTable& who = Table(after.registrations, "who");
  EXPECT_EQ(Cell(who, 1, 1).reason, Suppression::primary);
  EXPECT_EQ(who.table.row_totals[1].reason, Suppression::difference);
  ExpectNoLineGivesAwayOne(who.table);
  EXPECT_EQ(Figure(after, "referrals_completed").reason, Suppression::difference);
  EXPECT_EQ(Figure(after, "started").value, 55);
  // The funnel was read for the period and for February (X\Y); Y\X is empty and not read.
  ASSERT_EQ(f.insights.funnel_filters.size(), 2U);
  EXPECT_EQ(f.insights.funnel_filters[1].from, DayStart(kFeb1));
  EXPECT_EQ(f.insights.funnel_filters[1].to, DayStart(kMar1));
  EXPECT_NE(RenderCsv(after).find("registraties,Wie,Professional,totaal,x\r\n"), std::string::npos);

  // The same period published before, or a period that does not overlap, does not count.
  for (const ReportPeriod earlier : {kJanFeb, ReportPeriod{kDec1, kJan1 - 1}}) {
    const PartnerReport again = f.Build(Rotterdam(), kJanFeb, {earlier});
    EXPECT_EQ(Table(again.registrations, "who").table.row_totals[1].value, 25);  // 23, rounded
    EXPECT_EQ(Figure(again, "referrals_completed").value, 15);                   // 14, rounded
  }
}

TEST(PartnerReportTest, WhatEarlierReportsGiveAwayTogetherIsSuppressed) {
  Fixture f;
  f.Answer(kJan1 + 4, "who", "professional", 20);
  f.Answer(kJan1 + 14, "who", "professional", 20);
  f.Answer(kJan1 + 20, "who", "professional", 2);
  f.insights.funnel = {{kJan1 + 4, "", {.started = 20}},
                       {kJan1 + 14, "", {.started = 20}},
                       {kJan1 + 20, "", {.started = 2}}};
  const ReportPeriod first_ten = {kJan1, kJan1 + 9};
  const ReportPeriod next_ten = {kJan1 + 10, kJan1 + 19};
  const ReportPeriod twenty_one = {kJan1, kJan1 + 20};

  // Each earlier report on its own leaves 22 to subtract; both together leave January 21st: 2.
  const PartnerReport report = f.Build(Rotterdam(), twenty_one, {first_ten, next_ten});
  EXPECT_EQ(Figure(report, "started").reason, Suppression::difference);
  const ReportTable& who = Table(report.registrations, "who");
  EXPECT_EQ(Cell(who, 1, 0).reason, Suppression::difference);
  ExpectNoLineGivesAwayOne(who.table);

  // With January 1–10 and 11–25, what 1–21 gives away is 11–21 and 22–25: 22 and none.
  const PartnerReport past =
      f.Build(Rotterdam(), twenty_one, {first_ten, {kJan1 + 10, kJan1 + 24}});
  EXPECT_EQ(Figure(past, "started").value, 40);  // 42, rounded
  EXPECT_EQ(Cell(Table(past.registrations, "who"), 1, 0).value, 40);
  // Reported whole before, or adding up from earlier reports, it is known already.
  const PartnerReport known = f.Build(Rotterdam(), {kJan1, kJan1 + 19}, {first_ten, next_ten});
  EXPECT_EQ(Figure(known, "started").value, 40);
}

TEST(PartnerReportTest, APeriodJoiningTooManyEarlierReportsToCheckIsRefused) {
  Fixture f;
  // Two chains of 64 one-day reports; a period from the end of one to the end of the other
  // would make 65 × 65 runs of days known.
  std::vector<ReportPeriod> earlier;
  for (std::int64_t day = 0; day < 64; ++day) {
    earlier.push_back({kJan1 + day, kJan1 + day});
    earlier.push_back({kJan1 + 100 + day, kJan1 + 100 + day});
  }
  const auto refused = f.TryBuild(Rotterdam(), {kJan1 + 64, kJan1 + 163}, earlier);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, core::Errc::failed_precondition);
  EXPECT_TRUE(f.TryBuild(Rotterdam(), {kJan1 + 64, kJan1 + 90}, earlier).has_value());
}

TEST(PartnerReportTest, DifferenceWithinAMonthColumnSuppressesTheCell) {
  Fixture f;
  f.Answer(kJan1 + 4, "who", "young_person", 20);
  f.Answer(kJan1 + 19, "who", "young_person", 3);  // 20 January: after the earlier report
  f.Answer(kFeb1 + 4, "who", "young_person", 30);
  f.Answer(kJan1 + 4, "who", "professional", 40);
  f.Answer(kFeb1 + 4, "who", "professional", 40);
  const PartnerReport report = f.Build(Rotterdam(), kJanFeb, {{kJan1, kJan1 + 14}});
  const ReportTable& who = Table(report.registrations, "who");
  EXPECT_EQ(Cell(who, 0, 0).reason, Suppression::difference);  // January: 23 - 20
  ExpectNoLineGivesAwayOne(who.table);
}

// An earlier report over 20 December to 31 January showed "professional" 25 in all (its
// December, 5, hidden); January alone shown as 20 would give December away. The days that this
// report has no month column for count in its checks' totals all the same.
TEST(PartnerReportTest, AnEarlierReportsDaysOutsideTheseMonthsCountInTheDifferencesTotals) {
  Fixture f;
  f.Answer(kJan1 - 5, "who", "professional", 5);
  f.Answer(kJan1 + 9, "who", "professional", 20);
  f.Answer(kJan1 + 9, "who", "young_person", 40);
  f.Answer(kJan1 - 5, "who", "young_person", 40);
  const PartnerReport report = f.Build(Rotterdam(), kJanuary, {{kJan1 - 12, kJan31}});
  const ReportTable& who = Table(report.registrations, "who");
  EXPECT_EQ(who.table.row_totals[1].reason, Suppression::difference);
  EXPECT_TRUE(Hidden(Cell(who, 1, 0))) << "January's professionals are that total";
  ExpectNoLineGivesAwayOne(who.table);
  const PartnerReport alone = f.Build(Rotterdam(), kJanuary);
  EXPECT_EQ(Table(alone.registrations, "who").table.row_totals[1].value, 20);
}

TEST(PartnerReportTest, AnswersAreReadOnTheirLocalDayAcrossAChangeOfTheClocks) {
  // Amsterdam, October 2026: summer time (UTC+2) until the 25th, a day of 25 hours, then
  // winter time (UTC+1). One offset cannot put every hour of October on its day.
  constexpr std::int64_t kOct1 = 20'727;
  constexpr std::int64_t kOct25 = 20'751;
  constexpr std::int64_t kOct31 = 20'757;
  const auto amsterdam = [](std::int64_t day) {
    return day * kDay - (day <= kOct25 ? 2 : 1) * 3'600'000;
  };
  Fixture f;
  f.Answer(kOct25, "who", "young_person", 12);
  const PartnerReportBuilder builder(f.insights, f.form, f.rules, amsterdam);
  Partner partner = Rotterdam();
  partner.funnel = false;
  partner.trends = false;
  const auto report = builder.Build(partner, {kOct1, kOct31}, {}, 1'775'000'000'000);
  ASSERT_TRUE(report.has_value());
  const auto& filters = f.insights.answer_filters;
  ASSERT_EQ(filters.size(), 3U) << "summer time, the day of the change alone, winter time";
  EXPECT_EQ(filters[0].from, amsterdam(kOct1));
  EXPECT_EQ(filters[0].to, amsterdam(kOct25));
  EXPECT_EQ(filters[0].utc_offset_millis, 2 * 3'600'000);
  EXPECT_EQ(filters[1].from, amsterdam(kOct25));
  EXPECT_EQ(filters[1].to, amsterdam(kOct25 + 1));
  EXPECT_EQ(filters[1].to - filters[1].from, 25 * 3'600'000);
  EXPECT_EQ(filters[2].from, amsterdam(kOct25 + 1));
  EXPECT_EQ(filters[2].to, amsterdam(kOct31 + 1));
  EXPECT_EQ(filters[2].utc_offset_millis, 3'600'000);
  EXPECT_EQ(Cell(Table(report->registrations, "who"), 0, 0).value, 10);  // 12, rounded
}

TEST(PartnerReportTest, ReadsThePartnersRegionsOnceOverTheUnionOfThePeriods) {
  Fixture f;
  Partner partner = Rotterdam();
  partner.regions = {"Rotterdam", "Schiedam"};
  (void)f.Build(partner, kJanFeb, {{kDec1 + 14, kJan1 + 14}});
  ASSERT_EQ(f.insights.answer_filters.size(), 1U);
  const store::InsightsFilter& answers = f.insights.answer_filters[0];
  EXPECT_EQ(answers.regions, partner.regions);
  EXPECT_FALSE(answers.include_offline);
  EXPECT_FALSE(answers.campaign.has_value());
  EXPECT_EQ(answers.utc_offset_millis, kOffset);
  EXPECT_EQ(answers.from, DayStart(kDec1 + 14));
  EXPECT_EQ(answers.to, DayStart(kMar1));
  ASSERT_FALSE(f.insights.funnel_filters.empty());
  const store::InsightsFilter& funnel = f.insights.funnel_filters[0];
  EXPECT_EQ(funnel.regions, partner.regions);
  EXPECT_FALSE(funnel.include_offline);
  EXPECT_FALSE(funnel.campaign.has_value());
  EXPECT_EQ(funnel.from, DayStart(kJan1));
  EXPECT_EQ(funnel.to, DayStart(kMar1));
  // X\Y (16 January – 28 February) and Y\X (15–31 December).
  ASSERT_EQ(f.insights.funnel_filters.size(), 3U);
  EXPECT_EQ(f.insights.funnel_filters[1].from, DayStart(kJan1 + 15));
  EXPECT_EQ(f.insights.funnel_filters[2].from, DayStart(kDec1 + 14));
  EXPECT_EQ(f.insights.funnel_filters[2].to, DayStart(kJan1));
}

TEST(PartnerReportTest, FunnelHasTheDashboardsLabelsAndNoVisits) {
  Fixture f;
  Partner partner = Rotterdam();
  partner.regions.clear();
  f.insights.funnel = {{kJan1,
                        "",
                        {.started = 100,
                         .held = 80,
                         .criminal_involvement = 50,
                         .exploitation_signals = 30,
                         .referrals_proposed = 20,
                         .referrals_completed = 10}}};
  const PartnerReport report = f.Build(partner, kJanuary);
  ASSERT_EQ(report.funnel.size(), 6U);
  for (const ReportFigure& figure : report.funnel) {
    EXPECT_NE(figure.id, "visits");
    EXPECT_EQ(figure.label, FunnelStepLabel(figure.id));
  }
  EXPECT_EQ(report.funnel[0].id, "started");
  EXPECT_EQ(report.funnel[0].label, "Chats begonnen");
  EXPECT_EQ(Figure(report, "exploitation_signals").value, 30);
}

// Two funnel steps count the "Ja" answers of a registration field: where the field's table hides
// that row's total, the funnel must not show it, or the table's hidden cells follow from it.
TEST(PartnerReportTest, AFunnelStepIsHiddenWhereItsTableHidesTheSameTotal) {
  Fixture f;
  f.rules.rounding_base = 1;
  const std::vector<model::FieldOption> yes_no = {
      {"yes", {"Ja", "Yes"}}, {"no", {"Nee", "No"}}, {"unclear", {"Onduidelijk", "Unclear"}}};
  f.form.fields.push_back({"criminal_involvement",
                           model::FieldType::choice,
                           true,
                           {"Betrokken bij criminaliteit", "Involved in crime"},
                           yes_no});
  f.form.fields.push_back({"exploitation_signals",
                           model::FieldType::choice,
                           true,
                           {"Signalen van uitbuiting", "Signals of exploitation"},
                           yes_no});
  f.Answer(kJan1 + 4, "criminal_involvement", "yes", 12);
  f.Answer(kJan1 + 4, "criminal_involvement", "no", 3);
  f.Answer(kJan1 + 4, "criminal_involvement", "unclear", 15);
  for (const char* answer : {"yes", "no", "unclear"}) {
    f.Answer(kJan1 + 4, "exploitation_signals", answer, 10);
  }
  f.insights.funnel = {
      {kJan1 + 4,
       "",
       {.started = 30, .held = 30, .criminal_involvement = 12, .exploitation_signals = 10}}};
  const PartnerReport report = f.Build(Rotterdam(), kJanuary);

  const ReportTable& involvement = Table(report.registrations, "criminal_involvement");
  ASSERT_EQ(involvement.table.rows.at(0), "Ja");
  EXPECT_EQ(involvement.table.row_totals[0].reason, Suppression::secondary);
  EXPECT_EQ(involvement.table.total.value, 30);
  EXPECT_EQ(Figure(report, "criminal_involvement"),
            (PublishedCell{std::nullopt, Suppression::secondary}))
      << "30 - 15 - 12 would give the hidden 3";
  EXPECT_EQ(Figure(report, "exploitation_signals").value, 10) << "its table shows the same total";
  EXPECT_EQ(Figure(report, "started").value, 30);

  // Without the tables the same: a later report with them could be set beside this one.
  Partner funnel_only = Rotterdam();
  funnel_only.registrations = false;
  funnel_only.trends = false;
  const PartnerReport without_tables = f.Build(funnel_only, kJanuary);
  EXPECT_TRUE(without_tables.registrations.empty());
  EXPECT_EQ(Figure(without_tables, "criminal_involvement").reason, Suppression::secondary);
  EXPECT_EQ(Figure(without_tables, "exploitation_signals").value, 10);
}

TEST(PartnerReportTest, MonthsAreColumnsAndPlacesArePartnersRegionsOrThoseReachingTheThreshold) {
  Fixture f;
  f.Answer(kJan1 + 20, "who", "young_person", 11);
  f.Answer(kFeb1 + 3, "who", "young_person", 12);
  f.Answer(kMar1 + 2, "who", "young_person", 13);
  f.Answer(kMar1 + 20, "who", "young_person", 50);  // after the period
  f.Answer(kFeb1, "region", "Schiedam", 20);
  f.Answer(kJan1 + 20, "region", "'s-Hertogenbosch", 20);
  f.Answer(kMar1, "region", "Rotterdam", 20);
  f.Answer(kDec1 + 20, "region", "Delft", 20);  // only in the earlier report
  f.Answer(kFeb1, "region", "Ede", 3);
  f.rules.rounding_base = 1;
  const PartnerReport report = f.Build(Rotterdam(), {kJan1 + 14, kMar1 + 9}, {{kDec1, kJan31}});
  const ReportTable& who = Table(report.registrations, "who");
  EXPECT_EQ(who.title, "Wie");
  EXPECT_EQ(who.table.columns, (std::vector<std::string>{"2026-01", "2026-02", "2026-03"}));
  EXPECT_EQ(who.table.rows,
            (std::vector<std::string>{"Jongere", "Professional", "Familie, \"vriend\""}));
  EXPECT_EQ(Cell(who, 0, 0).value, 11);
  EXPECT_EQ(Cell(who, 0, 1).value, 12);
  EXPECT_EQ(Cell(who, 0, 2).value, 13);
  EXPECT_EQ(who.table.row_totals[0].value, 36);
  EXPECT_EQ(Table(report.registrations, "region").table.rows,
            (std::vector<std::string>{"Rotterdam"}))
      << "a partner's rows are its regions, whether anyone came from them or not";
  EXPECT_EQ(report.registrations.size(), f.form.fields.size());

  Partner service = Rotterdam();
  service.regions.clear();
  const PartnerReport whole = f.Build(service, {kJan1 + 14, kMar1 + 9});
  const ReportTable& places = Table(whole.registrations, "region");
  EXPECT_EQ(places.table.rows, (std::vector<std::string>{"'s-Hertogenbosch", "Rotterdam",
                                                         "Schiedam", "Overige gemeenten"}))
      << "a place under the threshold is not named";
  EXPECT_EQ(places.table.row_totals[3].value, std::nullopt);
  EXPECT_EQ(places.table.row_totals[3].reason, Suppression::primary);

  const PartnerReport one_month = f.Build(Rotterdam(), {kJan1 + 2, kJan1 + 19});
  EXPECT_EQ(Table(one_month.registrations, "who").table.columns,
            (std::vector<std::string>{"2026-01"}));
}

TEST(PartnerReportTest, TrendsCompareTheLastTwoWholeWeeks) {
  Fixture f;
  f.rules.rounding_base = 1;
  f.Answer(kJan1 + 10, "topics", "debts", 50);  // Sunday 11 January: before both weeks
  f.Answer(kJan1 + 13, "topics", "debts", 12);  // Wednesday 14 January
  f.Answer(kJan1 + 19, "topics", "debts", 15);  // Tuesday 20 January
  f.Answer(kJan1 + 24, "crime", "drugs", 20);   // Sunday 25 January
  f.Answer(kJan1 + 26, "topics", "debts", 30);  // Tuesday 27 January: not a whole week
  const PartnerReport report = f.Build(Rotterdam(), kJanuary);
  EXPECT_EQ(report.trend_week, "2026-01-19");
  ASSERT_EQ(report.trends.size(), 2U);
  const ReportTable& topics = Table(report.trends, "topics");
  EXPECT_EQ(topics.title, "Onderwerpen");
  EXPECT_EQ(topics.table.columns, (std::vector<std::string>{"vorige week", "deze week"}));
  EXPECT_EQ(Cell(topics, 0, 0).value, 12);
  EXPECT_EQ(Cell(topics, 0, 1).value, 15);
  EXPECT_EQ(Cell(Table(report.trends, "crime"), 0, 1).value, 20);
  EXPECT_NE(RenderCsv(report).find("trends,Onderwerpen,Schulden,deze week,15\r\n"),
            std::string::npos);

  // Against an earlier report that ends on Tuesday 20 January, "deze week" differs by 0 for
  // debts (no answers 21–25 January) but by 20 for drugs; nothing small, nothing hidden.
  const PartnerReport later = f.Build(Rotterdam(), kJanuary, {{kJan1, kJan1 + 19}});
  EXPECT_EQ(Cell(Table(later.trends, "crime"), 0, 1).value, 20);
  f.Answer(kJan1 + 22, "topics", "debts", 2);  // Friday 23 January
  const PartnerReport small = f.Build(Rotterdam(), kJanuary, {{kJan1, kJan1 + 19}});
  EXPECT_EQ(Cell(Table(small.trends, "topics"), 0, 1).reason, Suppression::difference);

  // Tuesday 30 December to Wednesday 14 January: one whole week only.
  const PartnerReport short_period = f.Build(Rotterdam(), {kJan1 - 2, kJan1 + 13});
  EXPECT_TRUE(short_period.trends.empty());
  EXPECT_EQ(short_period.trend_week, "");
  const PartnerReport two_weeks = f.Build(Rotterdam(), {kJan1 + 4, kJan1 + 17});
  EXPECT_EQ(two_weeks.trend_week, "2026-01-12");
}

// Counts shown as they are, with these "debts" answers (day, count) and 30 "threats" answers on
// each of `threat_days`, so that the topics table has a second row.
Fixture Topics(std::initializer_list<std::pair<std::int64_t, std::int64_t>> debts,
               std::initializer_list<std::int64_t> threat_days) {
  Fixture f;
  f.rules.rounding_base = 1;
  for (const auto& [day, count] : debts) f.Answer(day, "topics", "debts", count);
  for (const std::int64_t day : threat_days) f.Answer(day, "topics", "threats", 30);
  return f;
}

// Monday 5 to Monday 19 January: the month's column minus the two trend weeks (5–11, 12–18) is
// the 19th alone.
TEST(PartnerReportTest, WhatTheTrendWeeksTakeFromTheMonthIsChecked) {
  Fixture f = Topics({{kJan1 + 5, 20}, {kJan1 + 12, 20}, {kJan1 + 18, 3}},
                     {kJan1 + 5, kJan1 + 12, kJan1 + 18});
  const ReportPeriod period = {kJan1 + 4, kJan1 + 18};
  ASSERT_EQ(TrendWeeksOf(period),
            (std::vector<ReportPeriod>{{kJan1 + 4, kJan1 + 10}, {kJan1 + 11, kJan1 + 17}}));
  const PartnerReport report = f.Build(Rotterdam(), period);
  const ReportTable& month = Table(report.registrations, "topics");
  EXPECT_EQ(Cell(month, 0, 0).value, 43);
  const ReportTable& weeks = Table(report.trends, "topics");
  EXPECT_EQ(Cell(weeks, 0, 1).reason, Suppression::difference) << "43 - 20 - 20 is the 19th's 3";
  ExpectNoLineGivesAwayOne(weeks.table);
  EXPECT_EQ(Table(report.registrations, "who").table.total.value, 0)
      << "fields without trends are not held to the weeks";
}

// Earlier reports without trend weeks, then one with them (5–18 January, weeks 5–11 and 12–18).
TEST(PartnerReportTest, ThisReportsWeeksAreCheckedAgainstEarlierReports) {
  Fixture f =
      Topics({{kJan1 + 1, 20}, {kJan1 + 5, 20}, {kJan1 + 12, 20}, {kJan1 + 18, 3}}, {kJan1 + 12});
  const ReportPeriod period = {kJan1 + 4, kJan1 + 17};

  // 12–19 January, then this week of 12–18: the difference is the 19th.
  const PartnerReport after_short = f.Build(Rotterdam(), period, {{kJan1 + 11, kJan1 + 18}});
  EXPECT_EQ(Cell(Table(after_short.trends, "topics"), 0, 1).reason, Suppression::difference);

  // 1–4 and 1–19 January, then 5–18: the 19th again, which the report's own weeks must not hide
  // from the check as if they had been published before it.
  const PartnerReport after_two =
      f.Build(Rotterdam(), period, {{kJan1, kJan1 + 3}, {kJan1, kJan1 + 18}});
  EXPECT_EQ(Cell(Table(after_two.registrations, "topics"), 0, 0).reason, Suppression::difference);

  // 5–19 January, then 5–18: its month cell is hidden, but its two weeks add up to it.
  const PartnerReport after_longer = f.Build(Rotterdam(), period, {{kJan1 + 4, kJan1 + 18}});
  EXPECT_EQ(Cell(Table(after_longer.registrations, "topics"), 0, 0).reason,
            Suppression::difference);
  EXPECT_EQ(Cell(Table(after_longer.trends, "topics"), 0, 1).reason, Suppression::difference);
}

// Thursday 1 January to Sunday 8 February: the February column (1–8) less the week of 2–8
// February is the 1st alone.
TEST(PartnerReportTest, AWeekIsCheckedAgainstTheMonthColumnItCuts) {
  Fixture f = Topics({{kJan1 + 9, 20}, {kFeb1 + 2, 20}, {kFeb1, 3}}, {kFeb1 + 2});
  const ReportPeriod period = {kJan1, kFeb1 + 7};
  ASSERT_EQ(TrendWeeksOf(period).at(1), (ReportPeriod{kFeb1 + 1, kFeb1 + 7}));
  const PartnerReport report = f.Build(Rotterdam(), period);
  EXPECT_EQ(Cell(Table(report.registrations, "topics"), 0, 1).value, 23);
  EXPECT_EQ(Cell(Table(report.trends, "topics"), 0, 1).reason, Suppression::difference);

  // After a report of 1–8 February, 15 January to 15 February less it and less the week of 9–15
  // February is 15–31 January, which the month columns alone would take as joined already.
  Fixture g = Topics({{kJan1 + 19, 3}, {kFeb1 + 2, 20}, {kFeb1 + 9, 20}}, {kFeb1 + 9});
  const PartnerReport later = g.Build(Rotterdam(), {kJan1 + 14, kFeb1 + 14}, {{kFeb1, kFeb1 + 7}});
  EXPECT_EQ(Cell(Table(later.trends, "topics"), 0, 1).reason, Suppression::difference);
}

// A partner who gets the last two weeks every week: after some 140 reports a week joins more runs
// than are checked. The report then goes without its trend tables instead of being refused.
TEST(PartnerReportTest, AReportWhoseWeeksJoinTooMuchGoesWithoutItsTrends) {
  Fixture f;
  const std::int64_t first_monday = kJan1 + 4 - 7 * 140;
  std::vector<ReportPeriod> weekly;
  for (std::int64_t week = 0; week < 140; ++week) {
    weekly.push_back({first_monday + 7 * week, first_monday + 7 * week + 13});
  }
  const ReportPeriod next = {first_monday + 7 * 140, first_monday + 7 * 140 + 13};
  const auto report = f.TryBuild(Rotterdam(), next, weekly);
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_TRUE(report->trends.empty());
  EXPECT_EQ(report->trend_week, "");
  EXPECT_FALSE(report->registrations.empty());
}

// Report A (1–18 January) showed the week of 12–18 January; report B (12–14 January) must not
// give away 15–18 January by difference with it.
TEST(PartnerReportTest, AnEarlierReportsTrendWeeksGuardTheTrendFields) {
  Fixture f = Topics({{kJan1 + 1, 20}, {kJan1 + 12, 20}, {kJan1 + 15, 3}}, {kJan1 + 12});
  const ReportPeriod earlier = {kJan1, kJan1 + 17};
  const ReportPeriod later = {kJan1 + 11, kJan1 + 13};
  const PartnerReport unguarded = f.Build(Rotterdam(), later, {earlier});
  EXPECT_EQ(Cell(Table(unguarded.registrations, "topics"), 0, 0).value, 20)
      << "the earlier period alone leaves 23 on the days not shared";
  const PartnerReport report = f.Build(Rotterdam(), later, {earlier}, TrendWeeksOf(earlier));
  EXPECT_EQ(Cell(Table(report.registrations, "topics"), 0, 0).reason, Suppression::difference);
  EXPECT_EQ(Cell(Table(report.registrations, "topics"), 1, 0).value, 30);
}

TEST(PartnerReportTest, CsvQuotesFieldsAndEndsLinesWithCrLf) {
  Fixture f;
  f.form.fields[2].options[1].label.nl = "=HYPERLINK(\"x\")";
  f.Answer(kJan1 + 4, "who", "relative", 20);
  f.Answer(kJan1 + 4, "topics", "threats", 20);
  f.insights.funnel = {{kJan1, "", {.started = 100}}};
  const PartnerReport report = f.Build(Rotterdam(), kJanuary);
  const std::string csv = RenderCsv(report);
  EXPECT_EQ(csv.rfind("sectie,tabel,rij,kolom,waarde\r\ntrechter,,Chats begonnen,,100\r\n", 0), 0U);
  EXPECT_NE(csv.find("registraties,Wie,\"Familie, \"\"vriend\"\"\",2026-01,20\r\n"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find("registraties,Wie,totaal,totaal,20\r\n"), std::string::npos);
  EXPECT_NE(csv.find("registraties,Onderwerpen,\"'=HYPERLINK(\"\"x\"\")\",2026-01,20\r\n"),
            std::string::npos);
  ASSERT_GE(csv.size(), 2U);
  EXPECT_EQ(csv.substr(csv.size() - 2), "\r\n");
  for (std::size_t at = csv.find('\n'); at != std::string::npos; at = csv.find('\n', at + 1)) {
    EXPECT_EQ(csv[at - 1], '\r') << "at " << at;
  }
}

TEST(PartnerReportTest, HtmlIsAnEscapedAccessibleDutchDocument) {
  Fixture f;
  Partner partner = Rotterdam();
  partner.label = "<script>alert('x')</script> & Co";
  partner.regions = {"'s-Hertogenbosch"};
  f.Answer(kJan1 + 4, "who", "relative", 20);
  f.Answer(kJan1 + 4, "region", "'s-Hertogenbosch", 20);
  f.Answer(kFeb1 + 4, "who", "relative", 1'234);
  f.Answer(kFeb1 + 5, "topics", "debts", 3);
  const PartnerReport report = f.Build(partner, kJanFeb);
  const std::string html = RenderHtml(report);

  EXPECT_EQ(html.rfind("<!DOCTYPE html>\n<html lang=\"nl\">", 0), 0U);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("<title>Uitweg — rapportage voor &lt;script&gt;alert(&#39;x&#39;)&lt;/"
                      "script&gt; &amp; Co</title>"),
            std::string::npos);
  EXPECT_EQ(Count(html, "<h1>"), 1U);
  EXPECT_NE(html.find("&#39;s-Hertogenbosch"), std::string::npos);
  EXPECT_NE(html.find("Familie, &quot;vriend&quot;"), std::string::npos);
  EXPECT_NE(html.find("1 januari 2026 t/m 28 februari 2026"), std::string::npos);
  EXPECT_NE(html.find("Gemaakt op 31 maart 2026"), std::string::npos);
  EXPECT_NE(html.find(">januari 2026</th>"), std::string::npos);
  EXPECT_NE(html.find(">1.235</td>"), std::string::npos);  // 1,234 rounded, Dutch grouping
  EXPECT_NE(html.find("&lt;10"), std::string::npos);
  EXPECT_NE(html.find("veelvouden van 5"), std::string::npos);
  EXPECT_NE(html.find("@media print"), std::string::npos);
  EXPECT_EQ(Count(html, "<table>"), 1 + report.registrations.size() + report.trends.size());
  EXPECT_EQ(Count(html, "<caption>"), Count(html, "<table>"));
  EXPECT_EQ(Count(html, "<h2"), 4U);
  EXPECT_GT(Count(html, "<th scope=\"row\">"), 0U);
  EXPECT_GT(Count(html, "<th scope=\"col\">"), 0U);
  EXPECT_FALSE(std::regex_search(html, std::regex(R"(\son[a-z]+\s*=)", std::regex::icase)));
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("href="), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_EQ(html.substr(html.size() - 8), "</html>\n");
}

TEST(PartnerReportTest, LeavesOutWhatThePartnerMayNotSee) {
  Fixture f;
  f.Answer(kJan1 + 4, "who", "relative", 20);
  f.insights.funnel = {{kJan1, "", {.started = 100}}};
  Partner partner = Rotterdam();
  partner.funnel = false;
  partner.registrations = false;
  partner.trends = false;
  const PartnerReport nothing = f.Build(partner, kJanuary);
  EXPECT_TRUE(nothing.funnel.empty());
  EXPECT_TRUE(nothing.registrations.empty());
  EXPECT_TRUE(nothing.trends.empty());
  EXPECT_TRUE(f.insights.funnel_filters.empty());
  EXPECT_TRUE(f.insights.answer_filters.empty());
  EXPECT_EQ(RenderCsv(nothing), "sectie,tabel,rij,kolom,waarde\r\n");
  const std::string html = RenderHtml(nothing);
  EXPECT_EQ(Count(html, "<h2"), 1U);  // only the explanation
  EXPECT_EQ(html.find("<table>"), std::string::npos);

  partner.trends = true;
  const PartnerReport trends_only = f.Build(partner, kJanuary);
  EXPECT_TRUE(trends_only.funnel.empty());
  EXPECT_TRUE(trends_only.registrations.empty());
  EXPECT_EQ(trends_only.trends.size(), 2U);
  const std::string csv = RenderCsv(trends_only);
  EXPECT_EQ(csv.find("trechter"), std::string::npos);
  EXPECT_EQ(csv.find("registraties"), std::string::npos);
  EXPECT_NE(csv.find("trends,"), std::string::npos);
  const std::string trends_html = RenderHtml(trends_only);
  EXPECT_EQ(trends_html.find("id=\"trechter\""), std::string::npos);
  EXPECT_EQ(trends_html.find("id=\"registraties\""), std::string::npos);
  EXPECT_NE(trends_html.find("id=\"trends\""), std::string::npos);
}

TEST(PartnerReportTest, RejectsAPeriodThatEndsBeforeItStarts) {
  Fixture f;
  const auto report = f.TryBuild(Rotterdam(), {kFeb1, kJan31});
  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(report.error().code, core::Errc::invalid_argument);
  const auto earlier = f.TryBuild(Rotterdam(), kJanFeb, {{kFeb1, kJan31}});
  ASSERT_FALSE(earlier.has_value());
  EXPECT_EQ(earlier.error().code, core::Errc::invalid_argument);
}

}  // namespace
}  // namespace uitweg::insights
