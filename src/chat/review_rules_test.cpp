#include "chat/review_rules.hpp"

#include <gtest/gtest.h>

#include <set>

namespace uitweg::chat {
namespace {

model::ReviewRubric TwoCriteria() {
  const std::vector<model::RubricLevel> levels = {{1, {"Zwak", "Weak"}}, {2, {"Goed", "Good"}}};
  return model::ReviewRubric{
      .version = 1,
      .criteria = {
          {.id = "contact", .label = {}, .good = {}, .levels = levels},
          {.id = "risk", .label = {}, .good = {}, .levels = levels, .not_applicable = true}}};
}

TEST(ReviewRulesTest, ASampleHoldsDistinctCandidatesInTheOrderDrawn) {
  const std::vector<std::string> candidates = {"a", "b", "c", "d", "e"};
  // Always the last place: e, then a (swapped there for e), then b (swapped there for a).
  const auto last = [](std::uint32_t upper) { return upper - 1; };
  EXPECT_EQ(DrawAtRandom(candidates, 3, last), (std::vector<std::string>{"e", "a", "b"}));
  const auto first = [](std::uint32_t) { return 0u; };
  EXPECT_EQ(DrawAtRandom(candidates, 2, first), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(DrawAtRandom(candidates, 9, first).size(), 5u) << "never more than there are";
  EXPECT_TRUE(DrawAtRandom({}, 3, first).empty());
}

TEST(ReviewRulesTest, EveryCandidateCanBeDrawnFirst) {
  const std::vector<std::string> candidates = {"a", "b", "c", "d"};
  std::set<std::string> firsts;
  std::uint32_t next = 0;
  const auto cycling = [&next](std::uint32_t upper) { return next++ % upper; };
  for (int i = 0; i < 8; ++i) firsts.insert(DrawAtRandom(candidates, 1, cycling).front());
  EXPECT_EQ(firsts.size(), 4u);
}

TEST(ReviewRulesTest, EveryCriterionNeedsOneOfItsLevelsOrNotApplicableWhereAllowed) {
  const model::ReviewRubric rubric = TwoCriteria();
  EXPECT_TRUE(CheckScores(rubric, {{"contact", 2}, {"risk", 1}}));
  EXPECT_TRUE(CheckScores(rubric, {{"contact", 1}, {"risk", std::nullopt}}));
  for (const model::ReviewScores& bad : std::vector<model::ReviewScores>{
           {{"contact", 2}},
           {{"contact", 3}, {"risk", 1}},
           {{"contact", std::nullopt}, {"risk", 1}},
           {{"contact", 2}, {"risk", 1}, {"tone", 2}},
           {},
       }) {
    const core::Status checked = CheckScores(rubric, bad);
    ASSERT_FALSE(checked);
    EXPECT_EQ(checked.error().code, core::Errc::invalid_argument) << checked.error().message;
  }
}

TEST(ReviewRulesTest, ACommentIsTrimmedShortAndPlainText) {
  EXPECT_EQ(CleanComment("  Mooi gesprek.\nVraag door.  ").value(), "Mooi gesprek.\nVraag door.");
  EXPECT_EQ(CleanComment("").value(), "");
  EXPECT_EQ(CleanComment(std::string(model::kMaxReviewCommentChars, 'a')).value().size(),
            model::kMaxReviewCommentChars);
  for (const std::string& bad : {std::string(model::kMaxReviewCommentChars + 1, 'a'),
                                 std::string("bad \xff byte"), std::string("bell \x07"),
                                 std::string("hidden\xE2\x80\xAE"
                                             "text")}) {
    EXPECT_EQ(CleanComment(bad).error().code, core::Errc::invalid_argument) << bad;
  }
}

}  // namespace
}  // namespace uitweg::chat
