#include "api/wire.hpp"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace uitweg::api {
namespace {

TEST(WireTest, ConversationHasEveryDocumentedField) {
  model::Conversation conversation;
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
  EXPECT_TRUE(json.at("end_reason").is_null());
  EXPECT_FALSE(json.contains("counsellor_id"));
  conversation.end_reason = model::EndReason::abandoned;
  EXPECT_EQ(ConversationJson(conversation).at("end_reason"), "abandoned");
}

TEST(WireTest, CounsellorMessagesCarryTheDisplayNameOnly) {
  chat::Entry entry;
  entry.message.conversation_id = "c_1";
  entry.message.seq = 2;
  entry.message.kind = model::MessageKind::accepted;
  entry.message.sender = model::Sender::system;
  entry.message.author_id = 42;
  entry.author = "Alice";
  boost::json::object json = MessageJson(entry);
  EXPECT_EQ(json.at("sender"), "counsellor");
  EXPECT_EQ(json.at("kind"), "accepted");
  EXPECT_EQ(json.at("author"), "Alice");
  EXPECT_FALSE(json.contains("author_id"));

  entry.message.kind = model::MessageKind::text;
  entry.message.sender = model::Sender::visitor;
  entry.author.clear();
  EXPECT_FALSE(MessageJson(entry).contains("author"));
  EXPECT_FALSE(MessageJson(entry).contains("body_shredded"));

  // A shredded text says so, or a transcript shows an empty message as if text were lost.
  entry.message.body.clear();
  entry.message.body_shredded = true;
  EXPECT_EQ(MessageJson(entry).at("body_shredded"), true);
}

TEST(WireTest, ErrorFrameEchoesTheRef) {
  boost::json::value frame =
      boost::json::parse(ErrorFrame(core::Fail(core::Errc::failed_precondition, "ended"), "m-1"));
  EXPECT_EQ(frame.at("type"), "error");
  EXPECT_EQ(frame.at("code"), "failed_precondition");
  EXPECT_EQ(frame.at("ref"), "m-1");
  EXPECT_FALSE(boost::json::parse(ErrorFrame(core::Fail(core::Errc::internal, "x")))
                   .as_object()
                   .contains("ref"));
}

TEST(WireTest, ErrorFrameRefIsCutOnACharacterBoundaryAndSaysWhenToRetry) {
  core::Error busy = core::Fail(core::Errc::resource_exhausted, "wait");
  busy.retry_after_seconds = 7;
  boost::json::value frame = boost::json::parse(ErrorFrame(busy, "ab\xC3"));
  EXPECT_EQ(frame.at("ref"), "ab");
  EXPECT_EQ(frame.at("retry_after"), 7);
}

TEST(WireTest, QueueEntryCountsTheWait) {
  chat::QueueEntry entry{.conversation_id = "c_1", .created_at = 1'000};
  EXPECT_EQ(QueueEntryJson(entry, 4'500).at("waiting_ms"), 3'500);
  EXPECT_TRUE(PositionJson(0).is_null());
  EXPECT_EQ(PositionJson(3), 3);
}

TEST(WireTest, QueueFramesCarryTheWindowAndTheTotal) {
  chat::QueueChange change;
  change.added.push_back(chat::QueueEntry{.conversation_id = "c_2", .urgency = 3});
  change.removed.push_back("c_1");
  change.total = 12;
  const boost::json::value changes = boost::json::parse(QueueChangeFrame(change, 0));
  EXPECT_EQ(changes.at("type"), "queue_changes");
  EXPECT_EQ(changes.at("added").at(0).at("conversation_id"), "c_2");
  EXPECT_EQ(changes.at("removed").at(0), "c_1");
  EXPECT_TRUE(changes.at("changed").as_array().empty());
  EXPECT_EQ(changes.at("total"), 12);
  chat::QueueSnapshot snapshot{{chat::QueueEntry{.conversation_id = "c_2"}}, 12};
  const boost::json::value queue = boost::json::parse(QueueSnapshotFrame(snapshot, 0));
  EXPECT_EQ(queue.at("waiting").as_array().size(), 1u);
  EXPECT_EQ(queue.at("total"), 12);
}

TEST(WireTest, AckSaysWhereAndWhen) {
  const boost::json::value visitor =
      boost::json::parse(AckFrame({}, "m-1", chat::Sent{4, false, 99}));
  EXPECT_FALSE(visitor.as_object().contains("conversation_id"));
  EXPECT_EQ(visitor.at("client_id"), "m-1");
  EXPECT_EQ(visitor.at("seq"), 4);
  EXPECT_EQ(visitor.at("duplicate"), false);
  EXPECT_EQ(visitor.at("created_at"), 99);
  const boost::json::value staff =
      boost::json::parse(AckFrame("c_1", "m-2", chat::Sent{5, true, 7}));
  EXPECT_EQ(staff.at("conversation_id"), "c_1");
  EXPECT_EQ(staff.at("duplicate"), true);
  // Ids as a client wrote them stay strings, whatever they hold.
  const std::string odd("c_1\0\",\"seq\":1,\"x\":\"\\\n\xc3\xa9", 23);
  boost::system::error_code ec;
  const boost::json::value quoted =
      boost::json::parse(AckFrame(odd, odd, chat::Sent{6, false, 8}), ec);
  ASSERT_FALSE(ec) << AckFrame(odd, odd, chat::Sent{6, false, 8});
  EXPECT_EQ(quoted.at("conversation_id").as_string(), odd);
  EXPECT_EQ(quoted.at("client_id").as_string(), odd);
  EXPECT_EQ(quoted.at("seq"), 6);
}

TEST(WireTest, ErrorFrameMessageStaysUtf8) {
  const boost::json::value error = boost::json::parse(
      ErrorFrame(core::Fail(core::Errc::invalid_argument, "unknown parameter: a\xff"), {}));
  EXPECT_EQ(error.at("message"), "unknown parameter: a");
}

}  // namespace
}  // namespace uitweg::api
