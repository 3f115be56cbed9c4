#include "auth/sign_in_limiter.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "auth/auth_test_support.hpp"
#include "crypto/random.hpp"

namespace uitweg::auth {
namespace {

constexpr core::UnixMillis kMinute = 60 * 1000;
constexpr core::UnixMillis kT0 = 1'700'000'000'000;

// Attempts that all fail (none is followed by Succeeded); how many were admitted.
int Attempts(SignInLimiter& limiter, std::string_view user, std::string_view client, int times,
             core::UnixMillis at) {
  int admitted = 0;
  for (int i = 0; i < times; ++i) admitted += limiter.Admit(user, client, at) ? 0 : 1;
  return admitted;
}

TEST(SignInLimiterTest, FiveAttemptsOnAnAccountFromOneClientThenAWaitForTheRestOfTheWindow) {
  SignInLimiter limiter;
  EXPECT_EQ(Attempts(limiter, "anna", "10.0.0.1", 1, kT0), 1);
  EXPECT_EQ(Attempts(limiter, "anna", "10.0.0.1", 4, kT0 + 5 * kMinute), 4);
  EXPECT_EQ(limiter.Admit("anna", "10.0.0.1", kT0 + 5 * kMinute), 10 * kMinute);
  EXPECT_EQ(limiter.RetryAfter("anna", "10.0.0.1", kT0 + 14 * kMinute), 1 * kMinute);
  EXPECT_FALSE(limiter.RetryAfter("anna", "10.0.0.1", kT0 + 15 * kMinute));
  // A refused attempt is not counted: the wait does not grow by knocking.
  EXPECT_EQ(Attempts(limiter, "anna", "10.0.0.1", 1, kT0 + 15 * kMinute), 1);
}

TEST(SignInLimiterTest, AttemptsAreCountedBeforeTheyAreAnsweredSoParallelGuessesGetNoMore) {
  SignInLimiter limiter;
  std::atomic<int> admitted{0};
  std::vector<std::thread> guessers;
  for (int t = 0; t < 10; ++t) {
    guessers.emplace_back([&] { admitted += Attempts(limiter, "anna", "10.0.0.1", 10, kT0); });
  }
  for (auto& guesser : guessers) guesser.join();
  EXPECT_EQ(admitted.load(), 5);
}

TEST(SignInLimiterTest, GuessesFromOneAddressDoNotLockTheOwnerOutElsewhere) {
  SignInLimiter limiter;
  EXPECT_EQ(Attempts(limiter, "anna", "10.6.6.6", 10, kT0), 5);
  EXPECT_FALSE(limiter.RetryAfter("anna", "10.0.0.1", kT0 + 1));
  EXPECT_FALSE(limiter.Admit("anna", "10.0.0.1", kT0 + 1));
  limiter.Succeeded("anna", "10.0.0.1", kT0 + 1);
}

TEST(SignInLimiterTest, OneAddressGuessingAtManyAccountsIsStopped) {
  SignInLimiter limiter;
  int admitted = 0;
  for (int i = 0; i < 30; ++i)
    admitted += Attempts(limiter, "user" + std::to_string(i), "evil", 1, kT0);
  EXPECT_EQ(admitted, 20);
  EXPECT_TRUE(limiter.RetryAfter("someone", "evil", kT0 + 1));
  EXPECT_FALSE(limiter.RetryAfter("someone", "good", kT0 + 1));
}

TEST(SignInLimiterTest, AGuessSpreadOverManyAddressesIsStoppedAtTheAccountLimit) {
  SignInLimiter limiter(SignInLimits{.per_account = 12});
  int admitted = 0;
  for (int i = 0; i < 10; ++i) {
    admitted += Attempts(limiter, "anna", "10.0.0." + std::to_string(i), 2, kT0);
  }
  EXPECT_EQ(admitted, 12);
  EXPECT_TRUE(limiter.RetryAfter("anna", "10.1.1.1", kT0 + 1));
}

TEST(SignInLimiterTest, SuccessForgetsTheAccountsCounts) {
  SignInLimiter limiter;
  EXPECT_EQ(Attempts(limiter, "anna", "10.0.0.1", 4, kT0), 4);
  EXPECT_FALSE(limiter.Admit("anna", "10.0.0.1", kT0 + 1));
  limiter.Succeeded("anna", "10.0.0.1", kT0 + 1);
  EXPECT_EQ(Attempts(limiter, "anna", "10.0.0.1", 5, kT0 + 2), 5);
}

// The address's count is what stops one address guessing at many accounts: a guesser with an
// account of their own must not empty it by signing in between guesses.
TEST(SignInLimiterTest, ASuccessTakesOnlyItsOwnAttemptOffTheAddresssCount) {
  SignInLimiter limiter;
  int admitted = 0;
  for (int i = 0; i < 19; ++i) {
    admitted += Attempts(limiter, "user" + std::to_string(i), "evil", 1, kT0 + i);
  }
  ASSERT_EQ(admitted, 19);
  EXPECT_FALSE(limiter.Admit("insider", "evil", kT0 + 100));
  limiter.Succeeded("insider", "evil", kT0 + 100);
  for (int i = 19; i < 30; ++i) {
    admitted += Attempts(limiter, "user" + std::to_string(i), "evil", 1, kT0 + 200 + i);
  }
  EXPECT_EQ(admitted, 20);
  // Colleagues behind one office address all signing in at a shift change are not stopped.
  for (int i = 0; i < 40; ++i) {
    const std::string colleague = "colleague" + std::to_string(i);
    ASSERT_FALSE(limiter.Admit(colleague, "office", kT0 + 300 + i)) << i;
    limiter.Succeeded(colleague, "office", kT0 + 300 + i);
  }
}

TEST(SignInLimiterTest, FailuresSpreadOverMoreThanTheWindowDoNotLock) {
  SignInLimiter limiter;
  for (int i = 0; i < 10; ++i) {
    EXPECT_FALSE(limiter.Admit("anna", "", kT0 + i * 4 * kMinute)) << i;
  }
}

TEST(SignInLimiterMemoryTest, StaysWithinMaxEntries) {
  SignInLimiter limiter(SignInLimits{.max_entries = 100});
  for (int i = 0; i < 1000; ++i) {
    (void)limiter.Admit("user" + std::to_string(i), "10.0.0." + std::to_string(i), kT0 + i);
  }
  EXPECT_LE(limiter.size(), 100u);
  // The newest entries are the ones kept.
  EXPECT_EQ(Attempts(limiter, "user999", "10.0.0.999", 5, kT0 + 1000), 4);
}

TEST(SignInLimiterMemoryTest, StaleEntriesArePrunedFirst) {
  SignInLimiter limiter(SignInLimits{.window_ms = kMinute, .max_entries = 9});
  for (int i = 0; i < 3; ++i) (void)limiter.Admit("old" + std::to_string(i), "x", kT0);
  (void)limiter.Admit("new", "y", kT0 + 2 * kMinute);
  EXPECT_EQ(limiter.size(), 3u);
}

// Two nodes, each with its own limiter, on one database.
class SharedSignInLimiterTest : public AuthTest {};

TEST_F(SharedSignInLimiterTest, AnAccountThrottledOnOneNodeIsThrottledOnAnother) {
  const SignInLimits limits{.shared_key = "the same on every node"};
  SignInLimiter node_a(limits, store_);
  SignInLimiter node_b(limits, store_);
  EXPECT_EQ(Attempts(node_a, "anna", "10.0.0.1", 5, kT0), 5);
  const auto wait = node_b.RetryAfter("anna", "10.0.0.1", kT0 + kMinute);
  ASSERT_TRUE(wait) << "the other node lets the guessing go on";
  EXPECT_EQ(*wait, 15 * kMinute - kMinute);
  EXPECT_FALSE(node_b.RetryAfter("anna", "10.0.0.9", kT0 + kMinute)) << "the owner elsewhere";
  EXPECT_FALSE(node_b.RetryAfter("bert", "10.0.0.1", kT0 + kMinute));
  EXPECT_FALSE(node_b.RetryAfter("anna", "10.0.0.1", kT0 + 15 * kMinute + 5));

  // A success clears the shared counts (a node that saw nothing local lets the owner in); the
  // node where the failures happened keeps its own exact count for the window.
  node_b.Succeeded("anna", "10.0.0.1", kT0 + kMinute);
  SignInLimiter node_c(limits, store_);
  EXPECT_FALSE(node_c.RetryAfter("anna", "10.0.0.1", kT0 + kMinute));
}

TEST_F(SharedSignInLimiterTest, TheStoreHoldsNoNameAndNoAddress) {
  SignInLimiter node(SignInLimits{.shared_key = "k"}, store_);
  EXPECT_FALSE(node.Admit("anna", "10.0.0.1", kT0));
  for (const std::string& plain : {std::string("anna"), std::string("10.0.0.1")}) {
    EXPECT_TRUE(store_->SignInFailures(plain, 0).value().empty());
  }
  EXPECT_TRUE(store_->SignInFailures(crypto::HashToken("sign-in:anna"), 0).value().empty());
}

}  // namespace
}  // namespace uitweg::auth
