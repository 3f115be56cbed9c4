#include "api/wire.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

namespace uitweg::api {
namespace {

TEST(WireTest, ConversationHasEveryDocumentedField) {
  store::Conversation conversation;
  conversation.id = "c_1";
  conversation.nickname = "Sam";
  conversation.created_at = 5;
  conversation.accepted_at = 9;
  conversation.counsellor_id = 42;
  boost::json::object json = ConversationJson(conversation);
  EXPECT_EQ(json.at("id"), "c_1");
  EXPECT_EQ(json.at("status"), "waiting");
  EXPECT_EQ(json.at("subject"), "self");
  EXPECT_EQ(json.at("accepted_at"), 9);
  EXPECT_TRUE(json.at("ended_at").is_null());
  EXPECT_EQ(json.at("last_seq"), 0);
  EXPECT_FALSE(json.contains("counsellor_id"));
}

TEST(WireTest, CounsellorMessagesCarryTheDisplayNameOnly) {
  chat::Entry entry;
  entry.message.conversation_id = "c_1";
  entry.message.seq = 2;
  entry.message.kind = store::MessageKind::accepted;
  entry.message.sender = store::Sender::system;
  entry.message.author_id = 42;
  entry.author = "Alice";
  boost::json::object json = MessageJson(entry);
  EXPECT_EQ(json.at("sender"), "counsellor");
  EXPECT_EQ(json.at("kind"), "accepted");
  EXPECT_EQ(json.at("author"), "Alice");
  EXPECT_FALSE(json.contains("author_id"));

  entry.message.kind = store::MessageKind::text;
  entry.message.sender = store::Sender::visitor;
  entry.author.clear();
  EXPECT_FALSE(MessageJson(entry).contains("author"));
}

TEST(WireTest, ErrorFrameEchoesTheRef) {
  boost::json::value frame = boost::json::parse(
      ErrorFrame(core::Fail(core::Errc::failed_precondition, "ended"), "m-1"));
  EXPECT_EQ(frame.at("type"), "error");
  EXPECT_EQ(frame.at("code"), "failed_precondition");
  EXPECT_EQ(frame.at("ref"), "m-1");
  EXPECT_FALSE(boost::json::parse(ErrorFrame(core::Fail(core::Errc::internal, "x")))
                   .as_object()
                   .contains("ref"));
}

TEST(WireTest, QueueEntryCountsTheWait) {
  store::Conversation conversation;
  conversation.id = "c_1";
  conversation.created_at = 1'000;
  EXPECT_EQ(QueueEntryJson(conversation, 4'500).at("waiting_ms"), 3'500);
  EXPECT_TRUE(PositionJson(0).is_null());
  EXPECT_EQ(PositionJson(3), 3);
}

}  // namespace
}  // namespace uitweg::api
