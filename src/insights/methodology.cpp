#include "insights/methodology.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "insights/dashboard.hpp"

namespace uitweg::insights {
namespace {

constexpr std::int64_t kDayMillis = 24LL * 60 * 60 * 1000;

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  return a >= 0 ? a / b : (a - b + 1) / b;
}

std::string PeriodOf(std::int64_t day, ReviewPeriod kind) {
  return kind == ReviewPeriod::month ? DayName(day).substr(0, 7) : IsoWeekOfDay(day);
}

MethodologyPeriod EmptyPeriod(const model::ReviewRubric& rubric, std::string period) {
  MethodologyPeriod out{.period = std::move(period)};
  for (const model::RubricCriterion& criterion : rubric.criteria) {
    CriterionFigures figures{.id = criterion.id, .label = criterion.label.nl};
    for (const model::RubricLevel& level : criterion.levels) {
      figures.levels.push_back(LevelCount{.score = level.score, .label = level.label.nl});
    }
    out.criteria.push_back(std::move(figures));
  }
  return out;
}

}  // namespace

Methodology AggregateReviews(const model::ReviewRubric& rubric,
                             std::span<const model::Review> reviews,
                             const MethodologyQuery& query) {
  Methodology methodology{.kind = query.kind};
  std::map<std::string, std::size_t, std::less<>> index;
  for (std::int64_t day = query.first_day; day <= query.last_day; ++day) {
    std::string period = PeriodOf(day, query.kind);
    if (index.contains(period)) continue;
    index[period] = methodology.periods.size();
    methodology.periods.push_back(EmptyPeriod(rubric, std::move(period)));
  }
  std::vector<std::vector<std::int64_t>> sums(methodology.periods.size(),
                                              std::vector<std::int64_t>(rubric.criteria.size()));
  // Each local day's first instant, and the one after the last day.
  std::vector<core::UnixMillis> starts;
  if (query.day_start) {
    for (std::int64_t day = query.first_day; day <= query.last_day + 1; ++day) {
      starts.push_back(query.day_start(day));
    }
  }
  const auto day_of = [&](core::UnixMillis at) -> std::int64_t {
    if (!query.day_start) return FloorDiv(at + query.utc_offset_millis, kDayMillis);
    const auto after = std::upper_bound(starts.begin(), starts.end(), at);
    return query.first_day + (after - starts.begin()) - 1;
  };
  for (const model::Review& review : reviews) {
    const std::int64_t day = day_of(review.ended_at);
    if (day < query.first_day || day > query.last_day) continue;
    const std::size_t at = index.at(PeriodOf(day, query.kind));
    MethodologyPeriod& period = methodology.periods[at];
    ++period.reviewed;
    for (std::size_t c = 0; c < rubric.criteria.size(); ++c) {
      const auto score = review.scores.find(rubric.criteria[c].id);
      if (score == review.scores.end()) continue;
      CriterionFigures& figures = period.criteria[c];
      if (!score->second) {
        ++figures.not_applicable;
        continue;
      }
      ++figures.scored;
      sums[at][c] += *score->second;
      for (LevelCount& level : figures.levels) {
        if (level.score == *score->second) ++level.count;
      }
    }
  }
  for (std::size_t p = 0; p < methodology.periods.size(); ++p) {
    for (std::size_t c = 0; c < rubric.criteria.size(); ++c) {
      CriterionFigures& figures = methodology.periods[p].criteria[c];
      if (figures.scored > 0) {
        figures.mean = static_cast<double>(sums[p][c]) / static_cast<double>(figures.scored);
      }
    }
  }
  return methodology;
}

core::Result<Methodology> MethodologyReader::Read(const MethodologyQuery& query) const {
  const auto start_of = [&query](std::int64_t day) {
    return query.day_start ? query.day_start(day) : day * kDayMillis - query.utc_offset_millis;
  };
  const core::UnixMillis from = start_of(query.first_day);
  const core::UnixMillis to = start_of(query.last_day + 1);
  UITWEG_TRY_ASSIGN(const auto reviews, store_.ListReviews(from, to));
  return AggregateReviews(rubric_, reviews, query);
}

core::Result<PublishedMethodology> PublishMethodology(const Methodology& methodology,
                                                      const DisclosureRules& rules) {
  PublishedMethodology out;
  for (const MethodologyPeriod& period : methodology.periods) {
    out.periods.push_back(period.period);
    UITWEG_TRY_ASSIGN(PublishedCell reviewed, PublishCount(period.reviewed, rules));
    out.reviewed.push_back(reviewed);
  }
  if (methodology.periods.empty()) return out;
  const std::size_t criteria = methodology.periods.front().criteria.size();
  for (std::size_t c = 0; c < criteria; ++c) {
    out.criteria.push_back(methodology.periods.front().criteria[c].label);
    for (const MethodologyPeriod& period : methodology.periods) {
      const CriterionFigures& figures = period.criteria[c];
      PublishedMean mean;
      if (period.reviewed == 0) {
        // Nothing reviewed: there is no mean, and nobody to hide.
      } else if (period.reviewed < rules.threshold) {
        mean.reason = Suppression::primary;
      } else if (figures.scored > 0 && figures.scored < rules.threshold) {
        mean.reason = Suppression::primary;
      } else if (figures.mean) {
        mean.value = std::round(*figures.mean * 10.0) / 10.0;
      }
      out.means.push_back(mean);
    }
  }
  return out;
}

}  // namespace uitweg::insights
