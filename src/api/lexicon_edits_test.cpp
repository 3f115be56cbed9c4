#include "api/lexicon_edits.hpp"

#include <fstream>
#include <limits>
#include <sstream>

#include <gtest/gtest.h>

#include "outreach/lexicon.hpp"

namespace uitweg::api {
namespace {

constexpr std::string_view kLexicon = R"(# Starter lexicon.

[lexicon]
name = "test"
min_score = 4

# ---------------------------------------------------------------
# Money mules

[[term]]
text = "pinpas uitlenen"
category = "money_mule"
weight = 5
variants = ["bankpas uitlenen",
            # the short form
            "pas uitlenen"]
source = "[trouw21]"

[[term]]
text = "snel geld"
category = "quick_money"
weight = 2   # ambiguous
notes = '''
[[term]] in a note is no header
# nor is this a comment'''

# ---------------------------------------------------------------
# Contact

[[term]]
text = "dm"
category = "contact"
weight = 1

[signals.phone]
category = "contact"
weight = 1
)";

TEST(LexiconEditsTest, RetiringATermTakesOutItsBlockAndNothingElse) {
  const std::string retired = WithoutTerm(kLexicon, "pinpas uitlenen").value();
  std::string expected(kLexicon);
  const std::string block =
      "[[term]]\ntext = \"pinpas uitlenen\"\ncategory = \"money_mule\"\nweight = 5\n"
      "variants = [\"bankpas uitlenen\",\n            # the short form\n            \"pas "
      "uitlenen\"]\nsource = \"[trouw21]\"\n\n";
  ASSERT_NE(expected.find(block), std::string::npos);
  expected.erase(expected.find(block), block.size());
  EXPECT_EQ(retired, expected);
}

TEST(LexiconEditsTest, CommentsBeforeTheNextTableStayWithIt) {
  const std::string retired = WithoutTerm(kLexicon, "snel geld").value();
  EXPECT_EQ(retired.find("snel geld"), std::string::npos);
  EXPECT_EQ(retired.find("no header"), std::string::npos);
  EXPECT_NE(retired.find("source = \"[trouw21]\"\n\n# -----"), std::string::npos) << retired;
  EXPECT_NE(retired.find("# Contact\n\n[[term]]\ntext = \"dm\""), std::string::npos) << retired;
  auto lexicon = outreach::Lexicon::Parse(retired, "retired");
  ASSERT_TRUE(lexicon) << lexicon.error().message;
  EXPECT_EQ(lexicon->term_count(), 2u);
}

TEST(LexiconEditsTest, TheLastTermBeforeAnotherTableOrTheEndGoesToo) {
  const std::string without_dm = WithoutTerm(kLexicon, "dm").value();
  EXPECT_NE(without_dm.find("# Contact\n\n[signals.phone]"), std::string::npos) << without_dm;
  const std::string toml =
      "[[term]]\ntext = \"a\"\ncategory = \"c\"\nweight = 1\n\n"
      "[[term]]\ntext = \"b\"\ncategory = \"c\"\nweight = 1\n";
  EXPECT_EQ(WithoutTerm(toml, "b").value(),
            "[[term]]\ntext = \"a\"\ncategory = \"c\"\nweight = 1\n\n");
  EXPECT_EQ(WithoutTerm(toml, "a").value(),
            "[[term]]\ntext = \"b\"\ncategory = \"c\"\nweight = 1\n");
}

TEST(LexiconEditsTest, AnUnknownTermOrBrokenTomlIsAnError) {
  EXPECT_EQ(WithoutTerm(kLexicon, "pinpas").error().code, core::Errc::not_found);
  EXPECT_EQ(WithoutTerm("[[term]\ntext = ", "x").error().code, core::Errc::invalid_argument);
}

TEST(LexiconEditsTest, AddingAppendsABlockAfterABlankLine) {
  const TermDraft draft{.text = "bankapp delen",
                        .category = "money_mule",
                        .weight = 4.5,
                        .variants = {"bankapp lenen", "app delen"}};
  const std::string added = WithTerm(kLexicon, draft).value();
  ASSERT_EQ(added.substr(0, kLexicon.size()), kLexicon);
  EXPECT_EQ(added.substr(kLexicon.size()),
            "\n[[term]]\ntext = \"bankapp delen\"\ncategory = \"money_mule\"\nweight = 4.5\n"
            "variants = [\"bankapp lenen\", \"app delen\"]\n");
  auto lexicon = outreach::Lexicon::Parse(added, "added");
  ASSERT_TRUE(lexicon) << lexicon.error().message;
  EXPECT_EQ(lexicon->terms().back().text, "bankapp delen");
  EXPECT_EQ(lexicon->terms().back().variants.size(), 2u);
  // Retiring what was added gives back the text before.
  EXPECT_EQ(WithoutTerm(added, "bankapp delen").value(), std::string(kLexicon) + "\n");
}

TEST(LexiconEditsTest, TextsAreQuotedSoThatTheyReadBackTheSame) {
  const TermDraft draft{.text = "zeg \"ja\" \\ nu\t\x01", .category = "c", .weight = -2};
  const std::string block = TermBlock(draft).value();
  EXPECT_EQ(block,
            "[[term]]\ntext = \"zeg \\\"ja\\\" \\\\ nu\\t\\u0001\"\ncategory = \"c\"\n"
            "weight = -2\n");
  EXPECT_EQ(TermBlock(TermDraft{.text = "x",
                                .category = "c",
                                .weight = std::numeric_limits<double>::infinity()})
                .error()
                .code,
            core::Errc::invalid_argument);
}

TEST(LexiconEditsTest, OneTermLexiconParses) {
  const std::string toml =
      OneTermLexicon(TermDraft{.text = "bankapp delen", .category = "money_mule", .weight = 1})
          .value();
  auto lexicon = outreach::Lexicon::Parse(toml, "one term");
  ASSERT_TRUE(lexicon) << lexicon.error().message;
  EXPECT_EQ(lexicon->term_count(), 1u);
}

TEST(LexiconEditsTest, TheShippedLexiconLosesOneTermAndKeepsTheRest) {
  std::ifstream in(UITWEG_RECRUITMENT_LEXICON);
  std::stringstream text;
  text << in.rdbuf();
  const std::string shipped = text.str();
  const outreach::Lexicon before = outreach::Lexicon::Parse(shipped, "shipped").value();
  const std::string retired = WithoutTerm(shipped, "rekening uitlenen").value();
  auto after = outreach::Lexicon::Parse(retired, "retired");
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_EQ(after->term_count(), before.term_count() - 1);
  // One piece is gone, from the term's header on; the rest is as it was.
  const std::size_t from = shipped.find("[[term]]\ntext = \"rekening uitlenen\"");
  ASSERT_NE(from, std::string::npos);
  const std::size_t removed = shipped.size() - retired.size();
  EXPECT_EQ(retired, shipped.substr(0, from) + shipped.substr(from + removed));
  EXPECT_EQ(shipped.substr(from + removed).rfind("[[term]]", 0), 0u);
}

}  // namespace
}  // namespace uitweg::api
