#include "outreach/lexicon.hpp"

#include <gtest/gtest.h>

#include <string>

namespace uitweg::outreach {
namespace {

constexpr const char* kGood = R"toml(
[lexicon]
name = "test"
version = "1"
language = "nl"
min_score = 3.5

[[term]]
text = "pinpas uitlenen"
category = "money_mule"
weight = 5
variants = ["bankpas uitlenen", "pas lenen"]
source = "Trouw 2021"

[[term]]
text = "snel geld"
category = "quick_money"
weight = 2
regex = "snel+e? (cash|poen)"

[[term]]
text = "bijverdien"
category = "quick_money"
weight = 1
prefix = true

[[term]]
text = "dm"
category = "contact"
weight = 1

[signals.phone]
category = "contact"
weight = 1.5

[[rule]]
name = "offer_with_contact"
all_categories = ["quick_money", "contact"]
any_terms = ["snel geld"]
boost = 3
)toml";

TEST(LexiconTest, ParsesAGoodLexicon) {
  auto lexicon = Lexicon::Parse(kGood, "good.toml");
  ASSERT_TRUE(lexicon) << lexicon.error().message;
  EXPECT_EQ(lexicon->term_count(), 4u);
  EXPECT_EQ(lexicon->name(), "test");
  EXPECT_EQ(lexicon->language(), "nl");
  EXPECT_DOUBLE_EQ(lexicon->min_score(), 3.5);
  const LexiconTerm& first = lexicon->terms()[0];
  EXPECT_EQ(first.text, "pinpas uitlenen");
  EXPECT_EQ(first.category, "money_mule");
  EXPECT_DOUBLE_EQ(first.weight, 5);
  EXPECT_EQ(first.variants.size(), 2u);
  EXPECT_EQ(first.source, "Trouw 2021");
  EXPECT_EQ(first.line, 8);
  EXPECT_EQ(lexicon->terms()[1].regex, "snel+e? (cash|poen)");
  EXPECT_TRUE(lexicon->terms()[2].prefix);
  ASSERT_EQ(lexicon->signals().size(), 1u);
  EXPECT_EQ(lexicon->signals()[0].entity_type, "phone");
  EXPECT_EQ(lexicon->signals()[0].category, "contact");
  ASSERT_EQ(lexicon->rules().size(), 1u);
  EXPECT_EQ(lexicon->rules()[0].all_categories.size(), 2u);
  EXPECT_DOUBLE_EQ(lexicon->rules()[0].boost, 3);
}

struct BadCase {
  const char* what;
  const char* toml;
  const char* expected;  // a part of the error message, with the line
};

class LexiconErrorTest : public testing::TestWithParam<BadCase> {};

TEST_P(LexiconErrorTest, NamesFileLineAndProblem) {
  const BadCase& c = GetParam();
  auto lexicon = Lexicon::Parse(c.toml, "bad.toml");
  ASSERT_FALSE(lexicon) << c.what;
  EXPECT_EQ(lexicon.error().code, core::Errc::invalid_argument);
  EXPECT_NE(lexicon.error().message.find(c.expected), std::string::npos)
      << c.what << ": " << lexicon.error().message;
}

const BadCase kBad[] = {
    {"syntax", "[[term]]\ntext = \"a\ncategory = \"x\"\n", "bad.toml:2:"},
    {"no terms", "[lexicon]\nname = \"x\"\n", "at least one [[term]]"},
    {"unknown root key", "colour = 1\n[[term]]\ntext=\"a\"\ncategory=\"x\"\nweight=1\n",
     "bad.toml:1: unknown key \"colour\""},
    {"unknown term key", "[[term]]\ntext=\"geld\"\ncategory=\"x\"\nweight=1\nwieght=2\n",
     "bad.toml:5: unknown key \"wieght\" in [[term]]"},
    {"missing text", "[[term]]\ncategory=\"x\"\nweight=1\n", "bad.toml:1: missing \"text\""},
    {"empty term", "[[term]]\ntext=\"  \"\ncategory=\"x\"\nweight=1\n",
     "bad.toml:1: term \"  \" is empty after normalisation"},
    {"invisible term", "[[term]]\ntext=\"\\u200B\"\ncategory=\"x\"\nweight=1\n",
     "is empty after normalisation"},
    {"missing category", "[[term]]\ntext=\"geld\"\nweight=1\n", "bad.toml:1: missing \"category\""},
    {"bad category", "[[term]]\ntext=\"geld\"\ncategory=\"Quick Money\"\nweight=1\n",
     "may only have a-z, 0-9 and '_'"},
    {"missing weight", "[[term]]\ntext=\"geld\"\ncategory=\"x\"\n",
     "bad.toml:1: missing \"weight\""},
    {"string weight", "[[term]]\ntext=\"geld\"\ncategory=\"x\"\nweight=\"5\"\n",
     "bad.toml:4: \"weight\" must be a non-zero number"},
    {"zero weight", "[[term]]\ntext=\"geld\"\ncategory=\"x\"\nweight=0\n", "bad.toml:4:"},
    {"huge weight", "[[term]]\ntext=\"geld\"\ncategory=\"x\"\nweight=1e9\n", "bad.toml:4:"},
    {"nan weight", "[[term]]\ntext=\"geld\"\ncategory=\"x\"\nweight=nan\n", "bad.toml:4:"},
    {"duplicate term",
     "[[term]]\ntext=\"pinpas\"\ncategory=\"x\"\nweight=1\n\n[[term]]\ntext=\"P1NPAS\"\n"
     "category=\"x\"\nweight=1\n",
     "bad.toml:6: term \"P1NPAS\" duplicates (after normalisation) the term at line 1"},
    {"duplicate variant",
     "[[term]]\ntext=\"pinpas\"\ncategory=\"x\"\nweight=1\nvariants=[\n  \"bankpas\",\n"
     "  \"PINPAS\"]\n",
     "bad.toml:7: term \"PINPAS\" duplicates"},
    {"variants not strings", "[[term]]\ntext=\"geld\"\ncategory=\"x\"\nweight=1\nvariants=[1]\n",
     "bad.toml:5: \"variants\" must be an array of strings"},
    {"bad regex", "[[term]]\ntext=\"geld\"\ncategory=\"x\"\nweight=1\nregex=\"(geld\"\n",
     "bad.toml:5: bad regex for term \"geld\""},
    {"regex matching empty", "[[term]]\ntext=\"geld\"\ncategory=\"x\"\nweight=1\nregex=\"a*\"\n",
     "bad.toml:5: bad regex"},
    {"prefix not bool", "[[term]]\ntext=\"geld\"\ncategory=\"x\"\nweight=1\nprefix=\"yes\"\n",
     "bad.toml:5: \"prefix\" must be true or false"},
    {"rule with unknown category",
     "[[term]]\ntext=\"geld\"\ncategory=\"x\"\nweight=1\n[[rule]]\nname=\"r\"\n"
     "all_categories=[\"y\"]\nboost=1\n",
     "bad.toml:5: rule \"r\": no term or signal has category \"y\""},
    {"rule with unknown term",
     "[[term]]\ntext=\"geld\"\ncategory=\"x\"\nweight=1\n[[rule]]\nname=\"r\"\n"
     "all_categories=[\"x\"]\nany_terms=[\"poen\"]\nboost=1\n",
     "rule \"r\": no term has text \"poen\""},
    {"rule without categories",
     "[[term]]\ntext=\"geld\"\ncategory=\"x\"\nweight=1\n[[rule]]\nname=\"r\"\nboost=1\n",
     "bad.toml:5: rule \"r\" needs \"all_categories\""},
    {"duplicate rule",
     "[[term]]\ntext=\"geld\"\ncategory=\"x\"\nweight=1\n[[rule]]\nname=\"r\"\n"
     "all_categories=[\"x\"]\nboost=1\n[[rule]]\nname=\"r\"\nall_categories=[\"x\"]\nboost=2\n",
     "bad.toml:9: rule \"r\" is already defined at line 5"},
    {"unknown signal key",
     "[[term]]\ntext=\"geld\"\ncategory=\"x\"\nweight=1\n[signals.phone]\ncategory=\"x\"\n"
     "weight=1\ncolour=2\n",
     "bad.toml:8: unknown key \"colour\" in a signal"},
    {"signal not a table",
     "[[term]]\ntext=\"geld\"\ncategory=\"x\"\nweight=1\n[signals]\nphone=1\n",
     "bad.toml:6: signal \"phone\" must be a table"},
    {"unknown lexicon key",
     "[lexicon]\nnaam=\"x\"\n[[term]]\ntext=\"geld\"\ncategory=\"x\"\nweight=1\n",
     "bad.toml:2: unknown key \"naam\" in [lexicon]"},
};

INSTANTIATE_TEST_SUITE_P(Errors, LexiconErrorTest, testing::ValuesIn(kBad));

TEST(LexiconTest, LoadNamesAMissingFile) {
  auto lexicon = Lexicon::Load("/nonexistent/lexicon.toml");
  ASSERT_FALSE(lexicon);
  EXPECT_EQ(lexicon.error().code, core::Errc::not_found);
  EXPECT_NE(lexicon.error().message.find("/nonexistent/lexicon.toml"), std::string::npos);
}

}  // namespace
}  // namespace uitweg::outreach
