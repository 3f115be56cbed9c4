#include "api/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace uitweg::api {
namespace {

TEST(RateLimiterTest, AllowsUpToTheLimitPerWindow) {
  core::ManualClock clock;
  RateLimiter limiter(clock, 3, 60'000);
  EXPECT_TRUE(limiter.Allow("a"));
  EXPECT_TRUE(limiter.Allow("a"));
  EXPECT_TRUE(limiter.Allow("a"));
  EXPECT_FALSE(limiter.Allow("a"));
  EXPECT_TRUE(limiter.Allow("b"));
  clock.Advance(60'000);
  EXPECT_TRUE(limiter.Allow("a"));
}

TEST(RateLimiterTest, ForgetsKeysAfterAWindow) {
  core::ManualClock clock;
  RateLimiter limiter(clock, 1, 1'000);
  EXPECT_TRUE(limiter.Allow("a"));
  EXPECT_TRUE(limiter.Allow("b"));
  EXPECT_EQ(limiter.TrackedKeys(), 2u);
  clock.Advance(1'000);
  EXPECT_EQ(limiter.TrackedKeys(), 0u);
}

}  // namespace
}  // namespace uitweg::api
