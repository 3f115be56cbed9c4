#include "app/review_rubric.hpp"

#include <gtest/gtest.h>

namespace uitweg::app {
namespace {

const std::string kLevels =
    "levels = [{ score = 1, nl = \"Zwak\", en = \"Weak\" }, { score = 2, nl = \"Goed\", en = "
    "\"Good\" }]\n";
const std::string kTexts =
    "label = { nl = \"Contact\", en = \"Contact\" }\ngood = { nl = \"Warm\", en = \"Warm\" }\n";

TEST(ReviewRubricTest, TheBuiltInRubricHoldsItsCriteriaWithLevelsAndWhatGoodLooksLike) {
  auto rubric = LoadReviewRubric("");
  ASSERT_TRUE(rubric) << rubric.error().message;
  EXPECT_EQ(rubric->version, 1);
  std::vector<std::string> ids;
  for (const auto& criterion : rubric->criteria) {
    ids.push_back(criterion.id);
    EXPECT_EQ(criterion.levels.size(), 4u) << criterion.id;
    EXPECT_FALSE(criterion.good.nl.empty()) << criterion.id;
    EXPECT_FALSE(criterion.good.en.empty()) << criterion.id;
  }
  EXPECT_EQ(ids,
            (std::vector<std::string>{"contact", "exploration", "risk", "next_step", "closing"}));
  EXPECT_EQ(rubric->criteria[0].levels[2].label.nl, "Goed");
  EXPECT_EQ(rubric->criteria[0].levels[2].score, 3);
  EXPECT_FALSE(rubric->criteria[0].not_applicable);
  EXPECT_TRUE(rubric->criteria[2].not_applicable);
}

TEST(ReviewRubricTest, ARubricWithOneCriterionAndTwoLevelsIsEnough) {
  auto rubric = ParseReviewRubric("version = 3\n[[criterion]]\nid = \"contact\"\n" + kTexts +
                                      "not_applicable = true\n" + kLevels,
                                  "mine.toml");
  ASSERT_TRUE(rubric) << rubric.error().message;
  EXPECT_EQ(rubric->version, 3);
  ASSERT_EQ(rubric->criteria.size(), 1u);
  EXPECT_TRUE(rubric->criteria[0].not_applicable);
  EXPECT_EQ(rubric->criteria[0].levels[1].label.en, "Good");
}

TEST(ReviewRubricTest, ARubricThatCannotBeMeantIsRefusedWithItsLineNeverACrash) {
  const std::string head = "[[criterion]]\nid = \"contact\"\n";
  for (const std::string& bad : {
           std::string("version = 1\n"),
           std::string("version = 0\n") + head + kTexts + kLevels,
           std::string("version = \"one\"\n") + head + kTexts + kLevels,
           std::string("[[criterion]]\nid = \"Contact\"\n") + kTexts + kLevels,
           std::string("[[criterion]]\n") + kTexts + kLevels,
           head + "label = { nl = \"Contact\" }\ngood = { nl = \"W\", en = \"W\" }\n" + kLevels,
           head + "label = { nl = \"Contact\", en = \"Contact\" }\n" + kLevels,
           head + "label = \"Contact\"\ngood = { nl = \"W\", en = \"W\" }\n" + kLevels,
           head + kTexts,
           head + kTexts + "levels = [{ score = 1, nl = \"Zwak\", en = \"Weak\" }]\n",
           head + kTexts +
               "levels = [{ score = 2, nl = \"a\", en = \"a\" }, { score = 1, nl = "
               "\"b\", en = \"b\" }]\n",
           head + kTexts +
               "levels = [{ score = 1, nl = \"a\", en = \"a\" }, { score = 1, nl = "
               "\"b\", en = \"b\" }]\n",
           head + kTexts +
               "levels = [{ score = 1, nl = \"a\", en = \"a\" }, { score = 11, nl = "
               "\"b\", en = \"b\" }]\n",
           head + kTexts +
               "levels = [{ score = 1.5, nl = \"a\", en = \"a\" }, { score = 2, nl = "
               "\"b\", en = \"b\" }]\n",
           head + kTexts +
               "levels = [{ score = 1, nl = \"a\" }, { score = 2, nl = \"b\", en = "
               "\"b\" }]\n",
           head + kTexts + "levels = [1, 2]\n",
           head + kTexts + kLevels + "not_applicable = \"yes\"\n",
           head + kTexts + kLevels + head + kTexts + kLevels,
           std::string("criterion = 5\n"),
           std::string("[[criterion\n"),
       }) {
    auto parsed = ParseReviewRubric(bad, "mine.toml");
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.error().code, core::Errc::invalid_argument) << bad;
    EXPECT_NE(parsed.error().message.find("mine.toml:"), std::string::npos)
        << parsed.error().message;
  }
  EXPECT_EQ(LoadReviewRubric("/nonexistent/review.toml").error().code, core::Errc::not_found);
}

}  // namespace
}  // namespace uitweg::app
