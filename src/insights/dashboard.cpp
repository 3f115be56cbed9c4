#include "insights/dashboard.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <span>
#include <utility>

#include "core/calendar.hpp"

namespace uitweg::insights {
namespace {

const std::array<const char*, 7> kFunnelIds = {"visits",
                                               "started",
                                               "held",
                                               "criminal_involvement",
                                               "exploitation_signals",
                                               "referrals_proposed",
                                               "referrals_completed"};
const std::array<const char*, 7> kFunnelLabels = {
    "Bezoeken van de homepage",    "Chats begonnen",
    "Gesprekken gevoerd",          "Over criminele betrokkenheid",
    "Met signalen van uitbuiting", "Doorverwijzing voorgesteld",
    "Doorverwijzing afgerond"};

std::vector<FunnelStep> Steps(std::optional<std::int64_t> visits,
                              const store::FunnelCounts& counts) {
  const std::array<std::optional<std::int64_t>, 7> values = {visits,
                                                             counts.started,
                                                             counts.held,
                                                             counts.criminal_involvement,
                                                             counts.exploitation_signals,
                                                             counts.referrals_proposed,
                                                             counts.referrals_completed};
  std::vector<FunnelStep> steps;
  for (std::size_t i = 0; i < values.size(); ++i) {
    steps.push_back({kFunnelIds[i], kFunnelLabels[i], values[i]});
  }
  return steps;
}

// The smallest duration that `share` of the conversations did not exceed.
std::int64_t Quantile(std::span<const store::DurationCount> counts, std::int64_t total,
                      double share) {
  const auto wanted = static_cast<std::int64_t>(static_cast<double>(total) * share + 0.999999);
  std::int64_t seen = 0;
  for (const store::DurationCount& count : counts) {
    seen += count.count;
    if (seen >= wanted) return count.seconds;
  }
  return counts.empty() ? 0 : counts.back().seconds;
}

DurationSummary Summarise(std::span<const store::DurationCount> counts) {
  DurationSummary summary;
  for (const store::DurationCount& count : counts) summary.count += count.count;
  if (summary.count == 0) return summary;
  summary.median = Quantile(counts, summary.count, 0.5);
  summary.p90 = Quantile(counts, summary.count, 0.9);
  return summary;
}

std::vector<WaitingBand> Bands(std::span<const store::DurationCount> held,
                               std::span<const store::DurationCount> abandoned) {
  std::vector<WaitingBand> bands = {
      {"< 30 s", 30},        {"30 s – 1 min", 60},  {"1 – 2 min", 120},
      {"2 – 5 min", 300},    {"5 – 10 min", 600},   {"10 – 20 min", 1200},
      {"20 – 30 min", 1800}, {"30 – 60 min", 3600}, {"1 uur of langer", 0}};
  const auto band_of = [&bands](std::int64_t seconds) -> WaitingBand& {
    for (WaitingBand& band : bands) {
      if (band.up_to == 0 || seconds < band.up_to) return band;
    }
    return bands.back();
  };
  for (const store::DurationCount& count : held) band_of(count.seconds).held += count.count;
  for (const store::DurationCount& count : abandoned) {
    band_of(count.seconds).abandoned += count.count;
  }
  return bands;
}

std::string OptionLabel(const model::FormField& field, const std::string& value) {
  for (const model::FieldOption& option : field.options) {
    if (option.id == value) return option.label.nl;
  }
  return value;
}

// The fields whose rises are named at the top of the dashboard.
constexpr std::array<std::string_view, 3> kTrendFields = {"topics", "crime", "region"};
constexpr std::size_t kRisesShown = 3;

// Weeks numbered one after the other, as WeekOverWeek counts them.
std::int64_t WeekNumber(std::int64_t day) {
  return (WeekStart(day) + 3) / 7;
}

}  // namespace

std::string DayName(std::int64_t day) {
  const core::CivilDate civil = core::CivilFromDays(day);
  return fmt::format("{:04}-{:02}-{:02}", civil.year, civil.month, civil.day);
}

std::string FunnelStepLabel(std::string_view id) {
  for (std::size_t i = 0; i < kFunnelIds.size(); ++i) {
    if (id == kFunnelIds[i]) return kFunnelLabels[i];
  }
  return std::string(id);
}

core::Result<Dashboard> DashboardReader::Read(const DashboardQuery& query) const {
  store::InsightsFilter filter;
  filter.from = query.from;
  filter.to = query.to;
  filter.utc_offset_millis = query.utc_offset_millis;
  filter.campaign = query.campaign;
  filter.regions = query.regions;
  Dashboard dashboard;

  // The funnel: visits are campaign counters, which know no region.
  UITWEG_TRY_ASSIGN(const std::vector<store::CampaignFunnel> funnels, insights_.ReadFunnel(filter));
  std::map<std::string, std::int64_t> visits;
  if (query.regions.empty()) {
    UITWEG_TRY_ASSIGN(
        const std::vector<store::CampaignCount> counts,
        campaigns_.ReadCampaignCounts(DayName(query.first_day), DayName(query.last_day)));
    for (const store::CampaignCount& count : counts) {
      if (count.metric != "visit") continue;
      if (query.campaign && count.code != *query.campaign) continue;
      visits[count.code] += count.count;
    }
  }
  const auto visits_of = [&](const std::string& code) -> std::optional<std::int64_t> {
    if (!query.regions.empty()) return std::nullopt;
    const auto found = visits.find(code);
    return found == visits.end() ? 0 : found->second;
  };
  store::FunnelCounts total;
  std::map<std::string, store::FunnelCounts> by_campaign;
  for (const auto& [code, count] : visits) by_campaign[code];
  for (const store::CampaignFunnel& funnel : funnels) {
    total += funnel.counts;
    by_campaign[funnel.campaign] += funnel.counts;
  }
  std::optional<std::int64_t> all_visits;
  if (query.regions.empty()) {
    all_visits = 0;
    for (const auto& [code, count] : visits) *all_visits += count;
  }
  dashboard.funnel = Steps(all_visits, total);
  for (const auto& [code, counts] : by_campaign) {
    dashboard.campaigns.push_back({code, Steps(visits_of(code), counts)});
  }
  dashboard.registered = total.registered;

  // Service levels.
  UITWEG_TRY_ASSIGN(const auto first_response,
                    insights_.ReadDurations(filter, store::DurationKind::first_response));
  UITWEG_TRY_ASSIGN(const auto abandoned_wait,
                    insights_.ReadDurations(filter, store::DurationKind::abandoned_wait));
  UITWEG_TRY_ASSIGN(const auto length,
                    insights_.ReadDurations(filter, store::DurationKind::length));
  dashboard.first_response = Summarise(first_response);
  dashboard.abandoned_wait = Summarise(abandoned_wait);
  dashboard.length = Summarise(length);
  dashboard.waiting = Bands(first_response, abandoned_wait);
  UITWEG_TRY_ASSIGN(const std::vector<store::HourCounts> hours, insights_.ReadHours(filter));
  for (const store::HourCounts& hour : hours) {
    const std::int64_t day = hour.hour >= 0 ? hour.hour / 24 : (hour.hour - 23) / 24;
    HourOfWeek& of_hour = dashboard.by_hour[static_cast<std::size_t>(hour.hour - day * 24)];
    HourOfWeek& of_day = dashboard.by_weekday[static_cast<std::size_t>(day - WeekStart(day))];
    for (HourOfWeek* slot : {&of_hour, &of_day}) {
      slot->started += hour.started;
      slot->held += hour.held;
      slot->abandoned += hour.abandoned;
    }
  }
  UITWEG_TRY_ASSIGN(dashboard.shifts, insights_.ReadShifts(filter));

  // Registrations, and the week's largest rises among them.
  UITWEG_TRY_ASSIGN(const std::vector<store::AnswerCount> answers, insights_.ReadAnswers(filter));
  std::map<std::pair<std::string, std::string>, std::int64_t> totals;
  for (const store::AnswerCount& answer : answers) {
    totals[{answer.field, answer.value}] += answer.count;
  }
  for (const model::FormField& field : form_.fields) {
    FieldCounts counts{field.id, field.label.nl, {}};
    for (const model::FieldOption& option : field.options) {
      const auto found = totals.find({field.id, option.id});
      counts.options.push_back(
          {option.id, option.label.nl, found == totals.end() ? 0 : found->second});
    }
    if (field.type == model::FieldType::place) {
      for (auto it = totals.lower_bound({field.id, ""});
           it != totals.end() && it->first.first == field.id; ++it) {
        counts.options.push_back({it->first.second, it->first.second, it->second});
      }
      std::stable_sort(
          counts.options.begin(), counts.options.end(),
          [](const OptionCount& a, const OptionCount& b) { return a.count > b.count; });
    }
    dashboard.registrations.push_back(std::move(counts));
  }
  const std::int64_t last_whole_week = WeekStart(query.last_day) + 6 == query.last_day
                                           ? WeekStart(query.last_day)
                                           : WeekStart(query.last_day) - 7;
  if (last_whole_week - 7 >= query.first_day) {
    dashboard.trend_week = DayName(last_whole_week);
    for (const std::string_view field_id : kTrendFields) {
      const auto field = std::find_if(form_.fields.begin(), form_.fields.end(),
                                      [&](const model::FormField& f) { return f.id == field_id; });
      if (field == form_.fields.end()) continue;
      std::vector<WeeklyCount> weekly;
      for (const store::AnswerCount& answer : answers) {
        if (answer.field != field_id) continue;
        weekly.push_back({answer.value, OptionLabel(*field, answer.value), WeekNumber(answer.day),
                          answer.count});
      }
      const std::vector<Trend> trends = WeekOverWeek(weekly, WeekNumber(last_whole_week));
      for (const Trend& trend : LargestRises(trends, kRisesShown, rise_threshold_)) {
        dashboard.rises.push_back({trend, std::string(field_id), DescribeRise(trend)});
      }
    }
    std::stable_sort(dashboard.rises.begin(), dashboard.rises.end(),
                     [](const Rise& a, const Rise& b) { return a.trend.change > b.trend.change; });
    if (dashboard.rises.size() > kRisesShown) dashboard.rises.resize(kRisesShown);
  }

  // Feedback (kept by UTC day) and outreach (by ISO week), per week.
  UITWEG_TRY_ASSIGN(const std::vector<store::FeedbackCount> feedback,
                    insights_.ReadFeedback(query.first_day, query.last_day));
  std::map<std::int64_t, FeedbackWeek> feedback_weeks;
  const auto answer_index = [](const std::string& answer, std::string_view middle) -> int {
    if (answer == "yes") return 0;
    if (answer == middle) return 1;
    if (answer == "no") return 2;
    return -1;
  };
  for (const store::FeedbackCount& count : feedback) {
    FeedbackWeek& week = feedback_weeks[WeekStart(count.day)];
    if (const int i = answer_index(count.helped, "somewhat"); i >= 0) {
      week.helped[static_cast<std::size_t>(i)] += count.count;
    }
    if (const int i = answer_index(count.would_return, "maybe"); i >= 0) {
      week.would_return[static_cast<std::size_t>(i)] += count.count;
    }
  }
  for (auto& [monday, week] : feedback_weeks) {
    week.week = DayName(monday);
    dashboard.feedback.push_back(std::move(week));
  }

  UITWEG_TRY_ASSIGN(const std::vector<store::WeekCount> outreach,
                    outreach_(IsoWeekOfDay(query.first_day), IsoWeekOfDay(query.last_day)));
  std::map<std::string, std::map<std::string, std::int64_t>> outreach_weeks;
  std::map<std::string, std::size_t> categories;
  for (const store::WeekCount& count : outreach) {
    outreach_weeks[count.week][count.category] += count.count;
    categories.emplace(count.category, 0);
  }
  for (auto& [category, index] : categories) {
    index = dashboard.outreach_categories.size();
    dashboard.outreach_categories.push_back(category);
  }
  for (const auto& [week, counts] : outreach_weeks) {
    OutreachWeek row{week, std::vector<std::int64_t>(categories.size(), 0)};
    for (const auto& [category, count] : counts) row.counts[categories[category]] = count;
    dashboard.outreach.push_back(std::move(row));
  }
  return dashboard;
}

}  // namespace uitweg::insights
