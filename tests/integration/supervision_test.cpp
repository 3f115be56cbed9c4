// Staff-only entries and supervision: a counsellor's internal notes and a supervisor's whispers
// are stored in the conversation for staff, and its visitor never receives them, live or on a
// replay; a supervisor watches a live conversation silently, and the counsellor sees who watches.

#include "integration/server_test.hpp"

namespace uitweg::support {
namespace {

using SupervisionTest = ServerTest;

// The next message on `ws` of this kind (earlier ones are passed over).
boost::json::object NextOfKind(WsClient& ws, const std::string& kind) {
  for (int i = 0; i < 10; ++i) {
    boost::json::object message = NextMessage(ws);
    if (message.empty() || Str(message, "kind") == kind) return message;
  }
  return {};
}

boost::json::object StaffOnly(const char* type, const std::string& conversation_id,
                              const std::string& client_id, const std::string& body) {
  return {{"type", type},
          {"conversation_id", conversation_id},
          {"client_id", client_id},
          {"body", body}};
}

TEST_F(SupervisionTest, ASupervisorWatchesAndWhispersTheVisitorNeverReceivesNotesOrWhispers) {
  AcceptedChat chat = NewAcceptedChat("anna.k");
  ASSERT_FALSE(HasFailure());
  const std::string said = Body("hallo");
  ASSERT_TRUE(chat.visitor.ws.Send(VisitorSend("v-1", said)));
  ASSERT_TRUE(chat.visitor.ws.Take("ack"));

  Counsellor sanne = NewStaff("sanne", "supervisor");
  ASSERT_FALSE(HasFailure());
  ASSERT_TRUE(sanne.ws.Send({{"type", "monitor"}, {"conversation_id", chat.id}}));
  auto monitoring = sanne.ws.Take("monitoring");
  ASSERT_TRUE(monitoring) << monitoring.error().message;
  EXPECT_EQ(Str(monitoring->at("conversation").as_object(), "id"), chat.id);
  bool read_what_was_said = false;
  for (int i = 0; i < 3 && !read_what_was_said; ++i) {
    read_what_was_said = Str(NextMessage(sanne.ws), "body") == said;
  }
  EXPECT_TRUE(read_what_was_said);
  auto watched = chat.counsellor.ws.Take("watched");
  ASSERT_TRUE(watched) << watched.error().message;
  EXPECT_EQ(Str(*watched, "by"), "sanne");
  EXPECT_TRUE(watched->at("watching").as_bool());

  const std::string note = Body("note");
  ASSERT_TRUE(chat.counsellor.ws.Send(StaffOnly("note", chat.id, "n-1", note)));
  ASSERT_TRUE(chat.counsellor.ws.Take("ack"));
  const boost::json::object noted = NextOfKind(sanne.ws, "note");
  EXPECT_EQ(Str(noted, "kind"), "note");
  EXPECT_EQ(Str(noted, "body"), note);
  EXPECT_EQ(Str(noted, "author"), "anna.k");

  const std::string whisper = Body("whisper");
  ASSERT_TRUE(sanne.ws.Send(StaffOnly("whisper", chat.id, "w-1", whisper)));
  ASSERT_TRUE(sanne.ws.Take("ack"));
  const boost::json::object whispered = NextOfKind(chat.counsellor.ws, "whisper");
  EXPECT_EQ(Str(whispered, "kind"), "whisper");
  EXPECT_EQ(Str(whispered, "body"), whisper);
  EXPECT_EQ(Str(whispered, "author"), "sanne");

  ASSERT_TRUE(sanne.ws.Send({{"type", "typing"}, {"conversation_id", chat.id}}));
  EXPECT_EQ(NextErrorCode(sanne.ws), "permission_denied") << "a watcher does not type";

  // The visitor's next message is the counsellor's next text; nothing in between.
  const std::string reply = Body("reply");
  ASSERT_TRUE(chat.counsellor.ws.Send(StaffSend(chat.id, "c-1", reply)));
  ASSERT_TRUE(chat.counsellor.ws.Take("ack"));
  for (;;) {
    const boost::json::object next = NextMessage(chat.visitor.ws);
    ASSERT_FALSE(next.empty()) << "the reply reached the visitor";
    EXPECT_NE(Str(next, "kind"), "note");
    EXPECT_NE(Str(next, "kind"), "whisper");
    if (Str(next, "body") == reply) break;
  }
  EXPECT_FALSE(chat.visitor.ws.Take("watched", 300ms));
  EXPECT_FALSE(chat.visitor.ws.Take("typing", 300ms)) << "nobody typed for the visitor";

  // Nor on a replay from the start.
  auto again = ConnectVisitor(server_.port(), chat.visitor.conversation.resume_token, 0);
  ASSERT_TRUE(again) << again.error().message;
  std::vector<std::string> kinds;
  for (;;) {
    auto frame = again->Take("message", 10s);
    EXPECT_TRUE(frame) << "the replay stopped before the reply";
    if (!frame) break;
    const auto& message = frame->at("message").as_object();
    kinds.push_back(Str(message, "kind"));
    EXPECT_NE(Str(message, "body"), note);
    EXPECT_NE(Str(message, "body"), whisper);
    if (Str(message, "body") == reply) break;
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"accepted", "text", "text"}));

