#pragma once
// Methodology review (docs/review.md): supervisors score a random sample of ended conversations
// on a rubric. The rubric is data (a TOML file, forms/review.toml, read by
// app/review_rubric.hpp); a review keeps one score per criterion, the rubric's version and, for
// the counsellor's coaching, an optional short comment (sealed at rest like other staff-written
// content). Reviews are aggregated per period and never per counsellor.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "model/registration.hpp"

namespace uitweg::model {

struct RubricLevel {
  std::int64_t score = 0;  // what the level counts as in a mean
  LabelText label = {};    // "Goed" / "Good"
};

struct RubricCriterion {
  std::string id = {};  // kept in the database: a changed meaning gets a new id
  LabelText label = {};
  LabelText good = {};                   // what good looks like
  std::vector<RubricLevel> levels = {};  // ascending by score
  bool not_applicable = false;           // whether "not applicable" may be chosen instead
};

struct ReviewRubric {
  std::int64_t version = 1;
  std::vector<RubricCriterion> criteria = {};
};

// Per criterion id, its score; nullopt: not applicable.
using ReviewScores = std::map<std::string, std::optional<std::int64_t>, std::less<>>;

inline constexpr std::size_t kMaxReviewCommentChars = 1000;

// Conversations drawn at random for review, in the order drawn.
struct ReviewSample {
  std::string id = {};
  std::int64_t supervisor_id = 0;  // who drew it, and the only one who works on it
  core::UnixMillis from = 0;       // conversations that ended in [from, to)
  core::UnixMillis to = 0;
  bool only_unreviewed = false;
  std::int64_t candidates = 0;  // how many conversations it was drawn from
  core::UnixMillis created_at = 0;
  std::vector<std::string> conversation_ids = {};
};

// One review per conversation: a later review of the same conversation replaces it.
struct Review {
  std::string conversation_id = {};
  std::string sample_id = {};
  std::int64_t reviewer_id = 0;
  std::int64_t rubric_version = 1;
  ReviewScores scores = {};
  std::string comment = {};       // for the counsellor's coaching; may be empty
  core::UnixMillis ended_at = 0;  // the conversation's end: what aggregates count by
  core::UnixMillis reviewed_at = 0;
};

}  // namespace uitweg::model
