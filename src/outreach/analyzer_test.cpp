#include "outreach/analyzer.hpp"

#include <gtest/gtest.h>

#include <span>
#include <string>
#include <thread>
#include <vector>

#include "outreach/analyzer_patterns.hpp"

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

// A post that repeats a regex's match thousands of times: only the first few are placed (each
// costs anchored scans, and adds half the last), and the next post starts afresh.
TEST_F(AnalyzerTest, ARegexRepeatedWithoutEndIsPlacedAFewTimesPerPost) {
  std::string spam;
  for (int i = 0; i < 5000; ++i) spam += "50 euro per dag ";
  const Finding repeated = Analyze(spam);
  std::size_t placed = 0;
  for (const Match& match : repeated.matches) placed += match.term == "verdienen per dag";
  EXPECT_EQ(placed, 32u);
  EXPECT_NEAR(repeated.score, 4.0, 1e-6) << "2 + 1 + 0.5 + ...";
  EXPECT_EQ(Terms(Analyze("50 euro per dag")), std::vector<std::string>{"verdienen per dag"});
}

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

// Terms match the inflected forms of their last word through Snowball's Dutch stemmer, unless
// marked exact; the hit covers the whole inflected word.
TEST(AnalyzerInflectionTest, TermsMatchTheirInflectedFormsUnlessExact) {
  auto lexicon = Lexicon::Parse(R"toml(
[[term]]
text = "rekening verhuren"
category = "money_mule"
weight = 5

[[term]]
text = "geldezel"
category = "money_mule"
weight = 4

[[term]]
text = "runner"
category = "drugs"
weight = 3
exact = true
)toml",
                                "inflection.toml");
  ASSERT_TRUE(lexicon) << lexicon.error().message;
  auto analyzer = Analyzer::Create(*lexicon);
  ASSERT_TRUE(analyzer) << analyzer.error().message;
  auto worker = (*analyzer)->NewWorker();
  const auto texts = [&](const std::string& text) {
    Post post;
    post.text = text;
    std::vector<std::string> found;
    for (const Match& match : (*analyzer)->Analyze(post, *worker).matches) {
      found.push_back(match.matched_text);
    }
    return found;
  };
  EXPECT_EQ(texts("Geldezels gezocht"), std::vector<std::string>{"Geldezels"});
  EXPECT_EQ(texts("rekening verhuren"), std::vector<std::string>{"rekening verhuren"});
  EXPECT_EQ(texts("rekening verhuur"), std::vector<std::string>{"rekening verhuur"});
  EXPECT_TRUE(texts("geldezelachtig gedoe").empty()) << "a longer word with another stem";
  EXPECT_TRUE(texts("rekening verhuizen").empty()) << "shares 'verhu' but not the stem";
  EXPECT_EQ(texts("runner"), std::vector<std::string>{"runner"});
  EXPECT_TRUE(texts("runners").empty()) << "exact terms match only as written";
  auto bad = Lexicon::Parse("[[term]]\ntext = \"a\"\ncategory = \"c\"\nweight = 1\nexact = 1\n",
                            "bad.toml");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("\"exact\" must be true or false"), std::string::npos);
}

