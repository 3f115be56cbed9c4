#include "chat/presence.hpp"

#include <gtest/gtest.h>

#include <string>

namespace uitweg::chat {
namespace {

constexpr core::UnixMillis kStart = 1'700'000'000'000;

TEST(PresenceTest, AVisitorWithASocketIsNotAbsent) {
  Presence presence(PresenceLimits{}, kStart);
  ASSERT_TRUE(presence.Join("c_1", kStart));
  EXPECT_FALSE(presence.AbsentSince("c_1", kStart));
}

TEST(PresenceTest, AbsenceCountsFromTheLastSocketClosing) {
  Presence presence(PresenceLimits{}, kStart);
  const auto first = presence.Join("c_1", kStart);
  const auto second = presence.Join("c_1", kStart);
  ASSERT_TRUE(first && second);
  presence.Leave("c_1", *first, kStart + 1000, true);
  presence.Leave("c_1", *first, kStart + 1500, true);
  EXPECT_FALSE(presence.AbsentSince("c_1", kStart)) << "one socket leaves once";
  presence.Leave("c_1", *second, kStart + 5000, true);
  EXPECT_EQ(presence.AbsentSince("c_1", kStart), kStart + 5000);
  ASSERT_TRUE(presence.Join("c_1", kStart));
  EXPECT_FALSE(presence.AbsentSince("c_1", kStart)) << "coming back in time keeps the place";
}

TEST(PresenceTest, AVisitorWhoNeverConnectedIsAbsentSinceTheStartOrTheServerStart) {
  Presence presence(PresenceLimits{}, kStart);
  EXPECT_EQ(presence.AbsentSince("c_new", kStart + 700), kStart + 700);
  EXPECT_EQ(presence.AbsentSince("c_before_restart", kStart - 3'600'000), kStart);
}

TEST(PresenceTest, LeavingWithoutKeepingForgets) {
  Presence presence(PresenceLimits{}, kStart);
  const auto joined = presence.Join("c_1", kStart);
  ASSERT_TRUE(joined);
  presence.Leave("c_1", *joined, kStart + 10, false);
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
  ASSERT_TRUE(presence.Join("c_2", kStart));
  presence.Requeued("c_2", kStart + 6000);
  EXPECT_FALSE(presence.AbsentSince("c_2", kStart)) << "still connected";
}

TEST(PresenceTest, CapsSocketsPerConversation) {
  Presence presence(PresenceLimits{.sockets_per_conversation = 2}, kStart);
  const auto first = presence.Join("c_1", kStart);
  ASSERT_TRUE(first);
  ASSERT_TRUE(presence.Join("c_1", kStart));
  const auto third = presence.Join("c_1", kStart + 60'000);
  ASSERT_FALSE(third) << "sockets with no way to tell when they were heard never give way";
  EXPECT_EQ(third.error().code, core::Errc::resource_exhausted);
  EXPECT_TRUE(presence.Join("c_2", kStart));
  presence.Leave("c_1", *first, kStart, true);
  EXPECT_TRUE(presence.Join("c_1", kStart));
}

// A socket as the test controls it: when it was heard, and whether it was told to give way.
struct TestSocket {
  core::UnixMillis heard_at = kStart;
  std::string token_hash = {};
  std::uint64_t checked_at = 0;
  int gave_way = 0;
  core::Errc why = core::Errc::internal;
  VisitorSocket ForPresence() {
    return {.heard_at = [this] { return heard_at; },
            .give_way =
                [this](core::Error error) {
                  ++gave_way;
                  why = error.code;
                },
            .token_hash = token_hash,
            .checked_at = checked_at};
  }
};

TEST(PresenceTest, PastTheCapTheSocketSilentLongestGivesWay) {
  Presence presence(PresenceLimits{.sockets_per_conversation = 2, .silent_socket_ms = 20'000},
                    kStart);
  TestSocket lost_with_the_network;
  TestSocket live;
  const auto lost_id = presence.Join("c_1", kStart, lost_with_the_network.ForPresence());
  ASSERT_TRUE(lost_id);
  ASSERT_TRUE(presence.Join("c_1", kStart, live.ForPresence()));
  live.heard_at = kStart + 15'000;
  TestSocket back{.heard_at = kStart + 19'999};  // its hello
  EXPECT_FALSE(presence.Join("c_1", kStart + 19'999, back.ForPresence()))
      << "silent for less than 20 s: it may still be there";
  EXPECT_EQ(lost_with_the_network.gave_way, 0);

  back.heard_at = kStart + 20'000;
  const auto joined = presence.Join("c_1", kStart + 20'000, back.ForPresence());
  ASSERT_TRUE(joined);
  EXPECT_EQ(lost_with_the_network.gave_way, 1);
  EXPECT_EQ(live.gave_way, 0);
  presence.Leave("c_1", *lost_id, kStart + 21'000, true);
  TestSocket another{.heard_at = kStart + 21'000};
  EXPECT_FALSE(presence.Join("c_1", kStart + 21'000, another.ForPresence()))
      << "the socket that gave way counts no more, and its close frees nothing";
  EXPECT_EQ(live.gave_way, 0);
  EXPECT_EQ(back.gave_way, 0);
}

// A visitor who left a message on a shared computer picks the answer up on their phone: the tab
// left open there must not go on showing the chat.
TEST(PresenceTest, SocketsOpenedWithAReplacedTokenGiveWay) {
  Presence presence(PresenceLimits{}, kStart);
  TestSocket shared_computer{.token_hash = "old"};
  TestSocket other_chat{.token_hash = "old"};
  ASSERT_TRUE(presence.Join("c_1", kStart, shared_computer.ForPresence()));
  ASSERT_TRUE(presence.Join("c_2", kStart, other_chat.ForPresence()));
  presence.TokenReplaced("c_1", "old", 1);
  EXPECT_EQ(shared_computer.gave_way, 0) << "the token is still the one it holds";
  presence.TokenReplaced("c_1", "new", 1);
  EXPECT_EQ(shared_computer.gave_way, 1);
  EXPECT_EQ(shared_computer.why, core::Errc::unauthenticated);
  EXPECT_EQ(other_chat.gave_way, 0);
  // The phone's socket, checked after the pick-up, and a poll's read from before it: that read
  // holds the old token, which is not the newer one.
  TestSocket phone{.token_hash = "new", .checked_at = 5};
  ASSERT_TRUE(presence.Join("c_1", kStart + 6, phone.ForPresence()));
  presence.TokenReplaced("c_1", "old", 4);
  presence.TokenReplaced("c_1", "new", 7);
  EXPECT_EQ(phone.gave_way, 0);
  EXPECT_EQ(shared_computer.gave_way, 1) << "gone once, and counted no more";
}

TEST(PresenceTest, NoSilenceLimitMeansNoSocketGivesWay) {
  Presence presence(PresenceLimits{.sockets_per_conversation = 1, .silent_socket_ms = 0}, kStart);
  TestSocket old;
  ASSERT_TRUE(presence.Join("c_1", kStart, old.ForPresence()));
  EXPECT_FALSE(presence.Join("c_1", kStart + 3'600'000));
  EXPECT_EQ(old.gave_way, 0);
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
    ASSERT_TRUE(presence.Join("c_1", kStart));
    ASSERT_TRUE(presence.SpendMessage("c_1", true, kStart));
  }
}

}  // namespace
}  // namespace uitweg::chat
