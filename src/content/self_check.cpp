#include "content/self_check.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <toml++/toml.h>

namespace uitweg::content {
namespace {

constexpr std::size_t kMinQuestions = 3;
constexpr std::size_t kMaxQuestions = 15;

core::Error Invalid(std::string message) {
  return core::Fail(core::Errc::invalid_argument, "self-check: " + std::move(message));
}

core::Result<std::string> Text(const toml::node_view<const toml::node>& node,
                               std::string_view what) {
  const std::optional<std::string> text = node.value<std::string>();
  if (!text || text->find_first_not_of(" \t\n") == std::string::npos) {
    return Invalid(fmt::format("{} needs a text", what));
  }
  return *text;
}

bool IsId(std::string_view id) {
  return !id.empty() && id.size() <= 40 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || c == '_';
  });
}

core::Result<std::vector<SelfCheckQuestion>> Questions(const toml::table& root) {
  const toml::array* list = root["question"].as_array();
  if (list == nullptr || list->size() < kMinQuestions || list->size() > kMaxQuestions) {
    return Invalid(
        fmt::format("needs {} to {} [[question]] entries", kMinQuestions, kMaxQuestions));
  }
  std::vector<SelfCheckQuestion> out;
  std::set<std::string> ids;
  for (const toml::node& entry : *list) {
    const toml::table* table = entry.as_table();
    if (table == nullptr) return Invalid("a [[question]] is not a table");
    SelfCheckQuestion question;
    question.id = (*table)["id"].value_or(std::string());
    if (!IsId(question.id))
      return Invalid(fmt::format("question id '{}' is not a-z and _", question.id));
    if (!ids.insert(question.id).second)
      return Invalid(fmt::format("question id '{}' twice", question.id));
    UITWEG_TRY_ASSIGN(question.text, Text((*table)["text"], "question " + question.id));
    const std::optional<std::int64_t> weight = (*table)["weight"].value<std::int64_t>();
    if (!weight || *weight < 1 || *weight > 3) {
      return Invalid(fmt::format("question {} needs a weight from 1 to 3", question.id));
    }
    question.weight = static_cast<int>(*weight);
    out.push_back(std::move(question));
  }
  return out;
}

core::Result<std::vector<SelfCheckResult>> Results(const toml::table& root) {
  const toml::array* list = root["result"].as_array();
  if (list == nullptr || list->empty()) return Invalid("needs [[result]] entries");
  std::vector<SelfCheckResult> out;
  for (const toml::node& entry : *list) {
    const toml::table* table = entry.as_table();
    if (table == nullptr) return Invalid("a [[result]] is not a table");
    SelfCheckResult result;
    const std::optional<std::int64_t> min_score = (*table)["min_score"].value<std::int64_t>();
    if (!min_score || *min_score < 0 || *min_score > 1000) {
      return Invalid("every result needs a min_score of 0 or more");
    }
    result.min_score = static_cast<int>(*min_score);
    UITWEG_TRY_ASSIGN(result.heading, Text((*table)["heading"], "a result's heading"));
    UITWEG_TRY_ASSIGN(result.text, Text((*table)["text"], "a result's text"));
    out.push_back(std::move(result));
  }
  std::sort(out.begin(), out.end(), [](const SelfCheckResult& a, const SelfCheckResult& b) {
    return a.min_score < b.min_score;
  });
  if (out.front().min_score != 0) return Invalid("one result needs min_score = 0");
  for (std::size_t i = 1; i < out.size(); ++i) {
    if (out[i].min_score == out[i - 1].min_score) return Invalid("two results share a min_score");
  }
  return out;
}

}  // namespace

core::Result<SelfCheck> ParseSelfCheck(std::string_view text) {
  toml::table parsed;
  try {
    parsed = toml::parse(text);
  } catch (const toml::parse_error& e) {
    return Invalid(fmt::format("line {}: {}", e.source().begin.line, e.description()));
  }
  const toml::table& root = parsed;
  SelfCheck check;
  UITWEG_TRY_ASSIGN(check.title, Text(root["title"], "title"));
  UITWEG_TRY_ASSIGN(check.intro, Text(root["intro"], "intro"));
  UITWEG_TRY_ASSIGN(check.yes, Text(root["yes"], "yes"));
  UITWEG_TRY_ASSIGN(check.sometimes, Text(root["sometimes"], "sometimes"));
  UITWEG_TRY_ASSIGN(check.no, Text(root["no"], "no"));
  UITWEG_TRY_ASSIGN(check.questions, Questions(root));
  UITWEG_TRY_ASSIGN(check.results, Results(root));
  int maximum = 0;
  for (const SelfCheckQuestion& question : check.questions) maximum += question.weight;
  if (check.results.back().min_score > maximum) {
    return Invalid(fmt::format("a result needs {} points but the most one can score is {}",
                               check.results.back().min_score, maximum));
  }
  return check;
}

const SelfCheckResult& ResultFor(const SelfCheck& check, int score) {
  const SelfCheckResult* chosen = &check.results.front();
  for (const SelfCheckResult& result : check.results) {
    if (result.min_score <= score) chosen = &result;
  }
  return *chosen;
}

int ScoreOf(const SelfCheck& check, const std::vector<std::string>& answers) {
  int score = 0;
  for (std::size_t i = 0; i < check.questions.size() && i < answers.size(); ++i) {
    if (answers[i] == "yes") score += check.questions[i].weight;
    if (answers[i] == "sometimes") score += check.questions[i].weight / 2;
  }
  return score;
}

}  // namespace uitweg::content
