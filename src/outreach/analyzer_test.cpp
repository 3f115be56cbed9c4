#include "outreach/analyzer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace uitweg::outreach {
namespace {

constexpr const char* kLexicon = R"toml(
[[term]]
text = "pinpas"
category = "money_mule"
weight = 2

[[term]]
text = "pinpas uitlenen"
category = "money_mule"
weight = 5
variants = ["bankpas uitlenen"]

[[term]]
text = "pas"
category = "money_mule"
weight = 1

[[term]]
text = "snel geld"
category = "quick_money"
weight = 2

[[term]]
text = "bijverdien"
category = "quick_money"
weight = 1
prefix = true

[[term]]
text = "❄️"
category = "drugs"
weight = 1

[[term]]
text = "#moneyflips"
category = "money_mule"
weight = 3

[[term]]
text = "verdienen per dag"
category = "quick_money"
weight = 2
regex = "\\d+ ?(euro|eu|e) (per|p\\.?) ?dag"

[signals.bank_card]
category = "money_mule"
weight = 3
)toml";

class AnalyzerTest : public testing::Test {
 protected:
  AnalyzerTest()
      : lexicon_(Lexicon::Parse(kLexicon, "analyzer.toml").value()),
        analyzer_(Analyzer::Create(lexicon_).value()),
        worker_(analyzer_->NewWorker()) {}

  Finding Analyze(std::string text, std::vector<Entity> entities = {}) {
    Post post;
    post.text = std::move(text);
    post.entities = std::move(entities);
    return analyzer_->Analyze(post, *worker_);
  }

  static std::vector<std::string> Terms(const Finding& finding) {
    std::vector<std::string> terms;
    for (const Match& match : finding.matches) terms.push_back(match.term);
    return terms;
  }
  static std::vector<std::string> Texts(const Finding& finding) {
    std::vector<std::string> texts;
    for (const Match& match : finding.matches) texts.push_back(match.matched_text);
    return texts;
  }

  Lexicon lexicon_;
  std::unique_ptr<Analyzer> analyzer_;
  std::unique_ptr<Analyzer::Worker> worker_;
};

TEST_F(AnalyzerTest, InnocentTextHasNoFinding) {
  const Finding finding = Analyze("Hoi allemaal, morgen weer training om 19:00!");
  EXPECT_EQ(finding.score, 0);
  EXPECT_TRUE(finding.matches.empty());
}

TEST_F(AnalyzerTest, MatchesWholeWordsOnly) {
  EXPECT_TRUE(Analyze("mijn paspoort is verlopen").matches.empty());
  EXPECT_TRUE(Analyze("compassie").matches.empty());
  EXPECT_EQ(Terms(Analyze("pas op!")), std::vector<std::string>{"pas"});
}

TEST_F(AnalyzerTest, PrefixTermsMatchInflections) {
  EXPECT_EQ(Terms(Analyze("Bijverdienen? Bijverdienste!")),
            (std::vector<std::string>{"bijverdien", "bijverdien"}));
}

TEST_F(AnalyzerTest, ReportsTheOriginalTextOfObfuscatedSpellings) {
  const Finding finding = Analyze("Wie wil z'n P.1.N.P.A.S uit-lenen? of je p1np4s");
  EXPECT_EQ(Texts(finding), (std::vector<std::string>{"P.1.N.P.A.S", "p1np4s"}));
}

TEST_F(AnalyzerTest, LongestTermWinsWhereTermsOverlap) {
  const Finding finding = Analyze("Pinpas uitlenen = snel geld");
  EXPECT_EQ(Terms(finding), (std::vector<std::string>{"pinpas uitlenen", "snel geld"}));
  EXPECT_EQ(Texts(finding), (std::vector<std::string>{"Pinpas uitlenen", "snel geld"}));
  EXPECT_DOUBLE_EQ(finding.score, 7);
}

TEST_F(AnalyzerTest, VariantsCountAsTheirTerm) {
  const Finding finding = Analyze("BANKPAS UITLENEN");
  EXPECT_EQ(Terms(finding), std::vector<std::string>{"pinpas uitlenen"});
  EXPECT_EQ(Texts(finding), std::vector<std::string>{"BANKPAS UITLENEN"});
}