TEST_F(AnalyzerTest, ReportsTheOriginalTextOfObfuscatedSpellings) {
  const Finding finding = Analyze("Wie wil z'n P.1.N.P.A.S uit-lenen? of je p1np4s");
  // "uit-lenen" is "uitlenen" with a hyphen inside: the longer term takes both words.
  EXPECT_EQ(Texts(finding), (std::vector<std::string>{"P.1.N.P.A.S uit-lenen", "p1np4s"}));
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

// Near-misses cost as much as hits: a regex that opens on a word boundary matches "12 pw" in
// "a12 pw" in the scan (which leaves the boundary out), then finds no start. After a post's
// share of tries the regex is not looked at again in that post, so that thousands of
// near-misses cannot cost seconds; the next post is tried afresh.
TEST(AnalyzerRegexTest, NearMissesUseUpTheTriesOfAPost) {
  const auto lexicon = Lexicon::Parse(R"toml(
[[term]]
text = "per pw"
category = "quick_money"
weight = 1
regex = '\b\d+ ?pw\b'
)toml",
                                      "tries.toml");
  ASSERT_TRUE(lexicon) << lexicon.error().message;
  const auto analyzer = Analyzer::Create(*lexicon).value();
  const auto worker = analyzer->NewWorker();
  Post post;
  for (int i = 0; i < 5000; ++i) post.text += "a12 pw ";
  post.text += "9pw";
  EXPECT_TRUE(analyzer->Analyze(post, *worker).matches.empty()) << "its tries were used up";
  Post next;
  next.text = "9pw";
  EXPECT_EQ(analyzer->Analyze(next, *worker).matches.size(), 1u);
  // The same in a batch: each post has its own tries.
  std::vector<PostFinding> found;
  const std::vector<Post> posts{post, next};
  analyzer->AnalyzeBatch(posts, *worker, 0, found);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].post, 1u);
}

// Only compiling finds a regex too large for Hyperscan: Create's error names the term and line.
TEST(AnalyzerCompileTest, ARegexTooLargeIsNamedWithItsLine) {
  const auto lexicon = Lexicon::Parse(R"toml(
[[term]]
text = "geld"
category = "quick_money"
weight = 1

[[term]]
text = "groot"
category = "quick_money"
weight = 1
regex = '(?:.{0,500}x){20}'
)toml",
                                      "large.toml");
  ASSERT_TRUE(lexicon) << lexicon.error().message;
  const auto analyzer = Analyzer::Create(*lexicon);
  ASSERT_FALSE(analyzer);
  EXPECT_EQ(analyzer.error().message.rfind("large.toml:7: cannot compile term \"groot\": ", 0), 0u)
      << analyzer.error().message;
}

// A regex's anchored form compiles on first use; workers on several threads may need it at once.
TEST_F(AnalyzerTest, RegexStartsFoundByManyWorkersAtOnce) {
  const auto analyzer = Analyzer::Create(lexicon_).value();
  std::vector<std::thread> threads;
  std::vector<std::string> texts(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto worker = analyzer->NewWorker();
      Post post;
      post.text = "Verdien 300 EURO per dag, echt";
      const Finding finding = analyzer->Analyze(post, *worker);
      if (finding.matches.size() == 1) texts[t] = finding.matches[0].matched_text;
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& text : texts) EXPECT_EQ(text, "300 EURO per dag");
}

TEST_F(AnalyzerTest, BatchAgreesWithOnePostAtATime) {
  const std::vector<std::string> texts = {
      "Hoi allemaal, morgen weer training om 19:00!",
      "Pinpas uitlenen = snel geld",
      "",
      "Verdien 300 EURO per dag, echt",
      "Wie wil z'n P.1.N.P.A.S uit-lenen? of je p1np4s",
      "snel \xFF\xFE geld \xC3 pinpas\xE2\x82",
      "pas\nop\n\npas",
      "mijn paspoort is verlopen",
      "\u2744\uFE0F\u2744 te koop",
      "stuur naar 1234 5678 9012 3456",
      "Bijverdienen? Bijverdienste! #MoneyFlips",
  };
  std::vector<Post> posts;
  for (int round = 0; round < 3000; ++round) {  // more than one run of the batch buffer
    for (const std::string& text : texts) {
      Post post;
      post.text = text;
      if (text.starts_with("stuur")) post.entities.push_back({"bank_card", "1234 5678 9012 3456"});
      posts.push_back(std::move(post));
    }
  }
  std::vector<PostFinding> found;
  analyzer_->AnalyzeBatch(posts, *worker_, 0.5, found);
  std::size_t next = 0;
  for (std::size_t i = 0; i < posts.size(); ++i) {
    const Finding one = analyzer_->Analyze(posts[i], *worker_, 0.5);
    if (one.matches.empty()) continue;
    ASSERT_LT(next, found.size());
    ASSERT_EQ(found[next].post, i) << posts[i].text;
    EXPECT_DOUBLE_EQ(found[next].finding.score, one.score) << posts[i].text;
    EXPECT_EQ(Texts(found[next].finding), Texts(one)) << posts[i].text;
    EXPECT_EQ(found[next].finding.categories, one.categories) << posts[i].text;
    ++next;
  }
  EXPECT_EQ(next, found.size());
  EXPECT_EQ(next, 3000u * 8);
}

