#include "api/staff_auth.hpp"

#include <gtest/gtest.h>

#include "api/signed_in_test_support.hpp"

namespace uitweg::api {
namespace {

constexpr core::UnixMillis kMinute = 60 * 1000;

// The console polls some lists every 30 seconds; those polls say they are background requests.
class StaffAuthTest : public SignedInTest {
 protected:
  void SetUp() override {
    SignedInTest::SetUp();
    session_token_ = SignIn("anna", model::Role::counsellor);
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
