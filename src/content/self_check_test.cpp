#include "content/self_check.hpp"

#include <gtest/gtest.h>

namespace uitweg::content {
namespace {

constexpr std::string_view kValid = R"(
title = "Check"
intro = "Three questions."
yes = "Yes"
sometimes = "Sometimes"
no = "No"

[[question]]
id = "pressure"
text = "Pressure?"
weight = 3

[[question]]
id = "debt"
text = "Debt?"
weight = 2

[[question]]
id = "quiet"
text = "Told to keep quiet?"
weight = 1

[[result]]
min_score = 4
heading = "Serious"
text = "Talk to us."

[[result]]
min_score = 0
heading = "Fine"
text = "Talk to us anyway."
)";

TEST(SelfCheckTest, ParsesQuestionsAndSortsResults) {
  auto check = ParseSelfCheck(kValid);
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_EQ(check->title, "Check");
  ASSERT_EQ(check->questions.size(), 3u);
  EXPECT_EQ(check->questions[0].id, "pressure");
  EXPECT_EQ(check->questions[0].weight, 3);
  ASSERT_EQ(check->results.size(), 2u);
  EXPECT_EQ(check->results[0].heading, "Fine");
}

TEST(SelfCheckTest, ScoresYesFullSometimesHalfAndPicksTheResult) {
  auto check = ParseSelfCheck(kValid).value();
  EXPECT_EQ(ScoreOf(check, {"no", "no", "no"}), 0);
  EXPECT_EQ(ScoreOf(check, {"sometimes", "sometimes", "sometimes"}), 1 + 1 + 0);
  EXPECT_EQ(ScoreOf(check, {"yes", "sometimes"}), 4);
  EXPECT_EQ(ScoreOf(check, {"yes", "yes", "yes", "yes"}), 6);
  EXPECT_EQ(ScoreOf(check, {"maybe", "yes", "no"}), 2);
  EXPECT_EQ(ResultFor(check, 0).heading, "Fine");
  EXPECT_EQ(ResultFor(check, 3).heading, "Fine");
  EXPECT_EQ(ResultFor(check, 4).heading, "Serious");
  EXPECT_EQ(ResultFor(check, 6).heading, "Serious");
}

std::string Replaced(std::string_view from, std::string_view to) {
  std::string text(kValid);
  text.replace(text.find(from), from.size(), to);
  return std::string(text);
}

TEST(SelfCheckTest, RefusesBrokenChecksWithAMessage) {
  const std::string broken[] = {
      "title = ",
      Replaced("title = \"Check\"", ""),
      Replaced("id = \"debt\"", "id = \"pressure\""),
      Replaced("id = \"debt\"", "id = \"Debt!\""),
      Replaced("weight = 2", "weight = 4"),
      Replaced("weight = 2", "weight = \"2\""),
      Replaced("min_score = 0", "min_score = 1"),
      Replaced("min_score = 0", "min_score = 4"),
      Replaced("min_score = 4", "min_score = 7"),
      Replaced("text = \"Debt?\"", "text = \"  \""),
  };
  for (const std::string& text : broken) {
    auto check = ParseSelfCheck(text);
    ASSERT_FALSE(check) << text;
    EXPECT_EQ(check.error().code, core::Errc::invalid_argument);
    EXPECT_TRUE(check.error().message.starts_with("self-check: ")) << check.error().message;
  }
}

}  // namespace
}  // namespace uitweg::content
