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

}  // namespace
}  // namespace uitweg::chat
