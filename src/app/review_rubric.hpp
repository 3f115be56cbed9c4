#pragma once
// The review rubric (model/review.hpp) from its TOML definition: the one built in
// (forms/review.toml), or an organisation's own file. Errors name the file, the line and what
// is wrong; the server does not start with a rubric it cannot read.

#include <string>
#include <string_view>

#include "core/error.hpp"
#include "model/review.hpp"

namespace uitweg::app {

inline constexpr std::size_t kMaxRubricCriteria = 30;
inline constexpr std::size_t kMaxRubricLevels = 10;
inline constexpr std::int64_t kMaxRubricScore = 10;

// The rubric built into the binary (forms/review.toml).
std::string_view BuiltInReviewRubric();

// `text` named `origin` in errors. invalid_argument for TOML that does not parse, a version
// below 1, no criteria or more than kMaxRubricCriteria, a criterion without an id, label or
// description of good (each in nl and en), ids that repeat or hold other than a-z, 0-9 and _,
// fewer than 2 or more than kMaxRubricLevels levels, a level without labels or whose score is
// not a whole number from 0 to kMaxRubricScore, scores that do not ascend, and a
// not_applicable that is not true or false.
core::Result<model::ReviewRubric> ParseReviewRubric(std::string_view text, std::string_view origin);
// The built-in rubric when `path` is empty; else the file (not_found when it cannot be read).
core::Result<model::ReviewRubric> LoadReviewRubric(const std::string& path);

}  // namespace uitweg::app
