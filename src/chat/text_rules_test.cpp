#include "chat/text_rules.hpp"

#include <gtest/gtest.h>

namespace uitweg::chat {
namespace {

TEST(TextRulesTest, TrimsAsciiSpace) {
  EXPECT_EQ(TrimSpace("  hi \n"), "hi");
  EXPECT_EQ(TrimSpace(" \t "), "");
  EXPECT_EQ(TrimSpace("a b"), "a b");
}

TEST(TextRulesTest, FindsControlCharacters) {
  EXPECT_FALSE(HasControlCharacters("line\nline", "\n"));
  EXPECT_TRUE(HasControlCharacters("line\nline", ""));
  EXPECT_TRUE(HasControlCharacters(std::string_view("a\0b", 3), "\n"));
  EXPECT_TRUE(HasControlCharacters("bell\x07", "\n"));
}

TEST(TextRulesTest, ALineFitsByCharactersAndHidesNothing) {
  EXPECT_TRUE(FitsLine("", 3));
  EXPECT_TRUE(FitsLine("\u00e9\u00e9\u00e9", 3)) << "three characters in six bytes";
  EXPECT_FALSE(FitsLine("abcd", 3));
  EXPECT_FALSE(FitsLine("a\nb", 3));
  EXPECT_FALSE(FitsLine("a\u200Bb", 5)) << "a zero-width space";
  EXPECT_FALSE(FitsLine("\xC3", 3)) << "not UTF-8";
  EXPECT_TRUE(FitsLine("\u0646\u0627\u0645\u0647\u200C\u0647\u0627", 7))
      << "a Persian word spelled with a non-joiner";
}

}  // namespace
}  // namespace uitweg::chat
