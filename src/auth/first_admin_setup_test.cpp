#include "auth/first_admin_setup.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "auth/auth_test_support.hpp"

namespace uitweg::auth {
namespace {

class FirstAdminSetupTest : public AuthTest {
 protected:
  void SetUp() override {
    AuthTest::SetUp();
    setup_ = std::make_unique<FirstAdminSetup>(*store_, *accounts_, *factors_, clock_);
  }
  // Both steps of set-up, the code typed from the app as it should be.
  core::Result<FirstAdmin> SetUpAdmin(const std::string& token, const std::string& username,
                                      const std::string& password = "lang genoeg ww") {
    auto enrolment = setup_->Enrol(token, username, password);
    if (!enrolment) return enrolment.error();
    return setup_->Redeem(token, username, password, enrolment->stored.sealed_totp_secret,
                          CodeNow(*enrolment));
  }
  std::unique_ptr<FirstAdminSetup> setup_;
};

TEST_F(FirstAdminSetupTest, EmptyStoreGetsTokenThatCreatesAdminOnce) {
  EXPECT_EQ(setup_->Now(), FirstAdminSetup::State::closed) << "no token made here yet";
  const std::string token = setup_->Begin().value().value();
  EXPECT_EQ(token.size(), 43u);
  EXPECT_TRUE(setup_->Needed());
  auto admin = SetUpAdmin(token, "Beheer");
  ASSERT_TRUE(admin) << admin.error().message;
  EXPECT_EQ(admin->account.role, model::Role::admin);
  EXPECT_EQ(admin->account.username, "beheer");
  EXPECT_EQ(admin->recovery_codes.size(), 10u);
  EXPECT_FALSE(admin->account.sealed_totp_secret.empty());
  EXPECT_FALSE(setup_->Needed());
  EXPECT_EQ(SetUpAdmin(token, "tweede").error().code, core::Errc::failed_precondition)
      << "set up already: said so, whatever the token";
  EXPECT_EQ(SetUpAdmin("wrong", "tweede").error().code, core::Errc::failed_precondition);
  EXPECT_EQ(store_->CountAccounts().value(), 1);
}

// Two people at the last step at once: the one who confirms second is told that the set-up is
// done, not that the link is wrong (the token went with the first).
TEST_F(FirstAdminSetupTest, TheSecondOfTwoAtTheLastStepIsToldItIsDone) {
  const std::string token = setup_->Begin().value().value();
  const Enrolment first = setup_->Enrol(token, "beheer", "lang genoeg ww").value();
  const Enrolment second = setup_->Enrol(token, "anna", "lang genoeg ww").value();
  ASSERT_TRUE(setup_->Redeem(token, "beheer", "lang genoeg ww", first.stored.sealed_totp_secret,
                             CodeNow(first)));
  EXPECT_EQ(setup_
                ->Redeem(token, "anna", "lang genoeg ww", second.stored.sealed_totp_secret,
                         CodeNow(second))
                .error()
                .code,
            core::Errc::failed_precondition);
}

TEST_F(FirstAdminSetupTest, TheAppMustShowItHoldsTheSecretAndThatCodeIsUsedUp) {
  const std::string token = setup_->Begin().value().value();
  EXPECT_EQ(setup_->Enrol(token, "beheer", "password1234").error().code,
            core::Errc::invalid_argument);
  const Enrolment enrolment = setup_->Enrol(token, "beheer", "lang genoeg ww").value();
  const std::string sealed = enrolment.stored.sealed_totp_secret;
  EXPECT_EQ(setup_->Redeem(token, "beheer", "lang genoeg ww", sealed, "").error().code,
            core::Errc::invalid_argument);
  const std::string other = EnrolFor("beheer").stored.sealed_totp_secret;
  EXPECT_EQ(
      setup_->Redeem(token, "beheer", "lang genoeg ww", other, CodeNow(enrolment)).error().code,
      core::Errc::invalid_argument);
  EXPECT_EQ(
      setup_->Redeem(token, "ander", "lang genoeg ww", sealed, CodeNow(enrolment)).error().code,
      core::Errc::invalid_argument);
  EXPECT_EQ(store_->CountAccounts().value(), 0);
  auto admin = setup_->Redeem(token, "beheer", "lang genoeg ww", sealed, CodeNow(enrolment));
  ASSERT_TRUE(admin) << admin.error().message;
  EXPECT_FALSE(factors_->Check(admin->account, CodeNow(enrolment), clock_.Now()).value());
  EXPECT_TRUE(factors_->Check(admin->account, admin->recovery_codes[0], clock_.Now()).value());
}

TEST_F(FirstAdminSetupTest, TheTokenExpiresAfterAnHour) {
  const std::string token = setup_->Begin().value().value();
  const Enrolment enrolment = setup_->Enrol(token, "beheer", "lang genoeg ww").value();
  clock_.Advance(kSetupTokenLifetimeMs);
  EXPECT_FALSE(setup_->Needed());
  EXPECT_EQ(setup_->Now(), FirstAdminSetup::State::closed) << "no administrator exists yet";
  EXPECT_EQ(setup_->Enrol(token, "beheer", "lang genoeg ww").error().code,
            core::Errc::unauthenticated);
  EXPECT_EQ(setup_
                ->Redeem(token, "beheer", "lang genoeg ww", enrolment.stored.sealed_totp_secret,
                         CodeNow(enrolment))
                .error()
                .code,
            core::Errc::unauthenticated);
  EXPECT_EQ(store_->CountAccounts().value(), 0);
}

TEST_F(FirstAdminSetupTest, NoTokenWhenAccountsExist) {
  ASSERT_TRUE(
      accounts_->CreateAccount("anna", model::Role::admin, "", "lang genoeg ww", EnrolFor("anna")));
  EXPECT_FALSE(setup_->Begin().value().has_value());
  EXPECT_FALSE(setup_->Needed());
  EXPECT_EQ(setup_->Now(), FirstAdminSetup::State::done);
}

TEST_F(FirstAdminSetupTest, WrongTokenIsRefused) {
  const std::string token = setup_->Begin().value().value();
  for (std::string_view wrong :
       {std::string_view(""), std::string_view("x"), std::string_view(token).substr(1)}) {
    EXPECT_EQ(SetUpAdmin(std::string(wrong), "beheer").error().code, core::Errc::unauthenticated);
  }
  EXPECT_TRUE(setup_->Needed());
  EXPECT_EQ(store_->CountAccounts().value(), 0);
}

TEST_F(FirstAdminSetupTest, BadAccountFieldsKeepTokenValid) {
  const std::string token = setup_->Begin().value().value();
  EXPECT_EQ(SetUpAdmin(token, "beheer", "kort").error().code, core::Errc::invalid_argument);
  EXPECT_TRUE(SetUpAdmin(token, "beheer"));
}

TEST_F(FirstAdminSetupTest, AccountCreatedMeanwhileClosesSetup) {
  const std::string token = setup_->Begin().value().value();
  ASSERT_TRUE(
      accounts_->CreateAccount("anna", model::Role::admin, "", "lang genoeg ww", EnrolFor("anna")));
  EXPECT_FALSE(setup_->Needed());
  EXPECT_EQ(SetUpAdmin(token, "beheer").error().code, core::Errc::failed_precondition);
  EXPECT_EQ(store_->CountAccounts().value(), 1);
}

TEST_F(FirstAdminSetupTest, RacingRedeemsCreateOneAdmin) {
  const std::string token = setup_->Begin().value().value();
  std::atomic<int> created{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      if (SetUpAdmin(token, "beheer" + std::to_string(i))) ++created;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(store_->CountAccounts().value(), 1);
}

}  // namespace
}  // namespace uitweg::auth