TEST_F(AnalyzerTest, BatchKeepsOnlyPostsAtTheMinimum) {
  std::vector<Post> posts(3);
  posts[0].text = "pas op";                       // 1
  posts[1].text = "Pinpas uitlenen = snel geld";  // 7
  posts[2].text = "niets";
  std::vector<PostFinding> found;
  analyzer_->AnalyzeBatch(posts, *worker_, 2, found);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].post, 1u);
  EXPECT_DOUBLE_EQ(found[0].finding.score, 7);
  found.clear();
  analyzer_->AnalyzeBatch(std::span<const Post>(), *worker_, 0, found);
  EXPECT_TRUE(found.empty());
}

// Text is normalised to lowercase; a regex spelled with capitals or a non-ASCII letter still
// matches, as does one spelled in lowercase.
TEST(AnalyzerRegexTest, RegexesMatchWhateverCaseTheyAreSpelledIn) {
  const Lexicon lexicon = Lexicon::Parse(R"toml(
[[term]]
text = "snap-regel"
category = "contact"
weight = 2
regex = '\bSNAP ?Me\b'

[[term]]
text = "dm-regel"
category = "contact"
weight = 2
regex = '\bdm ?(mij|me)\b'

[[term]]
text = "cafe-regel"
category = "contact"
weight = 2
regex = '\bCAFÉ\b|\bCafe'
)toml",
                                         "case.toml")
                              .value();
  auto analyzer = Analyzer::Create(lexicon).value();
  auto worker = analyzer->NewWorker();
  const std::pair<const char*, const char*> kCases[] = {
      {"snap me", "snap-regel"}, {"SnapMe", "snap-regel"}, {"DM ME", "dm-regel"},
      {"dm mij", "dm-regel"},    {"Café", "cafe-regel"},
  };
  for (const auto& [text, term] : kCases) {
    Post post;
    post.text = text;
    const Finding finding = analyzer->Analyze(post, *worker);
    ASSERT_EQ(finding.matches.size(), 1u) << text;
    EXPECT_EQ(finding.matches[0].term, term) << text;
    EXPECT_EQ(finding.matches[0].matched_text, text) << text;
  }
}

TEST(RegexFormsTest, TakesOffAnOpeningBoundaryThatEveryMatchNeeds) {
  const std::pair<const char*, const char*> kTakenOff[] = {
      {R"(\bfoo\b)", R"(foo\b)"},   {R"(\b(foo|bar))", R"((foo|bar))"},
      {R"(\b[|]x)", R"([|]x)"},     {R"(\b[]|]x)", R"([]|]x)"},
      {R"(\b[^]|]x)", R"([^]|]x)"}, {R"(\b[[:alpha:]|]x)", R"([[:alpha:]|]x)"},
      {R"(\b\|x)", R"(\|x)"},       {R"(\b(?:a|b)c)", R"((?:a|b)c)"},
  };
  for (const auto& [regex, scanned] : kTakenOff) {
    const patterns::RegexForms forms = patterns::FormsOf(regex);
    EXPECT_EQ(forms.scanned, scanned) << regex;
    EXPECT_EQ(forms.anchored, "^(?:" + std::string(scanned) + ")") << regex;
    EXPECT_TRUE(forms.boundary_at_start) << regex;
  }
  // Kept: an alternative that may not open with \b, a quantified \b, what needs a full parser.
  for (const char* regex : {R"(\bfoo|bar)", R"(\b(a)|(b))", R"(foo\b)", R"(\b?foo)", R"(\b{1}foo)",
                            R"(\b(?i)foo|bar)", R"(\b\Qa|b\E)", R"(\b)"}) {
    const patterns::RegexForms forms = patterns::FormsOf(regex);
    EXPECT_EQ(forms.scanned, regex) << regex;
    EXPECT_EQ(forms.anchored, "^(?:" + std::string(regex) + ")") << regex;
    EXPECT_FALSE(forms.boundary_at_start) << regex;
  }
}