  // The supervisor stops; the counsellor sees it.
  ASSERT_TRUE(sanne.ws.Send({{"type", "unmonitor"}, {"conversation_id", chat.id}}));
  auto stopped = chat.counsellor.ws.Take("watched");
  ASSERT_TRUE(stopped) << stopped.error().message;
  EXPECT_FALSE(stopped->at("watching").as_bool());

  auto audited = HttpGet(server_.port(), "/api/v1/audit?conversation=" + chat.id,
                         {{"Cookie", sanne.session.cookie}});
  ASSERT_TRUE(audited && audited->status == 200);
  for (const char* action : {"monitor", "note", "whisper"}) {
    EXPECT_NE(audited->body.find(std::string("\"action\":\"") + action + "\""), std::string::npos)
        << action << " in " << audited->body;
  }
}

TEST_F(SupervisionTest, ACounsellorReadsTheirOwnEndedConversationsAgainAudited) {
  AcceptedChat chat = NewAcceptedChat("anna.k");
  ASSERT_FALSE(HasFailure());
  const std::string said = Body("said");
  const std::string note = Body("note");
  ASSERT_TRUE(chat.visitor.ws.Send(VisitorSend("v-1", said)));
  ASSERT_TRUE(chat.visitor.ws.Take("ack"));
  ASSERT_TRUE(chat.counsellor.ws.Send(StaffOnly("note", chat.id, "n-1", note)));
  ASSERT_TRUE(chat.counsellor.ws.Take("ack"));
  ASSERT_TRUE(chat.counsellor.ws.Send({{"type", "end"}, {"conversation_id", chat.id}}));
  bool ended = false;
  for (int i = 0; i < 6 && !ended; ++i)
    ended = Str(NextMessage(chat.counsellor.ws), "kind") == "ended";
  ASSERT_TRUE(ended);

  const Headers mine = {{"Cookie", chat.counsellor.session.cookie}};
  auto listed = HttpGet(server_.port(), "/api/v1/history", mine);
  ASSERT_TRUE(listed && listed->status == 200) << (listed ? listed->body : "");
  const boost::json::value history = listed->Json().value();
  ASSERT_EQ(history.at("conversations").as_array().size(), 1u) << listed->body;
  EXPECT_EQ(history.at("conversations").as_array()[0].at("id").as_string(), chat.id);
  auto before = HttpGet(server_.port(), "/api/v1/history?since=0&until=1000", mine);
  ASSERT_TRUE(before && before->status == 200);
  EXPECT_EQ(before->Json().value().at("conversations").as_array().size(), 0u);
  for (const char* bad : {"?since=x", "?since=5&until=5", "?colour=red"}) {
    auto refused = HttpGet(server_.port(), std::string("/api/v1/history") + bad, mine);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 400) << bad;
  }

  auto opened = HttpGet(server_.port(), "/api/v1/history/" + chat.id, mine);
  ASSERT_TRUE(opened && opened->status == 200) << (opened ? opened->body : "");
  EXPECT_NE(opened->body.find(said), std::string::npos);
  EXPECT_NE(opened->body.find(note), std::string::npos) << "notes are part of it";

  Counsellor bert = NewStaff("bert.v");
  ASSERT_FALSE(HasFailure());
  auto theirs =
      HttpGet(server_.port(), "/api/v1/history/" + chat.id, {{"Cookie", bert.session.cookie}});
  ASSERT_TRUE(theirs);
  EXPECT_EQ(theirs->status, 404) << "a colleague's reads as unknown";

  Counsellor sanne = NewStaff("sanne", "supervisor");
  ASSERT_FALSE(HasFailure());
  auto audited = HttpGet(server_.port(), "/api/v1/audit?action=history_read",
                         {{"Cookie", sanne.session.cookie}});
  ASSERT_TRUE(audited && audited->status == 200);
  const boost::json::value entries = audited->Json().value();
  ASSERT_EQ(entries.at("entries").as_array().size(), 1u) << audited->body;
  EXPECT_EQ(entries.at("entries").as_array()[0].at("conversation_id").as_string(), chat.id);
}

