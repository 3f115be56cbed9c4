#include "chat/wait_estimate.hpp"

#include <gtest/gtest.h>

namespace uitweg::chat {
namespace {

constexpr core::UnixMillis kMinute = 60 * 1000;
constexpr core::UnixMillis kNow = 1'700'000'000'000;

TEST(WaitEstimateTest, NoRecentDeparturesMeansNoEstimate) {
  WaitEstimate estimate;
  EXPECT_FALSE(estimate.ExpectedWait(1, kNow));
  estimate.Left(kNow - 61 * kMinute);
  EXPECT_FALSE(estimate.ExpectedWait(1, kNow)) << "older than the hour";
}

TEST(WaitEstimateTest, ThePlaceTimesTheTimeBetweenDepartures) {
  WaitEstimate estimate;
  // Six left the queue over the last half hour: one every five minutes.
  for (int i = 0; i < 6; ++i) estimate.Left(kNow - 30 * kMinute + i * 5 * kMinute);
  EXPECT_EQ(estimate.ExpectedWait(1, kNow), 5 * kMinute);
  EXPECT_EQ(estimate.ExpectedWait(4, kNow), 20 * kMinute);
  EXPECT_FALSE(estimate.ExpectedWait(0, kNow)) << "not waiting";
}

TEST(WaitEstimateTest, AQuickBurstDoesNotPromiseSeconds) {
  WaitEstimate estimate;
  estimate.Left(kNow - 2000);
  estimate.Left(kNow - 1000);
  // Two in the last minutes count over at least ten minutes: five minutes each.
  EXPECT_EQ(estimate.ExpectedWait(1, kNow), WaitEstimate::kMinSpan / 2);
}

TEST(WaitEstimateTest, LateReportsCountOnceInTheirPlace) {
  WaitEstimate estimate;
  estimate.Left(kNow - 5 * kMinute);
  estimate.Left(kNow - 20 * kMinute);  // another node's, told late
  EXPECT_EQ(estimate.ExpectedWait(1, kNow), 10 * kMinute);
  EXPECT_EQ(estimate.ExpectedWait(1, kNow + 45 * kMinute), 50 * kMinute)
      << "the older one has left the hour";
}

}  // namespace
}  // namespace uitweg::chat
