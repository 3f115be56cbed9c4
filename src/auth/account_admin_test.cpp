#include "auth/account_admin.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <future>
#include <latch>

#include "auth/auth_test_support.hpp"
#include "auth/sessions.hpp"

namespace uitweg::auth {
namespace {

constexpr std::string_view kPassword = "fiets paraplu koffie";

class AccountAdminTest : public AuthTest {
 protected:
  void SetUp() override {
    AuthTest::SetUp();
    admin_ = std::make_unique<AccountAdmin>(*store_, hasher_, *factors_, clock_);
    sessions_ = std::make_unique<Sessions>(*store_, hasher_, *factors_, limiter_);
  }
  // Uses a link as the colleague would: password and app together.
  core::Result<Completed> SetUpWith(const std::string& token,
                                    std::string_view password = kPassword) {
    auto enrolment = admin_->Enrol(token);
    if (!enrolment) return enrolment.error();
    last_enrolment_ = *enrolment;
    return admin_->Complete(token, password, enrolment->stored.sealed_totp_secret,
                            CodeNow(*enrolment));
  }
  core::Result<SignedIn> SignIn(std::string_view code) {
    return sessions_->SignIn("anna", kPassword, code, "10.0.0.1", clock_.Now());
  }

  SignInLimiter limiter_;
  std::unique_ptr<AccountAdmin> admin_;
  std::unique_ptr<Sessions> sessions_;
  Enrolment last_enrolment_;
};

TEST_F(AccountAdminTest, AnInvitedColleagueSetsUpPasswordAndAppThroughTheLinkOnce) {
  const Invited invited = admin_->Invite("Anna", model::Role::counsellor, "Anna").value();
  EXPECT_EQ(invited.account.username, "anna");
  EXPECT_EQ(invited.setup_token.size(), 43u);
  EXPECT_EQ(admin_->Describe(invited.setup_token).value().purpose,
            model::SetupPurpose::new_account);
  // Before the link is used nobody can sign in to the account.
  EXPECT_FALSE(SignIn("000000"));

  EXPECT_EQ(SetUpWith(invited.setup_token, "password1234").error().code,
            core::Errc::invalid_argument);
  EXPECT_EQ(admin_->Enrol(invited.setup_token, "anna anna anna").error().code,
            core::Errc::invalid_argument)
      << "told before the app step, not after it";
  EXPECT_TRUE(admin_->Enrol(invited.setup_token, kPassword));
  const Completed done = SetUpWith(invited.setup_token).value();
  EXPECT_EQ(done.recovery_codes.size(), 10u);
  EXPECT_EQ(admin_->Describe(invited.setup_token).error().code, core::Errc::unauthenticated);
  clock_.Advance(30'000);
  EXPECT_TRUE(SignIn(CodeNow(last_enrolment_)));
}

TEST_F(AccountAdminTest, ALinkExpires) {
  const Invited invited = admin_->Invite("anna", model::Role::counsellor, "").value();
  clock_.Advance(kSetupLinkLifetimeMs);
  EXPECT_EQ(admin_->Describe(invited.setup_token).error().code, core::Errc::unauthenticated);
  EXPECT_EQ(SetUpWith(invited.setup_token).error().code, core::Errc::unauthenticated);
}

TEST_F(AccountAdminTest, ALinkToADisabledAccountSetsNothingUp) {
  const Invited invited = admin_->Invite("anna", model::Role::counsellor, "").value();
  const auto enrolment = admin_->Enrol(invited.setup_token).value();
  ASSERT_TRUE(store_->SetAccountDisabled(invited.account.id, true));
  const std::string unusable_hash = store_->FindAccount(invited.account.id).value().password_hash;
  const auto complete = [&](const std::string& token) {
    return admin_->Complete(token, kPassword, enrolment.stored.sealed_totp_secret,
                            CodeNow(enrolment));
  };
  // Disabling is how an admin stops a link that went to the wrong person: it is gone, also
  // once the account is enabled again.
  EXPECT_EQ(complete(invited.setup_token).error().code, core::Errc::unauthenticated);
  ASSERT_TRUE(store_->SetAccountDisabled(invited.account.id, false));
  EXPECT_EQ(complete(invited.setup_token).error().code, core::Errc::unauthenticated);
  // A link made while it is disabled waits until it is enabled.
  ASSERT_TRUE(store_->SetAccountDisabled(invited.account.id, true));
  const std::string reset = admin_->ResetPassword(invited.account.id).value();
  EXPECT_EQ(admin_->Describe(reset).error().code, core::Errc::permission_denied);
  EXPECT_EQ(store_->FindAccount(invited.account.id).value().password_hash, unusable_hash)
      << "no password set by whoever holds a link";
}

TEST_F(AccountAdminTest, ResettingTheSecondFactorStopsTheOldAppAtOnce) {
  const Invited invited = admin_->Invite("anna", model::Role::counsellor, "").value();
  ASSERT_TRUE(SetUpWith(invited.setup_token));
  const Enrolment old_app = last_enrolment_;
  const std::string link = admin_->ResetSecondFactor(invited.account.id).value();
  clock_.Advance(30'000);
  EXPECT_FALSE(SignIn(CodeNow(old_app)));
  EXPECT_EQ(admin_->Describe(link).value().purpose, model::SetupPurpose::second_factor);
  ASSERT_TRUE(admin_->Complete(link, "", "", "000000").error().code ==
              core::Errc::invalid_argument);
  ASSERT_TRUE(SetUpWith(link, ""));
  clock_.Advance(30'000);
  EXPECT_TRUE(SignIn(CodeNow(last_enrolment_)));
}

TEST_F(AccountAdminTest, APasswordResetLinkSetsOnlyThePassword) {
  const Invited invited = admin_->Invite("anna", model::Role::counsellor, "").value();
  ASSERT_TRUE(SetUpWith(invited.setup_token));
  const Enrolment app = last_enrolment_;
  const std::string link = admin_->ResetPassword(invited.account.id).value();
  EXPECT_EQ(admin_->Enrol(link).error().code, core::Errc::failed_precondition);
  const Completed done = admin_->Complete(link, "ander lang wachtwoord", "", "").value();
  EXPECT_TRUE(done.recovery_codes.empty());
  clock_.Advance(30'000);
  EXPECT_FALSE(SignIn(CodeNow(app)));  // the old password
  EXPECT_TRUE(
      sessions_->SignIn("anna", "ander lang wachtwoord", CodeNow(app), "10.0.0.1", clock_.Now()));
  EXPECT_EQ(admin_->ResetPassword(invited.account.id + 100).error().code, core::Errc::not_found);
}

// The invitation's link expired before the colleague used it: either reset sends it again whole,
// since the account has no app and a password nobody knows.
TEST_F(AccountAdminTest, AResetOfAnAccountNeverSetUpSetsUpPasswordAndApp) {
  const Invited invited = admin_->Invite("anna", model::Role::counsellor, "").value();
  clock_.Advance(kSetupLinkLifetimeMs);
  for (const bool app : {false, true}) {
    const std::string link = app ? admin_->ResetSecondFactor(invited.account.id).value()
                                 : admin_->ResetPassword(invited.account.id).value();
    EXPECT_EQ(admin_->Describe(link).value().purpose, model::SetupPurpose::new_account) << app;
  }
  const std::string link = admin_->ResetPassword(invited.account.id).value();
  ASSERT_TRUE(SetUpWith(link));
  clock_.Advance(30'000);
  EXPECT_TRUE(SignIn(CodeNow(last_enrolment_)));
}

// An app reset whose link was never used leaves a password but no app: a password reset must
// enrol one too.
TEST_F(AccountAdminTest, APasswordResetOfAnAccountWithoutAnAppEnrolsOneToo) {
  const Invited invited = admin_->Invite("anna", model::Role::counsellor, "").value();
  ASSERT_TRUE(SetUpWith(invited.setup_token));
  clock_.Advance(30'000);
  ASSERT_TRUE(SignIn(CodeNow(last_enrolment_)));
  const std::string app_link = admin_->ResetSecondFactor(invited.account.id).value();
  EXPECT_EQ(admin_->Describe(app_link).value().purpose, model::SetupPurpose::second_factor)
      << "they signed in before: their password is theirs";
  const std::string link = admin_->ResetPassword(invited.account.id).value();
  EXPECT_EQ(admin_->Describe(link).value().purpose, model::SetupPurpose::new_account);
}

// Two uses of one link at once (a double click, or someone who saw the link): each hashes its
// password before using the link up, so both may have found it; only one may go on.
TEST_F(AccountAdminTest, ALinkUsedTwiceAtOnceWorksOnce) {
  const Invited invited = admin_->Invite("anna", model::Role::counsellor, "").value();
  ASSERT_TRUE(SetUpWith(invited.setup_token));
  const std::string link = admin_->ResetPassword(invited.account.id).value();
  std::latch start(2);
  const auto use = [&](std::string password) {
    start.arrive_and_wait();
    return admin_->Complete(link, password, "", "");
  };
  auto first = std::async(std::launch::async, use, "eerste lang wachtwoord");
  auto second = std::async(std::launch::async, use, "tweede lang wachtwoord");
  const auto uses = std::array{first.get(), second.get()};
  EXPECT_EQ(
      std::count_if(uses.begin(), uses.end(), [](const auto& use) { return use.has_value(); }), 1);
  for (const auto& refused : uses) {
    if (!refused) {
      EXPECT_EQ(refused.error().code, core::Errc::unauthenticated);
    }
  }
}

}  // namespace
}  // namespace uitweg::auth
