#include "auth/account_rules.hpp"

#include "auth/common_passwords.hpp"

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

std::string Repeat(std::string_view part, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += part;
  return out;
}

TEST(AccountRulesTest, PasswordsCountCharactersNotBytes) {
  EXPECT_TRUE(CheckPassword("zeilboot-rk7", "anna"));
  EXPECT_FALSE(CheckPassword("zeilboot-rk", "anna"));
  EXPECT_TRUE(CheckPassword(Repeat("zeilboot-", 22) + "rk", "anna"));  // 200
  EXPECT_FALSE(CheckPassword(Repeat("zeilboot-", 22) + "rk7", "anna"));
  // Twelve characters, twenty-four bytes: six of them two-byte letters.
  EXPECT_TRUE(CheckPassword("\xc3\xa9\xc3\xa8\xc3\xaa\xc3\xab\xc3\xa0\xc3\xa2zeilbo", "anna"));
  // 150 two-byte characters and 50 one-byte: 350 bytes but within the limit.
  EXPECT_TRUE(CheckPassword(Repeat("\xc3\xa9\xc3\xa8\xc3\xaa", 50) + Repeat("zeilb", 10), "anna"));
}

TEST(AccountRulesTest, CommonPasswordsAndTheUsernameAreRefused) {
  for (std::string_view easy : {"password1234", "Welkom2026!!", "123456789012", "1qaz2wsx3edc",
                                "314159265358", "!!dragon2024!!", "aaaaaaaaaaaaaaa", "abababababab",
                                "anna.k-is-my-name", "ANNA.K2026!!!"}) {
    auto result = CheckPassword(easy, "anna.k");
    ASSERT_FALSE(result) << easy;
    EXPECT_EQ(result.error().code, core::Errc::invalid_argument);
    EXPECT_NE(result.error().message.find("too easy"), std::string::npos) << easy;
  }
  EXPECT_TRUE(CheckPassword("correct horse battery", "anna.k"));
  EXPECT_TRUE(CheckPassword("fiets paraplu koffie", "anna.k"));
  // The list is the one shipped, embedded whole.
  EXPECT_TRUE(IsCommonPassword("wachtwoord"));
  EXPECT_TRUE(IsCommonPassword("123456"));
  EXPECT_FALSE(IsCommonPassword("fiets paraplu koffie"));
}

TEST(AccountRulesTest, PasswordsMustBeUtf8) {
  for (std::string_view bad : {"zeilboot-rk7\xff", "zeilboot-rk7\xc3", "zeilboot-rk7\xed\xa0\x80",
                               "zeilboot-rk7\xc0\xaf"}) {
    auto result = CheckPassword(bad, "anna");
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
