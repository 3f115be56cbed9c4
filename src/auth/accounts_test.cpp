#include "auth/accounts.hpp"

#include <gtest/gtest.h>

#include "auth/auth_test_support.hpp"

namespace uitweg::auth {
namespace {

using AccountsTest = AuthTest;

TEST_F(AccountsTest, CreatesAccountWithArgon2idHash) {
  auto created = accounts_->CreateAccount("Anna", model::Role::supervisor, "", "lang genoeg ww");
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->username, "anna");
  EXPECT_EQ(created->display_name, "anna");
  EXPECT_EQ(created->role, model::Role::supervisor);
  EXPECT_EQ(created->created_at, clock_.Now());
  EXPECT_TRUE(created->password_hash.empty());
  const model::StaffAccount stored = store_->FindAccountByUsername("anna").value();
  EXPECT_TRUE(stored.password_hash.starts_with("$argon2id$"));
  EXPECT_TRUE(hasher_.Verify(stored.password_hash, "lang genoeg ww").value());
}

TEST_F(AccountsTest, UsernameIsTakenWhateverItsCase) {
  ASSERT_TRUE(accounts_->CreateAccount("anna", model::Role::counsellor, "Anna", "lang genoeg ww"));
  auto again = accounts_->CreateAccount("ANNA", model::Role::admin, "", "ander wachtwoord");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, core::Errc::already_exists);
  EXPECT_NE(again.error().message.find("anna"), std::string::npos);
}

TEST_F(AccountsTest, RefusesFieldsThatBreakTheRules) {
  const std::string long_name(61, 'x');
  const struct {
    std::string_view username, display_name, password;
  } cases[] = {{"an", "", "lang genoeg ww"},
               {"anna!", "", "lang genoeg ww"},
               {"anna", "", "kort"},
               {"anna", long_name, "lang genoeg ww"},
               {"anna", "", std::string_view("nul\0byte ok?\xff", 13)}};
  for (const auto& c : cases) {
    auto created =
        accounts_->CreateAccount(c.username, model::Role::counsellor, c.display_name, c.password);
    ASSERT_FALSE(created) << c.username << "/" << c.display_name;
    EXPECT_EQ(created.error().code, core::Errc::invalid_argument);
    EXPECT_FALSE(created.error().message.empty());
  }
  EXPECT_EQ(store_->CountAccounts().value(), 0);
}

}  // namespace
}  // namespace uitweg::auth
