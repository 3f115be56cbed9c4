#include "chat/presence.hpp"

#include <gtest/gtest.h>

namespace uitweg::chat {
namespace {

constexpr core::UnixMillis kStart = 1'700'000'000'000;

TEST(PresenceTest, AVisitorWithASocketIsNotAbsent) {
  Presence presence(PresenceLimits{}, kStart);
  ASSERT_TRUE(presence.Join("c_1"));
  EXPECT_FALSE(presence.AbsentSince("c_1", kStart));
}

TEST(PresenceTest, AbsenceCountsFromTheLastSocketClosing) {
  Presence presence(PresenceLimits{}, kStart);
  ASSERT_TRUE(presence.Join("c_1"));
  ASSERT_TRUE(presence.Join("c_1"));
  presence.Leave("c_1", kStart + 1000, true);
  EXPECT_FALSE(presence.AbsentSince("c_1", kStart));
  presence.Leave("c_1", kStart + 5000, true);
  EXPECT_EQ(presence.AbsentSince("c_1", kStart), kStart + 5000);
  ASSERT_TRUE(presence.Join("c_1"));
  EXPECT_FALSE(presence.AbsentSince("c_1", kStart)) << "coming back in time keeps the place";
}

TEST(PresenceTest, AVisitorWhoNeverConnectedIsAbsentSinceTheStartOrTheServerStart) {
  Presence presence(PresenceLimits{}, kStart);
  EXPECT_EQ(presence.AbsentSince("c_new", kStart + 700), kStart + 700);
  EXPECT_EQ(presence.AbsentSince("c_before_restart", kStart - 3'600'000), kStart);
}

TEST(PresenceTest, LeavingWithoutKeepingForgets) {
  Presence presence(PresenceLimits{}, kStart);
  ASSERT_TRUE(presence.Join("c_1"));
  presence.Leave("c_1", kStart + 10, false);
  EXPECT_EQ(presence.size(), 0u);
}

TEST(PresenceTest, AVisitorBackInTheQueueIsAwayFromThenAndMayWriteWhileWaitingAgain) {
  Presence presence(PresenceLimits{.messages_per_minute = 0, .messages_while_waiting = 2}, kStart);
  ASSERT_TRUE(presence.SpendMessage("c_1", true, kStart + 1));
  ASSERT_TRUE(presence.SpendMessage("c_1", true, kStart + 2));
  EXPECT_FALSE(presence.SpendMessage("c_1", true, kStart + 3)) << "the waiting budget is spent";
  presence.Requeued("c_1", kStart + 5000);
  EXPECT_EQ(presence.AbsentSince("c_1", kStart), kStart + 5000) << "not since the chat began";
  EXPECT_TRUE(presence.SpendMessage("c_1", true, kStart + 5001));
  ASSERT_TRUE(presence.Join("c_2"));
  presence.Requeued("c_2", kStart + 6000);
  EXPECT_FALSE(presence.AbsentSince("c_2", kStart)) << "still connected";
}

TEST(PresenceTest, CapsSocketsPerConversation) {
  Presence presence(PresenceLimits{.sockets_per_conversation = 2}, kStart);
  ASSERT_TRUE(presence.Join("c_1"));
  ASSERT_TRUE(presence.Join("c_1"));
  const auto third = presence.Join("c_1");
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code, core::Errc::resource_exhausted);
  EXPECT_TRUE(presence.Join("c_2"));
  presence.Leave("c_1", kStart, true);
  EXPECT_TRUE(presence.Join("c_1"));
}

TEST(PresenceTest, MessageRateRefillsOverTime) {
  Presence presence(PresenceLimits{.messages_per_minute = 6, .messages_while_waiting = 0}, kStart);
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(presence.SpendMessage("c_1", false, kStart)) << i;
  const auto over = presence.SpendMessage("c_1", false, kStart);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, core::Errc::resource_exhausted);
  EXPECT_EQ(over.error().retry_after_seconds, 10);
  EXPECT_FALSE(presence.SpendMessage("c_1", false, kStart + 9'000));
  EXPECT_TRUE(presence.SpendMessage("c_1", false, kStart + 20'000));
  EXPECT_TRUE(presence.SpendMessage("c_2", false, kStart)) << "per conversation";
}

TEST(PresenceTest, CapsMessagesWhileWaiting) {
  Presence presence(PresenceLimits{.messages_per_minute = 0, .messages_while_waiting = 3}, kStart);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(presence.SpendMessage("c_1", true, kStart + i));
  const auto over = presence.SpendMessage("c_1", true, kStart + 3);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, core::Errc::resource_exhausted);
  EXPECT_TRUE(presence.SpendMessage("c_1", false, kStart + 4)) << "accepted: no waiting cap";
}

TEST(PresenceTest, ZeroMeansNoLimit) {
  Presence presence(PresenceLimits{.sockets_per_conversation = 0,
                                   .abandon_after_ms = 0,
                                   .messages_per_minute = 0,
                                   .messages_while_waiting = 0},
                    kStart);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(presence.Join("c_1"));
    ASSERT_TRUE(presence.SpendMessage("c_1", true, kStart));
  }
}

}  // namespace
}  // namespace uitweg::chat
