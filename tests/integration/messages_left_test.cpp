// Messages left through the real binary: a visitor leaves one while nobody is there and gets a
// pick-up code; it waits among the messages left, not in the live queue; a counsellor takes it
// and answers; the visitor comes back with the code, reads the answer and writes back. Guesses
// at codes are limited per client.

#include "integration/server_test.hpp"

namespace uitweg::support {
namespace {

using MessagesLeftTest = ServerTest;

core::Result<HttpResponse> PostVisitor(const ServerProcess& server, const std::string& target,
                                       const boost::json::object& body) {
  return HttpCall(server.port(),
                  {"POST",
                   target,
                   boost::json::serialize(body),
                   {{"Origin", server.Origin()}, {"Content-Type", "application/json"}}});
}

TEST_F(MessagesLeftTest, AVisitorLeavesAMessageReadsTheAnswerLaterAndWritesBack) {
  const std::string first = Body("Ik moet iets vertellen.");
  const std::string reply = Body("Fijn dat je schrijft. Wat is er?");
  const std::string again = Body("Ze willen dat ik iets vervoer.");
  auto left =
      PostVisitor(server_, "/api/v1/visitor/messages", {{"nickname", "Noor"}, {"body", first}});
  ASSERT_TRUE(left && left->status == 201) << (left ? left->body : left.error().message);
  const auto answer = left->Json().value().as_object();
  const std::string code = Str(answer, "pick_up_code");
  const std::string id = Str(answer, "conversation_id");
  Secret(code);
  Secret(Str(answer, "resume_token"));
  EXPECT_EQ(code.size(), 27u) << code;

  Counsellor anna = NewStaff("anna.k");
  ASSERT_FALSE(HasFailure());
  auto listed = HttpGet(server_.port(), "/api/v1/messages-left", {{"Cookie", anna.session.cookie}});
  ASSERT_TRUE(listed && listed->status == 200) << (listed ? listed->body : "");
  const auto messages = listed->Json().value().at("messages").as_array();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(Str(messages[0].as_object(), "id"), id);
  EXPECT_TRUE(messages[0].at("offline").as_bool());
  EXPECT_EQ(Str(messages[0].as_object(), "first_line"), first);
  auto status = HttpGet(server_.port(), "/api/v1/visitor/status");
  ASSERT_TRUE(status);
  EXPECT_EQ(status->Json().value().at("waiting").as_int64(), 0) << "not in the live queue";

  Accept(anna, id);
  ASSERT_FALSE(HasFailure());
  ASSERT_TRUE(anna.ws.Send(StaffSend(id, "a-1", reply)));
  EXPECT_EQ(Int(NextMessage(anna.ws), "seq"), 1) << "the visitor's message, replayed";

  // Later, on another device: the code, typed loosely, opens the conversation.
  std::string typed = code;
  std::replace(typed.begin(), typed.end(), '-', ' ');
  for (char& c : typed) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto picked = PostVisitor(server_, "/api/v1/visitor/pick-up", {{"code", typed}});
  ASSERT_TRUE(picked && picked->status == 200) << (picked ? picked->body : "");
  const std::string token = Str(picked->Json().value().as_object(), "resume_token");
  Secret(token);
  auto visitor = ConnectVisitor(server_.port(), token);
  ASSERT_TRUE(visitor) << visitor.error().message;
  std::vector<std::string> bodies;
  for (int i = 0; i < 3; ++i) {
    const auto message = NextMessage(*visitor);
    if (Str(message, "kind") == "text") bodies.push_back(Str(message, "body"));
  }
  EXPECT_EQ(bodies, (std::vector<std::string>{first, reply}));
  ASSERT_TRUE(visitor->Send(VisitorSend("v-2", again)));
  bool reached = false;
  for (int i = 0; i < 5 && !reached; ++i) {
    const auto message = NextMessage(anna.ws);
    reached = Str(message, "body") == again;
  }
  EXPECT_TRUE(reached);
  // The token of the page that left the message no longer opens it.
  EXPECT_FALSE(ConnectVisitor(server_.port(), Str(answer, "resume_token")));
  ExpectNoSecretsIn(server_);
}

// The tab that left the message (on a shared computer, say) may still be open when its visitor
// picks the answer up on their phone: that tab is told the chat went elsewhere and closed.
TEST_F(MessagesLeftTest, APickUpClosesTheSocketOfTheTabThatLeftTheMessage) {
  const std::string first = Body("Ik schrijf vanaf school.");
  auto left =
      PostVisitor(server_, "/api/v1/visitor/messages", {{"nickname", "Noor"}, {"body", first}});
  ASSERT_TRUE(left && left->status == 201) << (left ? left->body : left.error().message);
  const auto answer = left->Json().value().as_object();
  Secret(Str(answer, "pick_up_code"));
  Secret(Str(answer, "resume_token"));
  auto school = ConnectVisitor(server_.port(), Str(answer, "resume_token"));
  ASSERT_TRUE(school) << school.error().message;

  auto picked =
      PostVisitor(server_, "/api/v1/visitor/pick-up", {{"code", Str(answer, "pick_up_code")}});
  ASSERT_TRUE(picked && picked->status == 200) << (picked ? picked->body : "");
  Secret(Str(picked->Json().value().as_object(), "resume_token"));
  auto told = school->Take("error");
  ASSERT_TRUE(told) << "the old tab's socket stayed open";
  EXPECT_EQ(Str(*told, "code"), "unauthenticated");
  EXPECT_TRUE(school->WaitClosed(5s));
  ExpectNoSecretsIn(server_);
}

// The page asks again when no answer reached it: one chat and one message left, each answered
// with new secrets; the ones answered first, never seen, open nothing.
TEST_F(MessagesLeftTest, AChatOrMessageLeftAskedAgainIsMadeOnce) {
  Secret("AbCdEfGhIjKlMnOpQrSt_-");
  Secret("0123456789abcdefghij_-");
  boost::json::object start{
      {"nickname", "Noor"}, {"request_id", "AbCdEfGhIjKlMnOpQrSt_-"}, {"request_try", 1}};
  auto first = PostVisitor(server_, "/api/v1/visitor/conversations", start);
  start["request_try"] = 2;
  auto again = PostVisitor(server_, "/api/v1/visitor/conversations", start);
  ASSERT_TRUE(first && first->status == 201) << (first ? first->body : first.error().message);
  ASSERT_TRUE(again && again->status == 201) << (again ? again->body : again.error().message);
  const auto started = first->Json().value().as_object();
  const auto restarted = again->Json().value().as_object();
  Secret(Str(started, "resume_token"));
  Secret(Str(restarted, "resume_token"));
  EXPECT_EQ(Str(restarted, "conversation_id"), Str(started, "conversation_id"));
  EXPECT_EQ(restarted.at("queue_position").as_int64(), 1);
  auto status = HttpGet(server_.port(), "/api/v1/visitor/status");
  ASSERT_TRUE(status);
  EXPECT_EQ(status->Json().value().at("waiting").as_int64(), 1);
  EXPECT_FALSE(ConnectVisitor(server_.port(), Str(started, "resume_token")));
  EXPECT_TRUE(ConnectVisitor(server_.port(), Str(restarted, "resume_token")));

  const std::string body = Body("Ze willen dat ik iets vervoer.");
  boost::json::object leave{
      {"body", body}, {"request_id", "0123456789abcdefghij_-"}, {"request_try", 1}};
  auto left = PostVisitor(server_, "/api/v1/visitor/messages", leave);
  leave["request_try"] = 2;
  auto left_again = PostVisitor(server_, "/api/v1/visitor/messages", leave);
  ASSERT_TRUE(left && left->status == 201) << (left ? left->body : left.error().message);
  ASSERT_TRUE(left_again && left_again->status == 201) << (left_again ? left_again->body : "");
  const auto code = Str(left->Json().value().as_object(), "pick_up_code");
  const auto new_code = Str(left_again->Json().value().as_object(), "pick_up_code");
  Secret(code);
  Secret(new_code);
  Secret(Str(left->Json().value().as_object(), "resume_token"));
  Secret(Str(left_again->Json().value().as_object(), "resume_token"));
  EXPECT_EQ(Str(left_again->Json().value().as_object(), "conversation_id"),
            Str(left->Json().value().as_object(), "conversation_id"));
  Counsellor anna = NewStaff("anna.k");
  ASSERT_FALSE(HasFailure());
  auto listed = HttpGet(server_.port(), "/api/v1/messages-left", {{"Cookie", anna.session.cookie}});
  ASSERT_TRUE(listed && listed->status == 200);
  EXPECT_EQ(listed->Json().value().at("messages").as_array().size(), 1u);
  auto old_code = PostVisitor(server_, "/api/v1/visitor/pick-up", {{"code", code}});
  ASSERT_TRUE(old_code);
  EXPECT_EQ(old_code->status, 401);
  auto picked = PostVisitor(server_, "/api/v1/visitor/pick-up", {{"code", new_code}});
  ASSERT_TRUE(picked);
  EXPECT_EQ(picked->status, 200);
  Secret(Str(picked->Json().value().as_object(), "resume_token"));

  // A try from before the one answered last is not answered: its page had given up on it.
  leave["request_try"] = 1;
  auto late_try = PostVisitor(server_, "/api/v1/visitor/messages", leave);
  ASSERT_TRUE(late_try);
  EXPECT_EQ(late_try->status, 409);
  // The id of a message left cannot start a chat; an id of another form is refused.
  for (const char* id : {"0123456789abcdefghij_-", "too-short", "AbCdEfGhIjKlMnOpQrSt+/"}) {
    auto refused = PostVisitor(server_, "/api/v1/visitor/conversations",
                               {{"request_id", id}, {"request_try", 3}});
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 400) << id;
  }
  ExpectNoSecretsIn(server_);
}

TEST_F(MessagesLeftTest, GuessesAtPickUpCodesAreLimitedAndBadInputRefused) {
  int unknown = 0;
  int limited = 0;
  for (int i = 0; i < 12; ++i) {
    auto guess =
        PostVisitor(server_, "/api/v1/visitor/pick-up", {{"code", "bakime-tosira-lepado-mifeka"}});
    ASSERT_TRUE(guess);
    if (guess->status == 401) ++unknown;
    if (guess->status == 429) ++limited;
  }
  EXPECT_EQ(unknown, 10);
  EXPECT_EQ(limited, 2);

  for (const boost::json::object& bad :
       {boost::json::object{}, boost::json::object{{"body", "   "}},
        boost::json::object{{"body", "hoi"}, {"subject", "iemand"}},
        boost::json::object{{"body", std::string(4001, 'x')}}}) {
    auto refused = PostVisitor(server_, "/api/v1/visitor/messages", bad);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 400) << boost::json::serialize(bad);
  }
  Counsellor anna = NewStaff("anna.k");
  ASSERT_FALSE(HasFailure());
  auto listed = HttpGet(server_.port(), "/api/v1/messages-left", {{"Cookie", anna.session.cookie}});
  ASSERT_TRUE(listed && listed->status == 200);
  EXPECT_TRUE(listed->Json().value().at("messages").as_array().empty());
}

}  // namespace
}  // namespace uitweg::support
