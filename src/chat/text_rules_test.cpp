#include "chat/text_rules.hpp"

#include <gtest/gtest.h>

namespace uitweg::chat {
namespace {

TEST(TextRulesTest, CountsCodePointsNotBytes) {
  EXPECT_EQ(CountCodePoints("abc"), 3u);
  EXPECT_EQ(CountCodePoints("h\xC3\xA9"), 2u);                // é
  EXPECT_EQ(CountCodePoints("\xF0\x9F\x98\x80"), 1u);         // an emoji
  EXPECT_EQ(CountCodePoints(""), 0u);
}

TEST(TextRulesTest, RejectsBrokenUtf8) {
  EXPECT_FALSE(CountCodePoints("\xC3"));                 // truncated
  EXPECT_FALSE(CountCodePoints("\xC0\xAF"));             // overlong '/'
  EXPECT_FALSE(CountCodePoints("\xED\xA0\x80"));         // a surrogate
  EXPECT_FALSE(CountCodePoints("\xFF"));
}

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

}  // namespace
}  // namespace uitweg::chat
