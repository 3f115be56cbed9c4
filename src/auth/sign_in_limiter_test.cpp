#include "auth/sign_in_limiter.hpp"

#include "auth/auth_test_support.hpp"

#include <gtest/gtest.h>

namespace uitweg::auth {
namespace {

constexpr core::UnixMillis kMinute = 60 * 1000;
constexpr core::UnixMillis kT0 = 1'700'000'000'000;

class SignInLimiterTest : public ::testing::Test {
 protected:
  void FailTimes(std::string_view user, std::string_view client, int times, core::UnixMillis at) {
    for (int i = 0; i < times; ++i) limiter_.RecordFailure(user, client, at);
  }
  SignInLimiter limiter_;
};

TEST_F(SignInLimiterTest, FourFailuresStillAllowed) {
  FailTimes("anna", "10.0.0.1", 4, kT0);
  EXPECT_FALSE(limiter_.RetryAfter("anna", "10.0.0.1", kT0));
}

TEST_F(SignInLimiterTest, FifthFailureLocksForRestOfWindow) {
  FailTimes("anna", "10.0.0.1", 1, kT0);
  FailTimes("anna", "10.0.0.1", 4, kT0 + 5 * kMinute);
  EXPECT_EQ(limiter_.RetryAfter("anna", "10.0.0.1", kT0 + 5 * kMinute), 10 * kMinute);
  EXPECT_EQ(limiter_.RetryAfter("anna", "10.0.0.1", kT0 + 14 * kMinute), 1 * kMinute);
  EXPECT_FALSE(limiter_.RetryAfter("anna", "10.0.0.1", kT0 + 15 * kMinute));
}

TEST_F(SignInLimiterTest, FailuresSpreadOverMoreThanWindowDoNotLock) {
  for (int i = 0; i < 10; ++i) limiter_.RecordFailure("anna", "", kT0 + i * 4 * kMinute);
  EXPECT_FALSE(limiter_.RetryAfter("anna", "", kT0 + 40 * kMinute));
}

TEST_F(SignInLimiterTest, UsernameLockHoldsFromAnyClient) {
  FailTimes("anna", "10.0.0.1", 5, kT0);
  EXPECT_TRUE(limiter_.RetryAfter("anna", "10.0.0.99", kT0 + 1));
  EXPECT_FALSE(limiter_.RetryAfter("bert", "10.0.0.99", kT0 + 1));
}

TEST_F(SignInLimiterTest, ClientLockHoldsForAnyUsername) {
  for (const char* user : {"a1", "a2", "a3", "a4", "a5"}) limiter_.RecordFailure(user, "evil", kT0);
  EXPECT_TRUE(limiter_.RetryAfter("someone", "evil", kT0 + 1));
  EXPECT_FALSE(limiter_.RetryAfter("someone", "good", kT0 + 1));
}

TEST_F(SignInLimiterTest, SuccessResets) {
  FailTimes("anna", "10.0.0.1", 4, kT0);
  limiter_.RecordSuccess("anna", "10.0.0.1");
  FailTimes("anna", "10.0.0.1", 4, kT0);
  EXPECT_FALSE(limiter_.RetryAfter("anna", "10.0.0.1", kT0));
  EXPECT_EQ(limiter_.size(), 2u);
}

TEST(SignInLimiterMemoryTest, StaysWithinMaxEntries) {
  SignInLimiter limiter(
      SignInLimits{.max_failures = 5, .window_ms = 15 * kMinute, .max_entries = 100});
  for (int i = 0; i < 1000; ++i) limiter.RecordFailure("user" + std::to_string(i), "", kT0 + i);
  EXPECT_LE(limiter.size(), 100u);
  // The newest entries are the ones kept.
  for (int k = 0; k < 4; ++k) limiter.RecordFailure("user999", "", kT0 + 1000);
  EXPECT_TRUE(limiter.RetryAfter("user999", "", kT0 + 1000));
}

TEST(SignInLimiterMemoryTest, StaleEntriesArePrunedFirst) {
  SignInLimiter limiter(SignInLimits{.max_failures = 5, .window_ms = kMinute, .max_entries = 10});
  for (int i = 0; i < 10; ++i) limiter.RecordFailure("old" + std::to_string(i), "", kT0);
  limiter.RecordFailure("new", "", kT0 + 2 * kMinute);
  EXPECT_EQ(limiter.size(), 1u);
}

}  // namespace
}  // namespace uitweg::auth

namespace uitweg::auth {
namespace {

// Two nodes, each with its own limiter, on one database.
class SharedSignInLimiterTest : public AuthTest {};

TEST_F(SharedSignInLimiterTest, AUsernameThrottledOnOneNodeIsThrottledOnAnother) {
  SignInLimiter node_a({}, store_);
  SignInLimiter node_b({}, store_);
  for (int i = 0; i < 5; ++i) node_a.RecordFailure("anna", "10.0.0.1", kT0 + i);
  EXPECT_TRUE(node_a.RetryAfter("anna", "10.0.0.9", kT0 + kMinute));
  const auto wait = node_b.RetryAfter("anna", "10.0.0.9", kT0 + kMinute);
  ASSERT_TRUE(wait) << "the other node lets the guessing go on";
  EXPECT_EQ(*wait, 15 * kMinute - kMinute);
  EXPECT_FALSE(node_b.RetryAfter("bert", "10.0.0.9", kT0 + kMinute));
  EXPECT_FALSE(node_b.RetryAfter("anna", "10.0.0.9", kT0 + 15 * kMinute + 5));

  node_b.RecordSuccess("anna", "10.0.0.9");
  EXPECT_FALSE(node_b.RetryAfter("anna", "10.0.0.9", kT0 + kMinute)) << "a success clears it";
}

}  // namespace
}  // namespace uitweg::auth