// A regex that opens with \b is scanned without it (analyzer_patterns.hpp, RegexForms): its
// matches must still start at a word boundary, as Hyperscan reads \b: between a word byte and
// another byte, whichever comes first.
TEST(AnalyzerRegexTest, ARegexOpeningWithAWordBoundaryMatchesOnlyFromOne) {
  const Lexicon lexicon = Lexicon::Parse(R"toml(
[[term]]
text = "per-week-regel"
category = "quick_money"
weight = 2
regex = '\b\d+ ?(per week|pw)\b'

[[term]]
text = "bedrag-regel"
category = "quick_money"
weight = 2
regex = '\b[+=]?\d{3}\b'
)toml",
                                         "boundary.toml")
                              .value();
  auto analyzer = Analyzer::Create(lexicon).value();
  auto worker = analyzer->NewWorker();
  const std::pair<const char*, std::vector<std::string>> kCases[] = {
      {"500 per week", {"500 per week"}},
      {"ik krijg 1500pw", {"1500pw"}},
      {"ps500 per week", {}},
      {"de ps5 pw", {}},
      {"nu 1500 per week", {"1500 per week"}},
      // \b before '+' needs a word byte before it; without one, the match starts at the digits.
      {"x+500", {"+500"}},
      {"x +500", {"500"}},
      {"=500", {"500"}},
      {"a500", {}},
  };
  for (const auto& [text, expected] : kCases) {
    Post post;
    post.text = text;
    const Finding finding = analyzer->Analyze(post, *worker);
    std::vector<std::string> matched;
    for (const Match& match : finding.matches) matched.push_back(match.matched_text);
    EXPECT_EQ(matched, expected) << text;
    if (expected.empty()) {
      EXPECT_EQ(finding.score, 0) << text;
    }
    std::vector<PostFinding> found;
    analyzer->AnalyzeBatch(std::span<const Post>(&post, 1), *worker, 0, found);
    EXPECT_EQ(found.size(), expected.empty() ? 0u : 1u) << text;
  }
}

// Posts of a batch are scanned together; a regex sees each post on its own: no match across two
// posts, and $ holds at each post's end. (The lexicon rejects ^: the Analyzer anchors regexes.)
TEST(AnalyzerBatchTest, RegexesSeeOnePostAtATime) {
  const Lexicon lexicon = Lexicon::Parse(R"toml(
[[term]]
text = "kom-langs-regel"
category = "contact"
weight = 2
regex = '\bkom\W+langs\b'

[[term]]
text = "snel-regel"
category = "quick_money"
weight = 2
regex = '\bsnel$'
)toml",
                                         "batch.toml")
                              .value();
  auto analyzer = Analyzer::Create(lexicon).value();
  auto worker = analyzer->NewWorker();
  std::vector<Post> posts(5);
  posts[0].text = "wil je dat ik kom";
  posts[1].text = "langs de weg";
  posts[2].text = "kom, langs! snel";
  posts[3].text = "snel weg";
  posts[4].text = "echt snel";
  std::vector<PostFinding> found;
  analyzer->AnalyzeBatch(posts, *worker, 0, found);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].post, 2u);
  ASSERT_EQ(found[0].finding.matches.size(), 2u);
  EXPECT_EQ(found[0].finding.matches[0].matched_text, "kom, langs");
  EXPECT_EQ(found[0].finding.matches[1].matched_text, "snel");
  EXPECT_EQ(found[1].post, 4u);
  ASSERT_EQ(found[1].finding.matches.size(), 1u);
  EXPECT_EQ(found[1].finding.matches[0].matched_text, "snel");
}

}  // namespace
}  // namespace uitweg::outreach
