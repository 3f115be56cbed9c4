#include "chat/review_rules.hpp"

#include <algorithm>
#include <optional>
#include <utility>

#include "chat/text_rules.hpp"
#include "core/utf8.hpp"

namespace uitweg::chat {
namespace {

core::Error Invalid(std::string what) {
  return core::Fail(core::Errc::invalid_argument, std::move(what));
}

}  // namespace

std::vector<std::string> DrawAtRandom(std::vector<std::string> candidates, std::size_t size,
                                      const RandomBelow& below) {
  const std::size_t drawn = std::min(size, candidates.size());
  for (std::size_t i = 0; i < drawn; ++i) {
    const std::size_t left = candidates.size() - i;
    const std::size_t pick = i + below(static_cast<std::uint32_t>(left));
    std::swap(candidates[i], candidates[pick]);
  }
  candidates.resize(drawn);
  return candidates;
}

core::Status CheckScores(const model::ReviewRubric& rubric, const model::ReviewScores& scores) {
  for (const auto& [id, score] : scores) {
    const auto criterion =
        std::find_if(rubric.criteria.begin(), rubric.criteria.end(),
                     [&id = id](const model::RubricCriterion& known) { return known.id == id; });
    if (criterion == rubric.criteria.end()) return Invalid("the rubric has no criterion " + id);
  }
  for (const model::RubricCriterion& criterion : rubric.criteria) {
    const auto found = scores.find(criterion.id);
    if (found == scores.end())
      return Invalid("score every criterion: " + criterion.id + " has none");
    const std::optional<std::int64_t>& score = found->second;
    if (!score) {
      if (!criterion.not_applicable) return Invalid(criterion.id + " cannot be not applicable");
      continue;
    }
    const bool is_level =
        std::any_of(criterion.levels.begin(), criterion.levels.end(),
                    [&score](const model::RubricLevel& level) { return level.score == *score; });
    if (!is_level) return Invalid(criterion.id + ": the score is none of its levels");
  }
  return {};
}

core::Result<std::string> CleanComment(std::string_view comment) {
  const std::string_view trimmed = TrimSpace(comment);
  const std::optional<std::size_t> chars = core::CountCodePoints(trimmed);
  if (!chars) return Invalid("the comment is not valid UTF-8");
  if (*chars > model::kMaxReviewCommentChars) {
    return Invalid("the comment is longer than " + std::to_string(model::kMaxReviewCommentChars) +
                   " characters");
  }
  bool clean = true;
  core::ForEachCodePoint(trimmed, [&clean](std::string_view piece) {
    char32_t c = 0;
    core::DecodeUtf8(piece, c);
    if (c != '\n' && c != '\r' && c != '\t' && core::IsControlOrFormat(c)) clean = false;
  });
  if (!clean) return Invalid("the comment holds control characters");
  return std::string(trimmed);
}

}  // namespace uitweg::chat
