#include "app/review_rubric.hpp"

#include <fmt/format.h>

#include <set>

#include "app/form_toml.hpp"

namespace uitweg::app {
namespace {

core::Result<model::LabelText> TextsAt(const toml::table& criterion, std::string_view key,
                                       std::string_view origin, std::string_view what) {
  const toml::table* texts = criterion[key].as_table();
  if (texts == nullptr) {
    return FormError(origin, criterion, fmt::format("{} needs a text in nl and en", what));
  }
  return FormTexts(*texts, origin, what);
}

core::Result<std::vector<model::RubricLevel>> LevelsOf(const toml::table& criterion,
                                                       std::string_view origin,
                                                       const std::string& id) {
  const toml::array* levels = criterion["levels"].as_array();
  if (levels == nullptr || levels->size() < 2 || levels->size() > kMaxRubricLevels) {
    return FormError(origin, criterion,
                     fmt::format("{}: levels is a list of 2 to {} levels", id, kMaxRubricLevels));
  }
  std::vector<model::RubricLevel> parsed;
  for (const toml::node& node : *levels) {
    const toml::table* level = node.as_table();
    if (level == nullptr) return FormError(origin, node, id + ": a level is a table");
    const std::optional<std::int64_t> score = (*level)["score"].value_exact<std::int64_t>();
    if (!score || *score < 0 || *score > kMaxRubricScore) {
      return FormError(
          origin, *level,
          fmt::format("{}: a level's score is a whole number from 0 to {}", id, kMaxRubricScore));
    }
    if (!parsed.empty() && *score <= parsed.back().score) {
      return FormError(origin, *level, id + ": the levels' scores ascend, each once");
    }
    model::RubricLevel added{.score = *score};
    UITWEG_TRY_ASSIGN(added.label,
                      FormTexts(*level, origin, fmt::format("{} level {}", id, *score)));
    parsed.push_back(std::move(added));
  }
  return parsed;
}

}  // namespace

core::Result<model::ReviewRubric> ParseReviewRubric(std::string_view text,
                                                    std::string_view origin) {
  UITWEG_TRY_ASSIGN(toml::table root, ParseFormToml(text, origin));
  model::ReviewRubric rubric;
  if (const toml::node_view version = root["version"]; version) {
    const std::optional<std::int64_t> number = version.value_exact<std::int64_t>();
    if (!number || *number < 1)
      return FormError(origin, *version.node(), "version is a whole number from 1");
    rubric.version = *number;
  }
  const toml::array* criteria = root["criterion"].as_array();
  if (criteria == nullptr || criteria->empty() || criteria->size() > kMaxRubricCriteria) {
    return FormError(
        origin, root,
        fmt::format("the rubric needs 1 to {} [[criterion]] entries", kMaxRubricCriteria));
  }
  std::set<std::string, std::less<>> ids;
  for (const toml::node& node : *criteria) {
    const toml::table* table = node.as_table();
    if (table == nullptr) return FormError(origin, node, "a criterion is a table");
    model::RubricCriterion criterion;
    criterion.id = (*table)["id"].value_or(std::string());
    if (!IsFormId(criterion.id)) {
      return FormError(origin, *table, "a criterion's id is 1 to 40 of a-z, 0-9 and _");
    }
    if (!ids.insert(criterion.id).second) {
      return FormError(origin, *table, "criterion " + criterion.id + " repeats");
    }
    UITWEG_TRY_ASSIGN(criterion.label, TextsAt(*table, "label", origin, criterion.id + ".label"));
    UITWEG_TRY_ASSIGN(criterion.good, TextsAt(*table, "good", origin, criterion.id + ".good"));
    UITWEG_TRY_ASSIGN(criterion.levels, LevelsOf(*table, origin, criterion.id));
    if (const toml::node_view flag = (*table)["not_applicable"]; flag) {
      const std::optional<bool> allowed = flag.value_exact<bool>();
      if (!allowed)
        return FormError(origin, *table, criterion.id + ": not_applicable is true or false");
      criterion.not_applicable = *allowed;
    }
    rubric.criteria.push_back(std::move(criterion));
  }
  return rubric;
}

core::Result<model::ReviewRubric> LoadReviewRubric(const std::string& path) {
  if (path.empty()) return ParseReviewRubric(BuiltInReviewRubric(), "forms/review.toml");
  UITWEG_TRY_ASSIGN(const std::string text, ReadFormFile(path, "review rubric"));
  return ParseReviewRubric(text, path);
}

}  // namespace uitweg::app