TEST_F(SupervisionTest, AWatchEndsWhenTheConversationLeavesItsCounsellor) {
  AcceptedChat chat = NewAcceptedChat("anna.k");
  Counsellor sanne = NewStaff("sanne", "supervisor");
  Counsellor bert = NewStaff("bert.v");
  ASSERT_FALSE(HasFailure());
  ASSERT_TRUE(sanne.ws.Send({{"type", "monitor"}, {"conversation_id", chat.id}}));
  ASSERT_TRUE(sanne.ws.Take("monitoring"));
  ASSERT_TRUE(chat.counsellor.ws.Take("watched"));

  // Handed back to the queue: the watch ends, and what the next counsellor says is not sent
  // to a watcher they were never told of.
  ASSERT_TRUE(chat.counsellor.ws.Send({{"type", "release"}, {"conversation_id", chat.id}}));
  EXPECT_EQ(Str(NextOfKind(sanne.ws, "released"), "kind"), "released");
  Accept(bert, chat.id);
  ASSERT_FALSE(HasFailure());
  EXPECT_FALSE(bert.ws.Take("watched", 300ms)) << "nobody watches bert";
  const std::string hello = Body("Hoi, ik ben Bert.");
  ASSERT_TRUE(bert.ws.Send(StaffSend(chat.id, "b-1", hello)));
  ASSERT_TRUE(bert.ws.Take("ack"));
  for (;;) {
    auto frame = sanne.ws.Take("message", 300ms);
    if (!frame) break;
    EXPECT_NE(Str(frame->at("message").as_object(), "body"), hello);
  }
  ASSERT_TRUE(sanne.ws.Send(StaffOnly("whisper", chat.id, "w-1", "nog daar?")));
  EXPECT_EQ(NextErrorCode(sanne.ws), "failed_precondition") << "no longer watching";

  // Watching again: bert is told.
  ASSERT_TRUE(sanne.ws.Send({{"type", "monitor"}, {"conversation_id", chat.id}}));
  ASSERT_TRUE(sanne.ws.Take("monitoring"));
  auto watched = bert.ws.Take("watched");
  ASSERT_TRUE(watched) << watched.error().message;
  EXPECT_EQ(Str(*watched, "by"), "sanne");
}

// A supervisor's console reconnects after the chat went to another counsellor: watching again
// from where it was, it is refused (the hand-over would have ended the watch), so the whisper it
// still had to send for the counsellor before does not land in the new counsellor's chat. A
// hand-over before the watch began does not count.
TEST_F(SupervisionTest, AWatchResumedPastAHandOverEndsThere) {
  AcceptedChat chat = NewAcceptedChat("anna.k");
  Counsellor sanne = NewStaff("sanne", "supervisor");
  Counsellor bert = NewStaff("bert.v");
  ASSERT_FALSE(HasFailure());
  ASSERT_TRUE(sanne.ws.Send({{"type", "monitor"}, {"conversation_id", chat.id}}));
  auto monitoring = sanne.ws.Take("monitoring");
  ASSERT_TRUE(monitoring) << monitoring.error().message;
  const std::int64_t seen = monitoring->at("conversation").at("last_seq").as_int64();
  sanne.ws.Close();
  ASSERT_TRUE(chat.counsellor.ws.Send({{"type", "release"}, {"conversation_id", chat.id}}));
  ASSERT_EQ(Str(NextOfKind(chat.counsellor.ws, "released"), "kind"), "released");
  Accept(bert, chat.id);
  ASSERT_FALSE(HasFailure());

  auto again = ConnectStaff(server_.port(), sanne.session);
  ASSERT_TRUE(again) << again.error().message;
  // A watch said to begin past the conversation's end would pass the hand-over by.
  ASSERT_TRUE(again->Send(
      {{"type", "monitor"}, {"conversation_id", chat.id}, {"last_seq", seen}, {"since", 1000}}));
  EXPECT_EQ(NextErrorCode(*again), "invalid_argument");
  ASSERT_TRUE(again->Send(
      {{"type", "monitor"}, {"conversation_id", chat.id}, {"last_seq", seen}, {"since", seen}}));
  ASSERT_TRUE(again->Send(StaffOnly("whisper", chat.id, "w-1", "vraag naar haar broer")));
  EXPECT_EQ(NextErrorCode(*again), "failed_precondition") << "the watch of anna's chat is over";
  EXPECT_EQ(NextErrorCode(*again), "failed_precondition") << "the whisper was for anna";

  // Watching bert's chat anew, and again after a reconnect from where that watch began: the
  // hand-over to him is its past.
  ASSERT_TRUE(again->Send({{"type", "monitor"}, {"conversation_id", chat.id}}));
  auto anew = again->Take("monitoring");
  ASSERT_TRUE(anew) << anew.error().message;
  const std::int64_t began = anew->at("conversation").at("last_seq").as_int64();
  again->Close();
  auto third = ConnectStaff(server_.port(), sanne.session);
  ASSERT_TRUE(third) << third.error().message;
  ASSERT_TRUE(third->Send(
      {{"type", "monitor"}, {"conversation_id", chat.id}, {"last_seq", seen}, {"since", began}}));
  EXPECT_TRUE(third->Take("monitoring"));
}