TEST_F(AnalyzerTest, ObfuscationsOfOneTerm) {
  const char* const kForms[] = {
      "snel geld",      "SNEL GELD",       "snel   geld",  "snelllll geeeld",
      "$nel g3ld",      "s.n.e.l g.e.l.d", "s n e l geld", "sn\u200Bel ge\u00ADld",
      "\u0455nel geld", "snel\u00A0geld",  "snel_geld",    "S-N-E-L G-E-L-D",
  };
  for (const char* form : kForms) {
    const Finding finding = Analyze(form);
    ASSERT_EQ(finding.matches.size(), 1u) << form;
    EXPECT_EQ(finding.matches[0].term, "snel geld") << form;
  }
}

TEST_F(AnalyzerTest, EmojiMatchWithAndWithoutVariationSelector) {
  EXPECT_EQ(Terms(Analyze("\u2744\uFE0F\u2744 te koop")),
            (std::vector<std::string>{"❄️", "❄️"}));
  const Finding finding = Analyze("spul: \u2744");
  ASSERT_EQ(finding.matches.size(), 1u);
  EXPECT_EQ(finding.matches[0].matched_text, "\u2744");
}

TEST_F(AnalyzerTest, HashtagTerm) {
  EXPECT_EQ(Terms(Analyze("#MoneyFlips #legit")), std::vector<std::string>{"#moneyflips"});
}

TEST_F(AnalyzerTest, RegexTermsReportWhereTheyStart) {
  const Finding finding = Analyze("Verdien 300 EURO per dag, echt");
  ASSERT_EQ(finding.matches.size(), 1u);
  EXPECT_EQ(finding.matches[0].term, "verdienen per dag");
  EXPECT_EQ(finding.matches[0].matched_text, "300 EURO per dag");
}

TEST_F(AnalyzerTest, EntitiesScoreWithoutAnyTerm) {
  const Finding finding = Analyze("stuur naar 1234 5678 9012 3456",
                                  {{"bank_card", "1234 5678 9012 3456"}, {"link", "https://x"}});
  EXPECT_DOUBLE_EQ(finding.score, 3);
  EXPECT_EQ(Terms(finding), std::vector<std::string>{"entity:bank_card"});
}

TEST_F(AnalyzerTest, InvalidUtf8IsSafe) {
  const Finding finding = Analyze(std::string("snel \xFF\xFE geld \xC3 pinpas\xE2\x82"));
  EXPECT_EQ(Terms(finding), std::vector<std::string>{"pinpas"});
}

TEST_F(AnalyzerTest, BelowTheMinimumOnlyTheScoreComesBack) {
  Post post;
  post.text = "Pinpas uitlenen = snel geld";
  const Finding full = analyzer_->Analyze(post, *worker_);
  const Finding below = analyzer_->Analyze(post, *worker_, full.score + 1);
  EXPECT_DOUBLE_EQ(below.score, full.score);
  EXPECT_TRUE(below.matches.empty());
  EXPECT_TRUE(below.categories.empty());
  const Finding at = analyzer_->Analyze(post, *worker_, full.score);
  EXPECT_DOUBLE_EQ(at.score, full.score);
  EXPECT_EQ(Texts(at), Texts(full));
  EXPECT_EQ(at.categories, full.categories);
}

TEST_F(AnalyzerTest, WorkersInParallelAgree) {
  const std::string text = "Pinpas uitlenen, snel geld, bijverdienen ❄️ #moneyflips";
  const Finding expected = Analyze(text);
  std::vector<std::thread> threads;
  std::vector<double> scores(4, -1);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto worker = analyzer_->NewWorker();
      Post post;
      post.text = text;
      double last = 0;
      for (int k = 0; k < 200; ++k) last = analyzer_->Analyze(post, *worker).score;
      scores[t] = last;
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const double score : scores) EXPECT_DOUBLE_EQ(score, expected.score);
}

}  // namespace
}  // namespace uitweg::outreach
