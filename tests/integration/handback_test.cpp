// A counsellor who leaves does not strand their visitor: signing out (from their last session),
// or a console gone longer than console_gone_seconds, hands every active conversation back to
// the queue. The visitor is told in one line and sees their place again; a colleague accepts
// and reads everything written before.

#include "integration/server_test.hpp"

namespace uitweg::support {
namespace {

constexpr char kPassword[] = "correct horse battery";

class HandbackTest : public ServerTest {
 protected:
  std::string ConfigToml() const override { return "[limits]\nconsole_gone_seconds = 1\n"; }

  // The visitor of an accepted chat writes (and has seen the accept); returns what they wrote.
  std::string VisitorWrites(AcceptedChat& chat, const std::string& hint) {
    const std::string body = Body(hint);
    EXPECT_TRUE(chat.visitor.ws.Send(VisitorSend("v-1", body)));
    EXPECT_TRUE(chat.visitor.ws.Take("ack"));
    EXPECT_EQ(Str(NextMessage(chat.visitor.ws), "kind"), "accepted");
    return body;
  }

  // The visitor learns that the chat went back to the queue, and their place in it.
  void ExpectBackInQueue(WsClient& visitor) {
    const auto released = NextMessage(visitor, 10s);
    EXPECT_EQ(Str(released, "kind"), "released");
    auto place = visitor.Take("queue", 5s);
    ASSERT_TRUE(place) << place.error().message;
    EXPECT_EQ(Int(*place, "queue_position"), 1);
  }

  // A colleague accepts and reads what was written before.
  void ColleagueTakesOver(const std::string& id, const std::string& earlier, WsClient& visitor) {
    Counsellor bert = NewStaff("bert.v");
    ASSERT_FALSE(HasFailure());
    Accept(bert, id);
    ASSERT_TRUE(bert.ws.Send({{"type", "subscribe"}, {"conversation_id", id}, {"last_seq", 0}}));
    bool read_earlier = false;
    for (int i = 0; i < 6 && !read_earlier; ++i) {
      const auto message = NextMessage(bert.ws);
      read_earlier = Str(message, "body") == earlier;
    }
    EXPECT_TRUE(read_earlier) << "the colleague reads what was written before";
    const auto accepted = NextMessage(visitor);
    EXPECT_EQ(Str(accepted, "kind"), "accepted");
  }
};

TEST_F(HandbackTest, SigningOutHandsTheConversationToAColleague) {
  AcceptedChat chat = NewAcceptedChat("anna.k");
  ASSERT_FALSE(HasFailure());
  const std::string earlier = VisitorWrites(chat, "before anna left");

  auto out = HttpCall(server_.port(),
                      {"DELETE", "/api/v1/staff/session", "", Auth(chat.counsellor.session)});
  ASSERT_TRUE(out && out->status == 204);
  ExpectBackInQueue(chat.visitor.ws);
  ColleagueTakesOver(chat.id, earlier, chat.visitor.ws);
}

TEST_F(HandbackTest, SigningOutOfOneOfTwoSessionsKeepsTheConversation) {
  AcceptedChat chat = NewAcceptedChat("anna.k");
  ASSERT_FALSE(HasFailure());
  EXPECT_EQ(Str(NextMessage(chat.visitor.ws), "kind"), "accepted");
  auto phone = SignIn(server_.port(), "anna.k", kPassword);
  ASSERT_TRUE(phone);
  auto out = HttpCall(server_.port(), {"DELETE", "/api/v1/staff/session", "", Auth(*phone)});
  ASSERT_TRUE(out && out->status == 204);
  ASSERT_TRUE(chat.counsellor.ws.Send(StaffSend(chat.id, "s-1", "Ik ben er nog.")));
  auto ack = chat.counsellor.ws.Take("ack");
  ASSERT_TRUE(ack) << "the desk still holds the conversation: " << ack.error().message;
  EXPECT_EQ(Str(NextMessage(chat.visitor.ws), "kind"), "text");
}

TEST_F(HandbackTest, AConsoleGoneTooLongLosesItsConversationsToTheQueue) {
  AcceptedChat chat = NewAcceptedChat("anna.k");
  ASSERT_FALSE(HasFailure());
  const std::string earlier = VisitorWrites(chat, "before the console went");
  chat.counsellor.ws.Abort();  // the laptop's lid closes
  ExpectBackInQueue(chat.visitor.ws);
  ColleagueTakesOver(chat.id, earlier, chat.visitor.ws);

  // The first counsellor's console comes back: the conversation is no longer theirs.
  auto again = ConnectStaff(server_.port(), chat.counsellor.session);
  ASSERT_TRUE(again) << again.error().message;
  ASSERT_TRUE(again->Send(StaffSend(chat.id, "s-9", "Sorry, ik was weg.")));
  EXPECT_EQ(NextErrorCode(*again), "permission_denied");
}

// Made an analyst mid-chat, the colleague signs in again and keeps a console open: that console
// no longer takes chats, so the visitor goes back to the queue instead of waiting for nobody.
TEST_F(HandbackTest, AColleagueWhoNoLongerTakesChatsLosesThemToTheQueue) {
  AcceptedChat chat = NewAcceptedChat("anna.k");
  ASSERT_FALSE(HasFailure());
  const std::string earlier = VisitorWrites(chat, "before anna's role changed");
  Counsellor admin = NewStaff("beheer", "admin");
  ASSERT_FALSE(HasFailure());
  auto list = HttpGet(server_.port(), "/api/v1/admin/accounts", {{"Cookie", admin.session.cookie}});
  ASSERT_TRUE(list && list->status == 200);
  std::string anna_id;
  const boost::json::value accounts = list->Json().value();
  for (const auto& account : accounts.as_object().at("accounts").as_array()) {
    if (account.as_object().at("username").as_string() == "anna.k") {
      anna_id = std::to_string(account.as_object().at("id").as_int64());
    }
  }
  ASSERT_FALSE(anna_id.empty()) << list->body;
  auto changed = HttpCall(server_.port(), {"POST", "/api/v1/admin/accounts/" + anna_id + "/role",
                                           R"({"role":"analyst"})", Auth(admin.session)});
  ASSERT_TRUE(changed);
  ASSERT_EQ(changed->status, 200) << changed->body;
  auto again = SignIn(server_.port(), "anna.k", kPassword);
  ASSERT_TRUE(again) << again.error().message;
  auto console = ConnectStaff(server_.port(), *again);
  ASSERT_TRUE(console) << console.error().message;
  ExpectBackInQueue(chat.visitor.ws);
  ColleagueTakesOver(chat.id, earlier, chat.visitor.ws);
}

}  // namespace
}  // namespace uitweg::support