TEST_F(SupervisionTest, OnlyTheRightPeopleWriteNotesWhisperOrWatch) {
  AcceptedChat chat = NewAcceptedChat("anna.k");
  ASSERT_FALSE(HasFailure());
  Counsellor bert = NewStaff("bert.v");
  ASSERT_FALSE(HasFailure());
  ASSERT_TRUE(bert.ws.Send(StaffOnly("note", chat.id, "n-1", "mine?")));
  EXPECT_EQ(NextErrorCode(bert.ws), "permission_denied") << "not bert's conversation";
  ASSERT_TRUE(chat.counsellor.ws.Send(StaffOnly("whisper", chat.id, "w-1", "hi")));
  EXPECT_EQ(NextErrorCode(chat.counsellor.ws), "permission_denied") << "counsellors do not whisper";
  ASSERT_TRUE(bert.ws.Send({{"type", "monitor"}, {"conversation_id", chat.id}}));
  EXPECT_EQ(NextErrorCode(bert.ws), "permission_denied");
  ASSERT_TRUE(chat.counsellor.ws.Send(StaffOnly("note", chat.id, "n-2", "")));
  EXPECT_EQ(NextErrorCode(chat.counsellor.ws), "invalid_argument");

  Counsellor sanne = NewStaff("sanne", "supervisor");
  ASSERT_FALSE(HasFailure());
  Visitor waiting = NewVisitor("Bo");
  ASSERT_TRUE(sanne.ws.Send(
      {{"type", "monitor"}, {"conversation_id", waiting.conversation.conversation_id}}));
  EXPECT_EQ(NextErrorCode(sanne.ws), "failed_precondition") << "only live conversations";
  ASSERT_TRUE(
      sanne.ws.Send(StaffOnly("whisper", waiting.conversation.conversation_id, "w-2", "x")));
  EXPECT_EQ(NextErrorCode(sanne.ws), "failed_precondition");
  // Supervisors take chats too; watching one's own would close it on the desk and strand its
  // visitor.
  Accept(sanne, waiting.conversation.conversation_id);
  ASSERT_FALSE(HasFailure());
  ASSERT_TRUE(sanne.ws.Send(
      {{"type", "monitor"}, {"conversation_id", waiting.conversation.conversation_id}}));
  EXPECT_EQ(NextErrorCode(sanne.ws), "failed_precondition") << "one's own conversation";
  ASSERT_TRUE(waiting.ws.Send(
      {{"type", "note"}, {"conversation_id", chat.id}, {"client_id", "x"}, {"body", "x"}}));
  EXPECT_EQ(NextErrorCode(waiting.ws), "invalid_argument") << "no such frame for visitors";

  Counsellor admin = NewStaff("adam", "admin");
  ASSERT_FALSE(HasFailure());
  ASSERT_TRUE(admin.ws.Send({{"type", "monitor"}, {"conversation_id", chat.id}}));
  EXPECT_EQ(NextErrorCode(admin.ws), "permission_denied") << "admins read no conversation";
}

}  // namespace
}  // namespace uitweg::support
