#include "outreach/scorer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace uitweg::outreach {
namespace {

constexpr const char* kLexicon = R"toml(
[[term]]
text = "pinpas"
category = "money_mule"
weight = 4

[[term]]
text = "snel geld"
category = "quick_money"
weight = 2

[[term]]
text = "dm"
category = "contact"
weight = 1

[[term]]
text = "waarschuwing"
category = "warning"
weight = -3

[[term]]
text = "cash"
category = "quick_money"
weight = 0.5

[signals.bank_card]
category = "money_mule"
weight = 3

[signals.phone]
category = "contact"
weight = 1

[[rule]]
name = "offer_with_contact"
all_categories = ["quick_money", "contact"]
boost = 2.5

[[rule]]
name = "mule_needs_pinpas"
all_categories = ["money_mule"]
any_terms = ["pinpas"]
boost = 1
)toml";

class ScorerTest : public testing::Test {
 protected:
  ScorerTest() : lexicon_(Lexicon::Parse(kLexicon, "scorer.toml").value()), scorer_(lexicon_) {}

  // Term indices as in kLexicon.
  static constexpr std::uint32_t kPinpas = 0, kSnelGeld = 1, kDm = 2, kWaarschuwing = 3, kCash = 4;

  Lexicon lexicon_;
  Scorer scorer_;
};

// One Scratch serves post after post: what one post hit counts for no later post.
TEST_F(ScorerTest, AReusedScratchForgetsThePostBefore) {
  Scorer::Scratch scratch;
  const std::vector<TermHit> pinpas_twice = {{kPinpas, 0, 6}, {kPinpas, 7, 13}};
  EXPECT_DOUBLE_EQ(scorer_.Tally(pinpas_twice, {}, scratch), 4 + 2 + 1);
  const std::vector<Entity> card = {{"bank_card", "1234"}};
  EXPECT_DOUBLE_EQ(scorer_.Tally({}, card, scratch), 3);  // no "mule_needs_pinpas" boost
  const Finding finding = scorer_.Score("pinpas pinpas", pinpas_twice, {}, scratch);
  EXPECT_DOUBLE_EQ(finding.score, 7);
  const std::vector<TermHit> pinpas_once = {{kPinpas, 0, 6}};
  EXPECT_DOUBLE_EQ(scorer_.Tally(pinpas_once, {}, scratch), 4 + 1);
  EXPECT_DOUBLE_EQ(scorer_.Tally({}, card, scratch), 3);
}

TEST_F(ScorerTest, NoHitsNoScore) {
  const Finding finding = scorer_.Score("hallo", {}, {});
  EXPECT_EQ(finding.score, 0);
  EXPECT_TRUE(finding.categories.empty());
  EXPECT_TRUE(finding.matches.empty());
}

TEST_F(ScorerTest, OneHitScoresItsWeightAndReportsTheOriginalText) {
  const std::string text = "Wie heeft SNEL GELD nodig";
  const std::vector<TermHit> hits = {{kSnelGeld, 10, 19}};
  const Finding finding = scorer_.Score(text, hits, {});
  EXPECT_DOUBLE_EQ(finding.score, 2);
  ASSERT_EQ(finding.matches.size(), 1u);
  EXPECT_EQ(finding.matches[0].term, "snel geld");
  EXPECT_EQ(finding.matches[0].category, "quick_money");
  EXPECT_EQ(finding.matches[0].matched_text, "SNEL GELD");
  EXPECT_EQ(finding.categories, std::vector<std::string>{"quick_money"});
}

TEST_F(ScorerTest, MatchesSayWhereTheyAreInTheText) {
  const std::string text = "SNEL GELD, bel 0612345678";
  const std::vector<TermHit> hits = {{kSnelGeld, 0, 9}};
  const std::vector<Entity> entities = {{"phone", "0612345678"}, {"phone", "0687654321"}};
  const Finding finding = scorer_.Score(text, hits, entities);
  ASSERT_EQ(finding.matches.size(), 4u);
  EXPECT_EQ(finding.matches[0].begin, 0u);
  EXPECT_EQ(finding.matches[0].end, 9u);
  EXPECT_EQ(finding.matches[1].begin, 15u);
  EXPECT_EQ(finding.matches[1].end, 25u);
  EXPECT_EQ(text.substr(finding.matches[1].begin, 10), finding.matches[1].matched_text);
  // An entity that is not in the text, and a rule, point at nothing.
  EXPECT_EQ(finding.matches[2].begin, finding.matches[2].end);
  EXPECT_EQ(finding.matches[3].term, "rule:offer_with_contact");
  EXPECT_EQ(finding.matches[3].begin, finding.matches[3].end);
}

TEST_F(ScorerTest, RepeatsOfATermCountHalfAsMuchEachTime) {
  const std::string text = "snel geld snel geld snel geld";
  const std::vector<TermHit> hits = {{kSnelGeld, 0, 9}, {kSnelGeld, 10, 19}, {kSnelGeld, 20, 29}};
  const Finding finding = scorer_.Score(text, hits, {});
  EXPECT_DOUBLE_EQ(finding.score, 2 + 1 + 0.5);
  ASSERT_EQ(finding.matches.size(), 3u);
  EXPECT_DOUBLE_EQ(finding.matches[2].weight, 0.5);
}

