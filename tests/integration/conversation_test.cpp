// A visitor and counsellors talking through the real server: the full exchange, resume after a
// dropped connection, idempotent resends, durability across SIGKILL, and assignment rules.

#include <map>
#include <set>

#include "integration/server_test.hpp"

namespace uitweg::support {
namespace {

using ConversationTest = ServerTest;

TEST_F(ConversationTest, VisitorAndCounsellorTalkUntilTheCounsellorEnds) {
  auto started = HttpPostJson(server_.port(), "/api/v1/visitor/conversations",
                              boost::json::object{{"nickname", "Sam"}, {"subject", "self"}});
  ASSERT_TRUE(started) << started.error().message;
  ASSERT_EQ(started->status, 201) << started->body;
  EXPECT_FALSE(started->HasHeader("Set-Cookie"));
  const auto created = started->Json()->as_object();
  const std::string id = Str(created, "conversation_id");
  const std::string token = Str(created, "resume_token");
  Secret(token);
  EXPECT_EQ(Str(created, "status"), "waiting");
  EXPECT_EQ(Int(created, "queue_position"), 1);
  EXPECT_TRUE(created.at("expected_wait_ms").is_null()) << "nobody taken yet: no estimate";

  boost::json::object welcome;
  auto visitor = ConnectVisitor(server_.port(), token, 0, &welcome);
  ASSERT_TRUE(visitor) << visitor.error().message;
  EXPECT_EQ(Str(welcome.at("conversation").as_object(), "status"), "waiting");
  EXPECT_EQ(Int(welcome, "queue_position"), 1);

  Counsellor anna = NewStaff("anna.k");
  ASSERT_FALSE(HasFailure());
  auto queue = anna.ws.Take("queue");
  ASSERT_TRUE(queue) << queue.error().message;
  const auto& waiting = queue->at("waiting").as_array();
  ASSERT_EQ(waiting.size(), 1u);
  EXPECT_EQ(Str(waiting[0].as_object(), "conversation_id"), id);
  EXPECT_EQ(Str(waiting[0].as_object(), "nickname"), "Sam");

  Accept(anna, id);
  ASSERT_FALSE(HasFailure());
  auto accepted = NextMessage(*visitor);
  EXPECT_EQ(Int(accepted, "seq"), 1);
  EXPECT_EQ(Str(accepted, "kind"), "accepted");
  EXPECT_EQ(Str(accepted, "sender"), "counsellor");
  EXPECT_EQ(Int(NextMessage(anna.ws), "seq"), 1);

  const std::string question = Body("visitor asks");
  ASSERT_TRUE(visitor->Send(VisitorSend("v-1", question)));
  auto ack = visitor->Take("ack");
  ASSERT_TRUE(ack) << ack.error().message;
  EXPECT_EQ(Str(*ack, "client_id"), "v-1");
  EXPECT_EQ(Int(*ack, "seq"), 2);
  EXPECT_EQ(ack->at("duplicate"), false);
  auto at_staff = NextMessage(anna.ws);
  EXPECT_EQ(Int(at_staff, "seq"), 2);
  EXPECT_EQ(Str(at_staff, "body"), question);
  EXPECT_EQ(Str(at_staff, "sender"), "visitor");
  EXPECT_EQ(Str(at_staff, "conversation_id"), id);

  const std::string answer = Body("counsellor answers");
  ASSERT_TRUE(anna.ws.Send(StaffSend(id, "c-1", answer)));
  auto staff_ack = anna.ws.Take("ack");
  ASSERT_TRUE(staff_ack) << staff_ack.error().message;
  EXPECT_EQ(Str(*staff_ack, "conversation_id"), id);
  EXPECT_EQ(Str(*staff_ack, "client_id"), "c-1");
  EXPECT_EQ(Int(*staff_ack, "seq"), 3);
  EXPECT_EQ(staff_ack->at("duplicate"), false);
  boost::json::object at_visitor = NextMessage(*visitor);
  while (Int(at_visitor, "seq") == 2 && !HasFailure()) at_visitor = NextMessage(*visitor);
  EXPECT_EQ(Int(at_visitor, "seq"), 3);
  EXPECT_EQ(Str(at_visitor, "body"), answer);
  EXPECT_EQ(Str(at_visitor, "sender"), "counsellor");
  EXPECT_TRUE(at_visitor.contains("author"));
  EXPECT_FALSE(at_visitor.contains("username"));

  ASSERT_TRUE(anna.ws.Send({{"type", "end"}, {"conversation_id", id}}));
  boost::json::object ended = NextMessage(*visitor);
  while (Int(ended, "seq") < 4 && !HasFailure()) ended = NextMessage(*visitor);
  EXPECT_EQ(Int(ended, "seq"), 4);
  EXPECT_EQ(Str(ended, "kind"), "ended");
  EXPECT_EQ(Str(ended, "sender"), "counsellor");

  ASSERT_TRUE(visitor->Send(VisitorSend("v-2", Body("too late"))));
  EXPECT_EQ(NextErrorCode(*visitor), "failed_precondition");
}

TEST_F(ConversationTest, DroppedVisitorResumesWithExactlyTheMissedMessages) {
  auto [visitor, anna, id] = NewAcceptedChat();
  ASSERT_FALSE(HasFailure());
  const std::int64_t last_seen = Int(NextMessage(visitor.ws), "seq");
  ASSERT_EQ(last_seen, 1);

  visitor.ws.Abort();
  std::vector<std::string> missed;
  for (int i = 1; i <= 5; ++i) {
    missed.push_back(Body("while away"));
    ASSERT_TRUE(anna.ws.Send(StaffSend(id, "c-" + std::to_string(i), missed.back())));
  }
  for (int i = 1; i <= 5; ++i) {
    auto ack = anna.ws.Take("ack");
    ASSERT_TRUE(ack) << ack.error().message;
    EXPECT_EQ(Int(*ack, "seq"), last_seen + i);
  }

  auto resumed = ConnectVisitor(server_.port(), visitor.conversation.resume_token, last_seen);
  ASSERT_TRUE(resumed) << resumed.error().message;
  for (int i = 0; i < 5; ++i) {
    auto message = NextMessage(*resumed);
    EXPECT_EQ(Int(message, "seq"), last_seen + 1 + i);
    EXPECT_EQ(Str(message, "body"), missed[static_cast<std::size_t>(i)]);
  }
  resumed->Pump(300ms);
  EXPECT_FALSE(resumed->Take("message", 0ms)) << "a message arrived twice or out of nowhere";

  const std::string live = Body("live again");
  ASSERT_TRUE(anna.ws.Send(StaffSend(id, "c-6", live)));
  auto next = NextMessage(*resumed);
  EXPECT_EQ(Int(next, "seq"), last_seen + 6);
  EXPECT_EQ(Str(next, "body"), live);
}

TEST_F(ConversationTest, RepeatedClientIdIsStoredOnce) {
  auto [visitor, anna, id] = NewAcceptedChat();
  ASSERT_FALSE(HasFailure());
  ASSERT_EQ(Str(NextMessage(anna.ws), "kind"), "accepted");

  const std::string first = Body("said once");
  const std::string second = Body("said next");
  ASSERT_TRUE(visitor.ws.Send(VisitorSend("v-1", first)));
  ASSERT_TRUE(visitor.ws.Send(VisitorSend("v-1", first)));
  ASSERT_TRUE(visitor.ws.Send(VisitorSend("v-2", second)));
  const std::vector<std::pair<std::int64_t, bool>> expected_acks{{2, false}, {2, true}, {3, false}};
  for (const auto& [seq, duplicate] : expected_acks) {
    auto ack = visitor.ws.Take("ack");
    ASSERT_TRUE(ack) << ack.error().message;
    EXPECT_EQ(Int(*ack, "seq"), seq);
    EXPECT_EQ(ack->at("duplicate"), duplicate);
  }
  auto got_first = NextMessage(anna.ws);
  auto got_second = NextMessage(anna.ws);
  EXPECT_EQ(Int(got_first, "seq"), 2);
  EXPECT_EQ(Str(got_first, "body"), first);
  EXPECT_EQ(Int(got_second, "seq"), 3);
  EXPECT_EQ(Str(got_second, "body"), second);

  const std::string reply = Body("counsellor once");
  ASSERT_TRUE(anna.ws.Send(StaffSend(id, "c-1", reply)));
  ASSERT_TRUE(anna.ws.Send(StaffSend(id, "c-1", reply)));
  for (bool duplicate : {false, true}) {
    auto ack = anna.ws.Take("ack");
    ASSERT_TRUE(ack) << ack.error().message;
    EXPECT_EQ(Int(*ack, "seq"), 4);
    EXPECT_EQ(ack->at("duplicate"), duplicate);
  }

  // The outbox case: the visitor lost the connection and resends v-2 after resuming.
  visitor.ws.Abort();
  auto resumed = ConnectVisitor(server_.port(), visitor.conversation.resume_token, 4);
  ASSERT_TRUE(resumed) << resumed.error().message;
  ASSERT_TRUE(resumed->Send(VisitorSend("v-2", second)));
  auto ack = resumed->Take("ack");
  ASSERT_TRUE(ack) << ack.error().message;
  EXPECT_EQ(Int(*ack, "seq"), 3);
  EXPECT_EQ(ack->at("duplicate"), true);

  auto replay = ConnectVisitor(server_.port(), visitor.conversation.resume_token, 0);
  ASSERT_TRUE(replay) << replay.error().message;
  for (std::int64_t seq = 1; seq <= 4; ++seq) EXPECT_EQ(Int(NextMessage(*replay), "seq"), seq);
  replay->Pump(300ms);
  EXPECT_FALSE(replay->Take("message", 0ms)) << "a duplicate was stored";
  // The counsellor may see her own message echoed once; nothing may arrive twice.
  anna.ws.Pump(100ms);
  std::set<std::int64_t> seen{2, 3};
  while (auto frame = anna.ws.Take("message", 0ms)) {
    const auto& message = frame->at("message").as_object();
    EXPECT_TRUE(seen.insert(Int(message, "seq")).second)
        << "seen twice: " << boost::json::serialize(message);
    EXPECT_LE(Int(message, "seq"), 4);
  }
}

TEST_F(ConversationTest, AcknowledgedMessagesSurviveSigkill) {
  auto [visitor, anna, id] = NewAcceptedChat();
  ASSERT_FALSE(HasFailure());

  constexpr int kEach = 20;
  std::map<std::int64_t, std::string> acked;  // seq -> body
  std::map<std::string, std::string> sent;    // client_id -> body
  for (int i = 0; i < kEach; ++i) {
    const std::string v = "v-" + std::to_string(i), c = "c-" + std::to_string(i);
    sent[v] = Body("before the crash, visitor");
    sent[c] = Body("before the crash, counsellor");
    ASSERT_TRUE(visitor.ws.Send(VisitorSend(v, sent[v])));
    ASSERT_TRUE(anna.ws.Send(StaffSend(id, c, sent[c])));
  }
  for (WsClient* ws : {&visitor.ws, &anna.ws}) {
    for (int i = 0; i < kEach; ++i) {
      auto ack = ws->Take("ack");
      ASSERT_TRUE(ack) << ack.error().message;
      acked[Int(*ack, "seq")] = sent[Str(*ack, "client_id")];
    }
  }
  server_.Kill();
  ASSERT_EQ(acked.size(), 2u * kEach);

  auto restarted = server_.Restart();
  ASSERT_TRUE(restarted) << restarted.error().message;
  auto replay = ConnectVisitor(server_.port(), visitor.conversation.resume_token, 0);
  ASSERT_TRUE(replay) << replay.error().message;
  EXPECT_EQ(Str(NextMessage(*replay), "kind"), "accepted");
  for (const auto& [seq, body] : acked) {
    auto message = NextMessage(*replay);
    EXPECT_EQ(Int(message, "seq"), seq);
    EXPECT_EQ(Str(message, "body"), body);
  }

  auto session = SignIn(server_.port(), "anna.k", "correct horse battery");
  ASSERT_TRUE(session) << session.error().message;
  auto staff = ConnectStaff(server_.port(), *session);
  ASSERT_TRUE(staff) << staff.error().message;
  ASSERT_TRUE(staff->Send({{"type", "subscribe"}, {"conversation_id", id}, {"last_seq", 0}}));
  EXPECT_EQ(Str(NextMessage(*staff), "kind"), "accepted");
  for (const auto& [seq, body] : acked) EXPECT_EQ(Str(NextMessage(*staff), "body"), body);
}

TEST_F(ConversationTest, CounsellorCannotTouchAnotherCounsellorsConversation) {
  auto [visitor, anna, id] = NewAcceptedChat();
  Counsellor bram = NewStaff("bram.v");
  ASSERT_FALSE(HasFailure());
  ASSERT_EQ(Str(NextMessage(visitor.ws), "kind"), "accepted");

  ASSERT_TRUE(bram.ws.Send(StaffSend(id, "b-1", Body("intruder"))));
  auto refused = bram.ws.Take("error");
  ASSERT_TRUE(refused) << refused.error().message;
  EXPECT_EQ(Str(*refused, "code"), "permission_denied");
  EXPECT_EQ(Str(*refused, "ref"), "b-1");
  ASSERT_TRUE(bram.ws.Send({{"type", "subscribe"}, {"conversation_id", id}, {"last_seq", 0}}));
  EXPECT_EQ(NextErrorCode(bram.ws), "permission_denied");
  ASSERT_TRUE(bram.ws.Send({{"type", "end"}, {"conversation_id", id}}));
  EXPECT_EQ(NextErrorCode(bram.ws), "permission_denied");
  ASSERT_TRUE(bram.ws.Send(StaffAccept(id)));
  EXPECT_EQ(NextErrorCode(bram.ws), "failed_precondition");
  EXPECT_FALSE(bram.ws.Take("message", 0ms)) << "another counsellor's conversation leaked";

  const std::string real = Body("assigned counsellor");
  ASSERT_TRUE(anna.ws.Send(StaffSend(id, "a-1", real)));
  auto next = NextMessage(visitor.ws);
  EXPECT_EQ(Int(next, "seq"), 2);
  EXPECT_EQ(Str(next, "body"), real);
}

// Even at debug level, a whole conversation with resends, errors and a resume leaves no
// message text and no resume token in the log (ServerTest checks every Body() and Secret()).
class DebugLogTest : public ServerTest {
 protected:
  std::string ConfigToml() const override { return "log_level = \"debug\"\n"; }
};

TEST_F(DebugLogTest, LogsHoldNoMessageTextOrToken) {
  auto [visitor, anna, id] = NewAcceptedChat();
  ASSERT_FALSE(HasFailure());
  const std::string said = Body("private words");
  ASSERT_TRUE(visitor.ws.Send(VisitorSend("v-1", said)));
  ASSERT_TRUE(visitor.ws.Send(VisitorSend("v-1", said)));
  ASSERT_TRUE(visitor.ws.Send(VisitorSend("bad id!", Body("refused words"))));
  EXPECT_EQ(NextErrorCode(visitor.ws), "invalid_argument");
  ASSERT_TRUE(anna.ws.Send(StaffSend(id, "c-1", Body("private answer"))));
  ASSERT_TRUE(anna.ws.Take("ack"));
  ASSERT_TRUE(visitor.ws.Take("ack"));
  ASSERT_TRUE(visitor.ws.Take("ack"));
  visitor.ws.Abort();
  auto resumed = ConnectVisitor(server_.port(), visitor.conversation.resume_token, 1);
  ASSERT_TRUE(resumed) << resumed.error().message;
  EXPECT_EQ(Str(NextMessage(*resumed), "body"), said);
  boost::json::object strange_welcome;
  auto stranger =
      ConnectVisitor(server_.port(), visitor.conversation.resume_token + "x", 0, &strange_welcome);
  EXPECT_FALSE(stranger) << "a wrong resume token was welcomed: "
                         << boost::json::serialize(strange_welcome);
  Secret(visitor.conversation.resume_token + "x");
  Secret(anna.session.cookie.substr(anna.session.cookie.find('=') + 1));
  Secret(anna.session.csrf_token);
  Secret("correct horse battery");
}

TEST_F(ConversationTest, AfterTheEndTheVisitorMayAnswerTwoQuestionsOnceKeptApartFromTheChat) {
  AcceptedChat chat = NewAcceptedChat("anna.k");
  ASSERT_FALSE(HasFailure());
  const std::string token = chat.visitor.conversation.resume_token;
  const auto give = [&](const std::string& answers) {
    return HttpCall(server_.port(),
                    {"POST",
                     "/api/v1/visitor/feedback",
                     R"({"resume_token":")" + token + "\"" + answers + "}",
                     {{"Origin", server_.Origin()}, {"Content-Type", "application/json"}}});
  };
  auto early = give(R"(,"helped":"yes")");
  ASSERT_TRUE(early);
  EXPECT_EQ(early->status, 409) << "not before the end: " << early->body;

  ASSERT_TRUE(chat.visitor.ws.Send({{"type", "end"}}));
  ASSERT_TRUE(chat.visitor.ws.Take("message"));
  for (const char* bad :
       {"", R"(,"helped":"maybe")", R"(,"would_return":"somewhat")", R"(,"helped":1)"}) {
    auto refused = give(bad);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 400) << bad << ": " << refused->body;
  }
  auto given = give(R"(,"helped":"somewhat","would_return":"yes")");
  ASSERT_TRUE(given);
  EXPECT_EQ(given->status, 204) << given->body;
  auto twice = give(R"(,"helped":"yes")");
  ASSERT_TRUE(twice);
  EXPECT_EQ(twice->status, 409) << "once";
}

}  // namespace
}  // namespace uitweg::support
