#include "insights/emerging_terms.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace uitweg::insights {
namespace {

void AddTimes(EmergingTerms& terms, Window window, std::string_view text, int times) {
  for (int i = 0; i < times; ++i) terms.Add(window, text);
}

const std::function<bool(std::string_view)> kNothingKnown = {};

std::vector<std::string> Names(const std::vector<EmergingTerm>& terms) {
  std::vector<std::string> names;
  for (const EmergingTerm& term : terms) names.push_back(term.term);
  return names;
}

TEST(EmergingTermsTest, CutsWordsOfThreeToThirtyLettersAndPairsOfNeighbours) {
  EXPECT_EQ(TermsOf("Geld op de bankapp, 500 euro!"),
            (std::vector<std::string>{"bankapp", "bankapp euro", "euro", "geld"}));
  EXPECT_EQ(TermsOf("bank app"), (std::vector<std::string>{"app", "bank", "bank app"}));
  EXPECT_EQ(TermsOf("mijn bank\x1e"
                    "app mij"),
            (std::vector<std::string>{"app", "app mij", "bank", "mij", "mijn", "mijn bank"}))
      << "no pair across two messages";
  EXPECT_EQ(TermsOf("mijn bank\napp"),
            (std::vector<std::string>{"app", "bank", "bank app", "mijn", "mijn bank"}))
      << "a line break within one message";
  // No letter three times in a row: the normaliser would make those one.
  const std::string thirty = "abcdefghijabcdefghijabcdefghij";
  const std::string thirty_one = thirty + "k";
  EXPECT_EQ(TermsOf(thirty + " " + thirty_one + " ok"), (std::vector<std::string>{thirty}));
  EXPECT_TRUE(TermsOf("ik ga nu 06-12345678").empty());
  EXPECT_EQ(TermsOf("bankapp bankapp BANKAPP"),
            (std::vector<std::string>{"bankapp", "bankapp bankapp"}));
}

TEST(EmergingTermsTest, FoldsLeetspeakCaseAndDiacritics) {
  EXPECT_EQ(TermsOf("B4NK4PP"), (std::vector<std::string>{"bankapp"}));
  EXPECT_EQ(TermsOf("b4nk4pp"), (std::vector<std::string>{"bankapp"}));
  EXPECT_EQ(TermsOf("Café"), (std::vector<std::string>{"cafe"}));

  EmergingTerms terms;
  AddTimes(terms, Window::baseline, "hallo", 100);
  AddTimes(terms, Window::recent, "mag ik je b4nk4pp", 6);
  AddTimes(terms, Window::recent, "BANKAPP gevraagd", 6);
  const std::vector<EmergingTerm> emerging = terms.Result({}, kNothingKnown);
  ASSERT_FALSE(emerging.empty());
  EXPECT_EQ(emerging[0].term, "bankapp");
  EXPECT_EQ(emerging[0].recent, 12);
  EXPECT_EQ(emerging[0].baseline, 0);
}

TEST(EmergingTermsTest, ATermCountsOncePerConversation) {
  EmergingTerms terms;
  terms.Add(Window::recent, "bankapp bankapp BANKAPP b4nk4pp");
  const std::vector<EmergingTerm> emerging = terms.Result({1, 0.0, 10}, kNothingKnown);
  ASSERT_EQ(Names(emerging), (std::vector<std::string>{"bankapp"}));
  EXPECT_EQ(emerging[0].recent, 1);
  EXPECT_EQ(terms.conversations(Window::recent), 1);
  EXPECT_EQ(terms.conversations(Window::baseline), 0);
}

TEST(EmergingTermsTest, ATermInFewerConversationsThanTheThresholdNeverShows) {
  EmergingTerms terms;
  AddTimes(terms, Window::baseline, "hallo", 1000);
  AddTimes(terms, Window::recent, "ze willen mijn bankapp", 9);
  // A ratio of 1001, but only 9 conversations.
  EXPECT_TRUE(terms.Result({}, kNothingKnown).empty());
  EXPECT_TRUE(terms.Result({10, 0.0, 50}, kNothingKnown).empty());

  terms.Add(Window::recent, "bankapp");
  EXPECT_EQ(Names(terms.Result({}, kNothingKnown)), (std::vector<std::string>{"bankapp"}));
}

TEST(EmergingTermsTest, ASteadyCommonWordDoesNotEmerge) {
  EmergingTerms terms;
  AddTimes(terms, Window::baseline, "ik heb geld nodig voor de huur", 200);
  AddTimes(terms, Window::baseline, "hoi", 200);
  AddTimes(terms, Window::recent, "de geld zorgen", 40);
  AddTimes(terms, Window::recent, "hoi", 60);
  const std::vector<EmergingTerm> emerging = terms.Result({}, kNothingKnown);
  // "geld": 40 of 100 recent, 200 of 400 before; "de" is too short to be a word at all; "geld
  // zorgen" rose, but only as much as "zorgen".
  EXPECT_EQ(Names(emerging), (std::vector<std::string>{"zorgen"}));
}

TEST(EmergingTermsTest, KnownTermsAreLeftOut) {
  EmergingTerms terms;
  AddTimes(terms, Window::baseline, "hallo", 100);
  AddTimes(terms, Window::recent, "bankapp", 20);
  AddTimes(terms, Window::recent, "drop", 15);
  const auto lexicon = [](std::string_view term) { return term == "bankapp"; };
  EXPECT_EQ(Names(terms.Result({}, lexicon)), (std::vector<std::string>{"drop"}));
  EXPECT_EQ(Names(terms.Result({}, kNothingKnown)), (std::vector<std::string>{"bankapp", "drop"}));
}

TEST(EmergingTermsTest, APairEmergesWhenItsWordsDoNot) {
  EmergingTerms terms;
  AddTimes(terms, Window::baseline, "mijn bank", 50);
  AddTimes(terms, Window::baseline, "een app", 50);
  AddTimes(terms, Window::recent, "bank app", 12);
  AddTimes(terms, Window::recent, "mijn bank", 38);
  AddTimes(terms, Window::recent, "een app", 38);
  AddTimes(terms, Window::recent, "ok", 12);
  const std::vector<EmergingTerm> emerging = terms.Result({}, kNothingKnown);
  ASSERT_EQ(Names(emerging), (std::vector<std::string>{"bank app"}));
  EXPECT_EQ(emerging[0].recent, 12);
  EXPECT_EQ(emerging[0].baseline, 0);
  EXPECT_DOUBLE_EQ(emerging[0].ratio, 13.0);  // (13 / 101) / (1 / 101)
}

TEST(EmergingTermsTest, APairIsLeftOutWhenOneOfItsWordsEmerges) {
  EmergingTerms terms;
  AddTimes(terms, Window::baseline, "geven", 100);
  AddTimes(terms, Window::recent, "bankapp geven", 15);
  AddTimes(terms, Window::recent, "geven", 85);
  EXPECT_EQ(Names(terms.Result({}, kNothingKnown)), (std::vector<std::string>{"bankapp"}));
  // Also when the lexicon knows the word: the pair rose only because the word did.
  const auto lexicon = [](std::string_view term) { return term == "bankapp"; };
  EXPECT_TRUE(terms.Result({}, lexicon).empty());
}

TEST(EmergingTermsTest, SortsByRatioThenRecentCountThenTermAndKeepsTheLimit) {
  EmergingTerms terms;
  AddTimes(terms, Window::baseline, "hallo", 99);
  terms.Add(Window::baseline, "drop");
  AddTimes(terms, Window::recent, "drop", 30);  // ratio 31/2
  AddTimes(terms, Window::recent, "plug", 20);  // ratio 21
  AddTimes(terms, Window::recent, "mule", 20);  // ratio 21
  AddTimes(terms, Window::recent, "klus", 30);  // ratio 31
  const std::vector<EmergingTerm> emerging = terms.Result({}, kNothingKnown);
  EXPECT_EQ(Names(emerging), (std::vector<std::string>{"klus", "mule", "plug", "drop"}));
  EXPECT_DOUBLE_EQ(emerging[0].ratio, 31.0);
  EXPECT_DOUBLE_EQ(emerging[3].ratio, 15.5);
  EXPECT_EQ(emerging[3].baseline, 1);

  EXPECT_EQ(Names(terms.Result({10, 3.0, 2}, kNothingKnown)),
            (std::vector<std::string>{"klus", "mule"}));
  EXPECT_EQ(Names(terms.Result({10, 20.0, 50}, kNothingKnown)),
            (std::vector<std::string>{"klus", "mule", "plug"}));
}

TEST(EmergingTermsTest, NothingAddedNothingEmerges) {
  const EmergingTerms terms;
  EXPECT_TRUE(terms.Result({}, kNothingKnown).empty());
  EXPECT_TRUE(terms.Result({0, 0.0, 50}, kNothingKnown).empty());
}

}  // namespace
}  // namespace uitweg::insights