TEST_F(ScorerTest, DifferentTermsAddUpInFull) {
  const std::string text = "pinpas snel geld";
  const std::vector<TermHit> hits = {{kPinpas, 0, 6}, {kSnelGeld, 7, 16}};
  const Finding finding = scorer_.Score(text, hits, {});
  // 4 + 2, plus the rule that needs money_mule and "pinpas".
  EXPECT_DOUBLE_EQ(finding.score, 4 + 2 + 1);
  EXPECT_EQ(finding.categories, (std::vector<std::string>{"money_mule", "quick_money"}));
}

TEST_F(ScorerTest, RuleBoostsWhenAllCategoriesArePresent) {
  const std::string text = "snel geld dm";
  const std::vector<TermHit> hits = {{kSnelGeld, 0, 9}, {kDm, 10, 12}};
  const Finding finding = scorer_.Score(text, hits, {});
  EXPECT_DOUBLE_EQ(finding.score, 2 + 1 + 2.5);
  ASSERT_EQ(finding.matches.size(), 3u);
  EXPECT_EQ(finding.matches[2].term, "rule:offer_with_contact");
  EXPECT_DOUBLE_EQ(finding.matches[2].weight, 2.5);
}

TEST_F(ScorerTest, RuleNeedsEveryCategory) {
  const std::string text = "snel geld";
  const std::vector<TermHit> hits = {{kSnelGeld, 0, 9}};
  EXPECT_DOUBLE_EQ(scorer_.Score(text, hits, {}).score, 2);
}

TEST_F(ScorerTest, RuleIgnoresACategoryBelowTheRuleMinimum) {
  // quick_money scores 0.5 < rule_min_category_score (1): one ambiguous word sets off no boost.
  const std::string text = "cash dm";
  const std::vector<TermHit> hits = {{kCash, 0, 4}, {kDm, 5, 7}};
  EXPECT_DOUBLE_EQ(scorer_.Score(text, hits, {}).score, 0.5 + 1);
}

TEST_F(ScorerTest, RuleWithAnyTermsNeedsOneOfThem) {
  const std::vector<Entity> card = {{"bank_card", "1234 5678 9012 3456"}};
  // money_mule present through the entity only: the rule's "pinpas" is missing.
  const Finding finding = scorer_.Score("kaart", {}, card);
  EXPECT_DOUBLE_EQ(finding.score, 3);
}

TEST_F(ScorerTest, EntitiesAreSignalsInTheirCategory) {
  const std::string text = "snel geld 0612345678";
  const std::vector<TermHit> hits = {{kSnelGeld, 0, 9}};
  const std::vector<Entity> entities = {
      {"phone", "0612345678"}, {"phone", "0687654321"}, {"hashtag", "#geld"}};
  const Finding finding = scorer_.Score(text, hits, entities);
  // 2 + phone 1 + phone 0.5 + rule 2.5; the hashtag is no signal in this lexicon.
  EXPECT_DOUBLE_EQ(finding.score, 2 + 1 + 0.5 + 2.5);
  ASSERT_EQ(finding.matches.size(), 4u);
  EXPECT_EQ(finding.matches[1].term, "entity:phone");
  EXPECT_EQ(finding.matches[1].category, "contact");
  EXPECT_EQ(finding.matches[1].matched_text, "0612345678");
  EXPECT_TRUE(scorer_.HasSignal(entities));
  EXPECT_FALSE(scorer_.HasSignal(std::vector<Entity>{{"hashtag", "#geld"}}));
}

TEST_F(ScorerTest, NegativeWeightsLowerTheScoreButNotBelowZero) {
  const std::string text = "waarschuwing: snel geld";
  const std::vector<TermHit> with_offer = {{kWaarschuwing, 0, 12}, {kSnelGeld, 14, 23}};
  const Finding finding = scorer_.Score(text, with_offer, {});
  EXPECT_DOUBLE_EQ(finding.score, 0);
  EXPECT_EQ(finding.categories, std::vector<std::string>{"quick_money"});
  const std::vector<TermHit> warning_only = {{kWaarschuwing, 0, 12}};
  EXPECT_DOUBLE_EQ(scorer_.Score(text, warning_only, {}).score, 0);
}

TEST_F(ScorerTest, CategoriesAreOrderedByContribution) {
  const std::string text = "dm dm dm snel geld";
  const std::vector<TermHit> hits = {{kDm, 0, 2}, {kDm, 3, 5}, {kDm, 6, 8}, {kSnelGeld, 9, 18}};
  const Finding finding = scorer_.Score(text, hits, {});
  // contact 1.75 < quick_money 2
  EXPECT_EQ(finding.categories, (std::vector<std::string>{"quick_money", "contact"}));
}

}  // namespace
}  // namespace uitweg::outreach
