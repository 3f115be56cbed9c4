#pragma once
// For tests of what a signed-in staff member asks: the auth stores of auth::AuthTest, sessions
// over them, and a member signed in with their second factor.

#include <memory>
#include <string>
#include <string_view>

#include "api/staff_auth.hpp"
#include "auth/auth_test_support.hpp"
#include "auth/testing/sign_in_codes.hpp"

namespace uitweg::api {

class SignedInTest : public auth::AuthTest {
 protected:
  static constexpr std::string_view kPassword = "lang genoeg ww";

  void SetUp() override {
    AuthTest::SetUp();
    sessions_ = std::make_unique<auth::Sessions>(*store_, hasher_, *factors_, limiter_);
    auth_ = std::make_unique<StaffAuth>(*sessions_, clock_);
  }

  // Creates `username` with `role` and signs them in; their session token.
  std::string SignIn(std::string_view username, model::Role role) {
    const auth::Enrolment factor = EnrolFor(username);
    EXPECT_TRUE(accounts_->CreateAccount(username, role, "Anna", kPassword, factor));
    auth::testing::SignInCodes codes(crypto::Base32Decode(factor.secret_base32).value(),
                                     factor.recovery_codes);
    auto signed_in =
        sessions_->SignIn(username, kPassword, codes.Next(clock_.Now()), "10.0.0.1", clock_.Now());
    EXPECT_TRUE(signed_in) << signed_in.error().message;
    return signed_in ? signed_in->session_token : std::string();
  }

  auth::SignInLimiter limiter_;
  std::unique_ptr<auth::Sessions> sessions_;
  std::unique_ptr<StaffAuth> auth_;
};

}  // namespace uitweg::api
