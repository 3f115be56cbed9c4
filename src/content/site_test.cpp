#include "content/site.hpp"

#include <gtest/gtest.h>

namespace uitweg::content {
namespace {

TEST(SiteTest, ChoosesTheAskedLanguageThenTheBrowsersThenDutch) {
  EXPECT_EQ(PreferredLanguage("en", "ar"), "en");
  EXPECT_EQ(PreferredLanguage("xx", "ar-MA,ar;q=0.9,en;q=0.5"), "ar");
  EXPECT_EQ(PreferredLanguage("", "de-DE, EN-gb;q=0.8"), "en");
  EXPECT_EQ(PreferredLanguage("", "de, fr"), "nl");
  EXPECT_EQ(PreferredLanguage("", ""), "nl");
  EXPECT_EQ(PreferredLanguage("", ",,;q=1, -"), "nl");
  EXPECT_EQ(PreferredLanguage("", "ar;q=0, en;q=0.3"), "en") << "q=0 refuses";
  EXPECT_EQ(PreferredLanguage("", "en;q=0.4, ar;q=0.9"), "ar") << "the highest weight wins";
  EXPECT_EQ(PreferredLanguage("", "en-GB, nl;q=1"), "en") << "ties go to the first";
}

TEST(SiteTest, FillsEveryKnownPlaceholderAndLeavesTheRest) {
  EXPECT_EQ(FillFrame("<p lang=\"{{lang}}\">{{body}} {{unknown}} {{lang}}</p>{{",
                      {{"lang", "nl"}, {"body", "<b>x</b>"}}),
            "<p lang=\"nl\"><b>x</b> {{unknown}} nl</p>{{");
}

TEST(SiteTest, EveryLanguageHasItsWordsAndOthersGetDutch) {
  EXPECT_EQ(WordsFor("nl").name, "Nederlands");
  EXPECT_EQ(WordsFor("en").exit, "Exit this page");
  EXPECT_EQ(WordsFor("xx").name, "Nederlands");
  EXPECT_EQ(ParseSiteWords("name = \"x\"").error().code, core::Errc::invalid_argument);
}

}  // namespace
}  // namespace uitweg::content
