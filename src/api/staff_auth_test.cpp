#include "api/staff_auth.hpp"

#include <gtest/gtest.h>

#include "auth/auth_test_support.hpp"
#include "auth/testing/sign_in_codes.hpp"

namespace uitweg::api {
namespace {

constexpr core::UnixMillis kMinute = 60 * 1000;
constexpr std::string_view kPassword = "lang genoeg ww";

// The console polls some lists every 30 seconds; those polls say they are background requests.
class StaffAuthTest : public auth::AuthTest {
 protected:
  void SetUp() override {
    AuthTest::SetUp();
    sessions_ = std::make_unique<auth::Sessions>(*store_, hasher_, *factors_, limiter_);
    const auth::Enrolment factor = EnrolFor("anna");
    ASSERT_TRUE(
        accounts_->CreateAccount("anna", model::Role::counsellor, "Anna", kPassword, factor));
    auth::testing::SignInCodes codes(crypto::Base32Decode(factor.secret_base32).value(),
                                     factor.recovery_codes);
    auto signed_in =
        sessions_->SignIn("anna", kPassword, codes.Next(clock_.Now()), "10.0.0.1", clock_.Now());
    ASSERT_TRUE(signed_in) << signed_in.error().message;
    session_token_ = signed_in->session_token;
    auth_ = std::make_unique<StaffAuth>(*sessions_, clock_);
  }

  core::Result<auth::Authenticated> Ask(bool background) {
    Request request;
    request.session_token = session_token_;
    request.background = background;
    return auth_->Check(request);
  }

  // Asks every `every` for `for_how_long`, as the console's polls would.
  core::Status AskEvery(core::UnixMillis every, core::UnixMillis for_how_long, bool background) {
    for (core::UnixMillis spent = 0; spent < for_how_long; spent += every) {
      clock_.Advance(every);
      if (auto checked = Ask(background); !checked) return checked.error();
    }
    return {};
  }

  auth::SignInLimiter limiter_;
  std::unique_ptr<auth::Sessions> sessions_;
  std::unique_ptr<StaffAuth> auth_;
  std::string session_token_;
};

TEST_F(StaffAuthTest, BackgroundPollsDoNotKeepAConsoleSignedIn) {
  ASSERT_TRUE(AskEvery(kMinute / 2, 29 * kMinute, /*background=*/true));
  clock_.Advance(2 * kMinute);  // 31 minutes since anything the member did
  const auto polled = Ask(/*background=*/true);
  ASSERT_FALSE(polled);
  EXPECT_EQ(polled.error().code, core::Errc::unauthenticated);
}

TEST_F(StaffAuthTest, WhatTheMemberDoesKeepsTheSessionAlive) {
  ASSERT_TRUE(AskEvery(kMinute / 2, 45 * kMinute, /*background=*/false));
  EXPECT_TRUE(Ask(/*background=*/true));
}

}  // namespace
}  // namespace uitweg::api
