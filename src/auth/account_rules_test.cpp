#include "auth/account_rules.hpp"

#include <gtest/gtest.h>

namespace uitweg::auth {
namespace {

struct UsernameCase {
  std::string_view input;
  std::string_view stored;  // empty: refused
};

TEST(AccountRulesTest, Usernames) {
  const UsernameCase cases[] = {
      {"anna", "anna"},
      {"Anna.de-Vries_2", "anna.de-vries_2"},
      {"abc", "abc"},
      {std::string_view("0123456789012345678901234567890123456789"),
       "0123456789012345678901234567890123456789"},
      {"ab", ""},
      {"01234567890123456789012345678901234567890", ""},
      {"anna smit", ""},
      {"anna@home", ""},
      {"", ""},
      {"j\xc3\xa9r\xc3\xb4me", ""},
  };
  for (const auto& c : cases) {
    auto result = NormalizeUsername(c.input);
    if (c.stored.empty()) {
      ASSERT_FALSE(result) << c.input;
      EXPECT_EQ(result.error().code, core::Errc::invalid_argument);
    } else {
      ASSERT_TRUE(result) << c.input;
      EXPECT_EQ(*result, c.stored);
    }
  }
}

TEST(AccountRulesTest, PasswordsCountCharactersNotBytes) {
  EXPECT_TRUE(CheckPassword("0123456789"));
  EXPECT_FALSE(CheckPassword("012345678"));
  EXPECT_TRUE(CheckPassword(std::string(200, 'x')));
  EXPECT_FALSE(CheckPassword(std::string(201, 'x')));
  // Ten characters, twenty bytes.
  EXPECT_TRUE(
      CheckPassword("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                    "\xc3\xa9\xc3\xa9"));
  // 150 two-byte characters: 300 bytes but within the limit.
  std::string long_accented;
  for (int i = 0; i < 150; ++i) long_accented += "\xc3\xa9";
  EXPECT_TRUE(CheckPassword(long_accented));
}

TEST(AccountRulesTest, PasswordsMustBeUtf8) {
  for (std::string_view bad :
       {"0123456789\xff", "0123456789\xc3", "0123456789\xed\xa0\x80", "0123456789\xc0\xaf"}) {
    auto result = CheckPassword(bad);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, core::Errc::invalid_argument);
  }
}

TEST(AccountRulesTest, DisplayNames) {
  EXPECT_EQ(NormalizeDisplayName("", "anna").value(), "anna");
  EXPECT_EQ(NormalizeDisplayName("   ", "anna").value(), "anna");
  EXPECT_EQ(NormalizeDisplayName("  Anna de Vries ", "anna").value(), "Anna de Vries");
  EXPECT_EQ(NormalizeDisplayName("J\xc3\xa9r\xc3\xb4me", "j").value(), "J\xc3\xa9r\xc3\xb4me");
  EXPECT_TRUE(NormalizeDisplayName(std::string(60, 'a'), "anna"));
  EXPECT_FALSE(NormalizeDisplayName(std::string(61, 'a'), "anna"));
  EXPECT_FALSE(NormalizeDisplayName("Anna\nEvil", "anna"));
  EXPECT_FALSE(NormalizeDisplayName("Anna\x7f", "anna"));
  EXPECT_FALSE(NormalizeDisplayName("Anna\xff", "anna"));
}

}  // namespace
}  // namespace uitweg::auth
