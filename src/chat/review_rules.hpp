#pragma once
// What a methodology review may hold and how its sample is drawn: pure functions, so that the
// rules are tested without a store.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "model/review.hpp"

namespace uitweg::chat {

// A uniform number in [0, upper): crypto::RandomBelow in the service, a fixed sequence in tests.
using RandomBelow = std::function<std::uint32_t(std::uint32_t upper)>;

// `size` of `candidates` chosen uniformly at random without repetition (a partial
// Fisher–Yates shuffle), in the order drawn; all of them, shuffled, when there are no more.
std::vector<std::string> DrawAtRandom(std::vector<std::string> candidates, std::size_t size,
                                      const RandomBelow& below);

// invalid_argument naming the first problem: a criterion of the rubric without a score, a score
// for a criterion the rubric does not have, a score that is none of the criterion's levels, or
// "not applicable" (nullopt) where the criterion does not allow it.
core::Status CheckScores(const model::ReviewRubric& rubric, const model::ReviewScores& scores);

// The comment trimmed of surrounding white space; invalid_argument when it is not UTF-8, holds
// control characters other than line breaks and tabs, or is longer than
// model::kMaxReviewCommentChars characters.
core::Result<std::string> CleanComment(std::string_view comment);

}  // namespace uitweg::chat
