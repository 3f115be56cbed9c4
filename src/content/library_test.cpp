// The content that ships: every page and self-check in every language it has must be usable,
// and Dutch and English must be complete, or the binary would serve a broken page.
#include "content/library.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>

#include "content/markdown.hpp"
#include "content/self_check.hpp"
#include "content/site.hpp"

namespace uitweg::content {
namespace {

TEST(LibraryTest, DutchAndEnglishHaveEveryPageAndEverySelfCheck) {
  for (std::string_view language : {"nl", "en"}) {
    for (std::string_view slug : kPageSlugs) {
      EXPECT_TRUE(BuiltInPage(slug, language).has_value()) << slug << "." << language;
    }
    for (std::string_view audience : kAudiences) {
      EXPECT_TRUE(BuiltInSelfCheck(audience, language).has_value()) << audience << "." << language;
    }
  }
}

TEST(LibraryTest, EveryBuiltInFileIsKnownAndUsable) {
  for (const ContentFile& file : BuiltInContentFiles()) {
    SCOPED_TRACE(std::string(file.path));
    if (file.path.starts_with("pages/")) {
      auto page = RenderMarkdown(file.text);
      EXPECT_TRUE(page) << (page ? "" : page.error().message);
    } else if (file.path.starts_with("self-check/")) {
      auto check = ParseSelfCheck(file.text);
      EXPECT_TRUE(check) << (check ? "" : check.error().message);
    } else if (file.path.starts_with("site/")) {
      auto words = ParseSiteWords(file.text);
      EXPECT_TRUE(words) << (words ? "" : words.error().message);
    } else {
      ADD_FAILURE() << "a file content/ does not use";
    }
  }
}

TEST(LibraryTest, SelfChecksAskTheSameQuestionsInEveryLanguage) {
  for (std::string_view audience : kAudiences) {
    auto dutch = ParseSelfCheck(*BuiltInSelfCheck(audience, kDefaultLanguage)).value();
    for (std::string_view language : kLanguages) {
      auto text = BuiltInSelfCheck(audience, language);
      if (!text) continue;
      auto check = ParseSelfCheck(*text).value();
      ASSERT_EQ(check.questions.size(), dutch.questions.size()) << audience << "." << language;
      for (std::size_t i = 0; i < dutch.questions.size(); ++i) {
        EXPECT_EQ(check.questions[i].id, dutch.questions[i].id);
        EXPECT_EQ(check.questions[i].weight, dutch.questions[i].weight);
      }
      ASSERT_EQ(check.results.size(), dutch.results.size());
      for (std::size_t i = 0; i < dutch.results.size(); ++i) {
        EXPECT_EQ(check.results[i].min_score, dutch.results[i].min_score);
      }
    }
  }
}

// One strong signal (a "yes" to a question of weight 3: threats, fear of stopping, a debt, a bank
// card lent) is never answered with "few signals".
TEST(LibraryTest, OneStrongSignalIsNeverCalledFewSignals) {
  for (std::string_view audience : kAudiences) {
    const SelfCheck check = ParseSelfCheck(*BuiltInSelfCheck(audience, kDefaultLanguage)).value();
    int lowest_above_zero = std::numeric_limits<int>::max();
    for (const SelfCheckResult& result : check.results) {
      if (result.min_score > 0) lowest_above_zero = std::min(lowest_above_zero, result.min_score);
    }
    for (const SelfCheckQuestion& question : check.questions) {
      if (question.weight == 3) {
        EXPECT_GE(question.weight, lowest_above_zero) << question.id;
      }
    }
  }
}

TEST(LibraryTest, KnowsItsLanguagesSlugsAndAudiences) {
  EXPECT_TRUE(IsLanguage("ar"));
  EXPECT_TRUE(IsRightToLeft("ar"));
  EXPECT_FALSE(IsRightToLeft("nl"));
  EXPECT_FALSE(IsLanguage("xx"));
  EXPECT_TRUE(IsPageSlug("privacy"));
  EXPECT_FALSE(IsPageSlug("../etc/passwd"));
  EXPECT_TRUE(IsAudience("other"));
  EXPECT_FALSE(BuiltInPage("privacy", "xx").has_value());
}

}  // namespace
}  // namespace uitweg::content
