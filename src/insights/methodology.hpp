#pragma once
// Methodology review in figures (docs/review.md): the scores supervisors gave sampled
// conversations, per criterion of the rubric and per period (calendar month or ISO week of the
// conversation's end), as the mean, the distribution over the rubric's levels and the number
// of conversations reviewed. There is no counsellor anywhere in here on purpose: a review
// coaches one person in private, its figures are only ever the team's.
//
// For the dashboard the figures are exact (staff only). For a partner report PublishMethodology
// hides a period's figures while fewer than the suppression threshold were reviewed, and a
// criterion's mean while fewer than that were scored on it (disclosure.hpp's primary rule),
// and rounds the number reviewed.
//
// Reviews are few (a sample of ten a month, say), so they are read as rows and counted here.
// Thread safety: MethodologyReader::Read may run on several threads at once; blocking (call from
// workers). Errors: those of the store.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "insights/disclosure.hpp"
#include "model/review.hpp"
#include "store/review_store.hpp"

namespace uitweg::insights {

enum class ReviewPeriod { month, week };

struct LevelCount {
  std::int64_t score = 0;
  std::string label = {};  // Dutch
  std::int64_t count = 0;
};

struct CriterionFigures {
  std::string id = {};
  std::string label = {};   // Dutch
  std::int64_t scored = 0;  // reviews that gave it a score
  std::int64_t not_applicable = 0;
  std::optional<double> mean = {};      // nullopt when nothing was scored
  std::vector<LevelCount> levels = {};  // the rubric's levels, ascending
};

struct MethodologyPeriod {
  std::string period = {};  // "2026-03" or "2026-W11"
  std::int64_t reviewed = 0;
  std::vector<CriterionFigures> criteria = {};  // in the rubric's order
};

struct Methodology {
  ReviewPeriod kind = ReviewPeriod::month;
  std::vector<MethodologyPeriod> periods = {};  // every period of the range, oldest first
};

// Local days are days since 1970-01-01 in the service's time zone; a review counts on the local
// day its conversation ended: with `day_start` (a local day's first instant), the day whose
// hours hold it, whatever the offset from UTC that day; else (ended_at + utc_offset_millis) /
// one day, one offset for the whole range.
struct MethodologyQuery {
  std::int64_t first_day = 0;  // both included
  std::int64_t last_day = 0;
  std::int64_t utc_offset_millis = 0;
  ReviewPeriod kind = ReviewPeriod::month;
  std::function<core::UnixMillis(std::int64_t day)> day_start = {};
};

// Counts `reviews` per period of the query and per criterion of `rubric`. A score for a
// criterion the rubric no longer has is left out; a score that is none of the levels counts in
// the mean but in no level.
Methodology AggregateReviews(const model::ReviewRubric& rubric,
                             std::span<const model::Review> reviews, const MethodologyQuery& query);

class MethodologyReader {
 public:
  MethodologyReader(store::ReviewStore& store, const model::ReviewRubric& rubric)
      : store_(store), rubric_(rubric) {}

  core::Result<Methodology> Read(const MethodologyQuery& query) const;

 private:
  store::ReviewStore& store_;
  const model::ReviewRubric& rubric_;
};

// A mean as it may be published: one decimal, or hidden.
struct PublishedMean {
  std::optional<double> value = {};
  Suppression reason = Suppression::none;

  bool operator==(const PublishedMean&) const = default;
};

struct PublishedMethodology {
  std::vector<std::string> periods = {};
  std::vector<PublishedCell> reviewed = {};  // per period
  std::vector<std::string> criteria = {};    // labels
  std::vector<PublishedMean> means = {};     // row-major: criteria × periods
};

// invalid_argument for malformed rules (as Publish).
core::Result<PublishedMethodology> PublishMethodology(const Methodology& methodology,
                                                      const DisclosureRules& rules);

}  // namespace uitweg::insights
