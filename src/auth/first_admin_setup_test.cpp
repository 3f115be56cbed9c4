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
    setup_ = std::make_unique<FirstAdminSetup>(*store_, *accounts_);
  }
  std::unique_ptr<FirstAdminSetup> setup_;
};

TEST_F(FirstAdminSetupTest, EmptyStoreGetsTokenThatCreatesAdminOnce) {
  EXPECT_FALSE(setup_->Needed());
  const std::string token = setup_->Begin().value().value();
  EXPECT_EQ(token.size(), 43u);
  EXPECT_TRUE(setup_->Needed());
  auto admin = setup_->Redeem(token, "Beheer", "lang genoeg ww");
  ASSERT_TRUE(admin) << admin.error().message;
  EXPECT_EQ(admin->role, model::Role::admin);
  EXPECT_EQ(admin->username, "beheer");
  EXPECT_FALSE(setup_->Needed());
  EXPECT_EQ(setup_->Redeem(token, "tweede", "lang genoeg ww").error().code,
            core::Errc::unauthenticated);
  EXPECT_EQ(store_->CountAccounts().value(), 1);
}

TEST_F(FirstAdminSetupTest, NoTokenWhenAccountsExist) {
  ASSERT_TRUE(accounts_->CreateAccount("anna", model::Role::admin, "", "lang genoeg ww"));
  EXPECT_FALSE(setup_->Begin().value().has_value());
  EXPECT_FALSE(setup_->Needed());
}

TEST_F(FirstAdminSetupTest, WrongTokenIsRefused) {
  const std::string token = setup_->Begin().value().value();
  for (std::string_view wrong :
       {std::string_view(""), std::string_view("x"), std::string_view(token).substr(1)}) {
    EXPECT_EQ(setup_->Redeem(wrong, "beheer", "lang genoeg ww").error().code,
              core::Errc::unauthenticated);
  }
  EXPECT_TRUE(setup_->Needed());
  EXPECT_EQ(store_->CountAccounts().value(), 0);
}

TEST_F(FirstAdminSetupTest, BadAccountFieldsKeepTokenValid) {
  const std::string token = setup_->Begin().value().value();
  EXPECT_EQ(setup_->Redeem(token, "beheer", "kort").error().code, core::Errc::invalid_argument);
  EXPECT_TRUE(setup_->Redeem(token, "beheer", "lang genoeg ww"));
}

TEST_F(FirstAdminSetupTest, AccountCreatedMeanwhileClosesSetup) {
  const std::string token = setup_->Begin().value().value();
  ASSERT_TRUE(accounts_->CreateAccount("anna", model::Role::admin, "", "lang genoeg ww"));
  EXPECT_FALSE(setup_->Needed());
  EXPECT_EQ(setup_->Redeem(token, "beheer", "lang genoeg ww").error().code,
            core::Errc::failed_precondition);
  EXPECT_EQ(store_->CountAccounts().value(), 1);
}

TEST_F(FirstAdminSetupTest, RacingRedeemsCreateOneAdmin) {
  const std::string token = setup_->Begin().value().value();
  std::atomic<int> created{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      if (setup_->Redeem(token, "beheer" + std::to_string(i), "lang genoeg ww")) ++created;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(store_->CountAccounts().value(), 1);
}

}  // namespace
}  // namespace uitweg::auth
