#include "auth/accounts.hpp"

#include <gtest/gtest.h>

#include "auth/auth_test_support.hpp"

namespace uitweg::auth {
namespace {

using AccountsTest = AuthTest;

TEST_F(AccountsTest, CreatesAccountWithArgon2idHash) {
  auto created = accounts_->CreateAccount("Anna", model::Role::supervisor, "", "lang genoeg ww",
                                          EnrolFor("anna"));
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
  ASSERT_TRUE(accounts_->CreateAccount("anna", model::Role::counsellor, "Anna", "lang genoeg ww",
                                       EnrolFor("anna")));
  auto again = accounts_->CreateAccount("ANNA", model::Role::admin, "", "ander wachtwoord",
                                        EnrolFor("anna"));
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
    auto created = accounts_->CreateAccount(c.username, model::Role::counsellor, c.display_name,
                                            c.password, EnrolFor("anna"));
    ASSERT_FALSE(created) << c.username << "/" << c.display_name;
    EXPECT_EQ(created.error().code, core::Errc::invalid_argument);
    EXPECT_FALSE(created.error().message.empty());
  }
  EXPECT_EQ(store_->CountAccounts().value(), 0);
}

TEST_F(AccountsTest, EveryAccountHasASecondFactor) {
  EXPECT_EQ(
      accounts_->CreateAccount("anna", model::Role::counsellor, "", "lang genoeg ww", Enrolment{})
          .error()
          .code,
      core::Errc::invalid_argument);
  const Enrolment enrolment = EnrolFor("anna");
  auto created =
      accounts_->CreateAccount("anna", model::Role::counsellor, "", "lang genoeg ww", enrolment);
  ASSERT_TRUE(created) << created.error().message;
  const model::StaffAccount stored = store_->FindAccount(created->id).value();
  EXPECT_EQ(stored.sealed_totp_secret, enrolment.stored.sealed_totp_secret);
  EXPECT_EQ(store_->CountRecoveryCodes(created->id).value(), 10);
}

}  // namespace
}  // namespace uitweg::auth
