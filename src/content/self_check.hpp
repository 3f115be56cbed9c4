#pragma once
// A self-check: a short questionnaire that runs in the visitor's browser and sends nothing. Its
// text is content (content/self-check/<audience>.<language>.toml); the server checks it once and
// hands it to the page as data. Each question has a weight: "yes" scores the weight,
// "sometimes" half of it (rounded down), "no" nothing; the result shown is the one with the
// highest min_score the total reaches.
//
// Plain values; thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace uitweg::content {

struct SelfCheckQuestion {
  std::string id = {};  // a–z and _, unique within the check
  std::string text = {};
  int weight = 1;  // 1..3
};

struct SelfCheckResult {
  int min_score = 0;
  std::string heading = {};
  std::string text = {};
};

struct SelfCheck {
  std::string title = {};
  std::string intro = {};
  std::string yes = {};  // the three answers' labels
  std::string sometimes = {};
  std::string no = {};
  std::vector<SelfCheckQuestion> questions = {};  // 3..15, in order
  std::vector<SelfCheckResult> results = {};      // ascending min_score, the first at 0
};

// invalid_argument naming what is wrong (a missing text, a bad id or weight, no result for a
// score of 0, ...) when the TOML does not describe a usable check.
core::Result<SelfCheck> ParseSelfCheck(std::string_view toml);

// The result a total score leads to; `check` as ParseSelfCheck returns it.
const SelfCheckResult& ResultFor(const SelfCheck& check, int score);

// The score of answers given as "yes", "sometimes" or "no" per question, in order; an unknown
// or missing answer counts as "no".
int ScoreOf(const SelfCheck& check, const std::vector<std::string>& answers);

}  // namespace uitweg::content
