// Bad input of every kind gets a clear error, changes nothing, and leaves the server serving a
// bystander visitor who is connected the whole time.

#include <future>

#include "integration/server_test.hpp"

namespace uitweg::support {
namespace {

class BadInputTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    bystander_ = NewVisitor("Bystander");
  }
  Visitor bystander_;
};

// The same, with short timeouts so that stalled clients are cut off within seconds.
class TimeoutTest : public BadInputTest {
 protected:
  std::string ConfigToml() const override {
    return "[limits]\nread_timeout_seconds = 2\nsocket_idle_timeout_seconds = 3\n";
  }
};

TEST_F(BadInputTest, MalformedJsonBodyIs400) {
  for (const char* target : {"/api/v1/visitor/conversations", "/api/v1/staff/session"}) {
    auto res = HttpCall(server_.port(), {"POST", target, R"({"nickname": "Sam",)", {}});
    ASSERT_TRUE(res) << res.error().message;
    EXPECT_EQ(res->status, 400) << target;
    EXPECT_EQ(res->ErrorCode(), "invalid_argument") << target;
  }
  ExpectStillServing(bystander_.ws);
}

TEST_F(BadInputTest, WrongFieldsInBodyAre400) {
  const std::vector<std::string> bodies{
      R"([1, 2])",
      R"({"nickname": 7})",
      R"({"subject": "neighbour"})",
      R"({"nickname": ")" + std::string(41, 'x') + "\"}",
      // A right-to-left override, a zero-width space, a C1 control.
      "{\"nickname\": \"\xe2\x80\xaemaS\"}",
      "{\"nickname\": \"S\xe2\x80\x8b"
      "am\"}",
      "{\"nickname\": \"Sam\xc2\x85\"}",
  };
  for (const std::string& body : bodies) {
    auto res = HttpCall(server_.port(), {"POST", "/api/v1/visitor/conversations", body, {}});
    ASSERT_TRUE(res) << res.error().message;
    EXPECT_EQ(res->status, 400) << body;
    EXPECT_EQ(res->ErrorCode(), "invalid_argument") << body;
  }
  ExpectStillServing(bystander_.ws);
}

TEST_F(BadInputTest, AChatStartsOnlyFromThisSiteAndOnlyWithJson) {
  const std::string body = R"({"nickname": "Sam"})";
  const struct {
    const char* what;
    Headers headers;
    int status;
  } cases[] = {
      {"a form's text/plain", {{"Content-Type", "text/plain"}}, 400},
      {"a form's urlencoded", {{"Content-Type", "application/x-www-form-urlencoded"}}, 400},
      {"another site",
       {{"Content-Type", "application/json"}, {"Origin", "https://evil.example"}},
       403},
  };
  for (const auto& c : cases) {
    auto res = HttpCall(server_.port(), {"POST", "/api/v1/visitor/conversations", body, c.headers});
    ASSERT_TRUE(res) << res.error().message;
    EXPECT_EQ(res->status, c.status) << c.what;
  }
  auto ours = HttpCall(server_.port(), {"POST",
                                        "/api/v1/visitor/conversations",
                                        body,
                                        {{"Content-Type", "Application/JSON; charset=utf-8"},
                                         {"Origin", server_.Origin()}}});
  ASSERT_TRUE(ours);
  EXPECT_EQ(ours->status, 201);
  const std::string token = std::string(ours->Json()->as_object().at("resume_token").as_string());
  Secret(token);

  // Another site's page cannot open the visitor's socket either.
  WsClient foreign;
  EXPECT_FALSE(foreign.Connect(server_.port(), "/api/v1/visitor/ws",
                               {{"Origin", "https://evil.example"}}, 5s));
  WsClient own;
  ASSERT_TRUE(own.Connect(server_.port(), "/api/v1/visitor/ws", {{"Origin", server_.Origin()}}));
  ExpectStillServing(bystander_.ws);
}

TEST_F(BadInputTest, ARequestThatIsNotHttpIs400) {
  for (const char* request :
       {"POST /api/v1/visitor/conversations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
        "ten\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n",
        "POST /api/v1/staff/session HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: "
        "chunked\r\n\r\nzz\r\n"}) {
    std::string answer;
    auto closed = StallAndWaitForClose(server_.port(), request, 10s, &answer);
    ASSERT_TRUE(closed) << closed.error().message;
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 400")) << request << "\n" << answer;
  }
  ExpectStillServing(bystander_.ws);
}

// What a client sent may come back in an error's message (an unknown query parameter's name):
// the body stays JSON, whatever the bytes.
TEST_F(BadInputTest, AnErrorQuotingBytesThatAreNotUtf8IsStillJson) {
  auto res = HttpGet(server_.port(), "/api/v1/visitor/self-check?%FF=1");
  ASSERT_TRUE(res) << res.error().message;
  EXPECT_EQ(res->status, 400);
  ASSERT_TRUE(res->Json()) << res->body;
  EXPECT_EQ(res->ErrorCode(), "invalid_argument");
}

TEST_F(BadInputTest, OversizedBodyIs413) {
  const std::string body =
      R"({"nickname": "Sam", "padding": ")" + std::string(17 * 1024, 'x') + "\"}";
  auto res = HttpCall(server_.port(), {"POST", "/api/v1/visitor/conversations", body, {}});
  ASSERT_TRUE(res) << res.error().message;
  EXPECT_EQ(res->status, 413);
  EXPECT_EQ(res->ErrorCode(), "payload_too_large");
  ExpectStillServing(bystander_.ws);
}

TEST_F(BadInputTest, OversizedFrameClosesWith1009) {
  Visitor visitor = NewVisitor();
  ASSERT_FALSE(HasFailure());
  ASSERT_TRUE(visitor.ws.Send(VisitorSend("v-1", std::string(17 * 1024, 'x'))));
  auto code = visitor.ws.WaitClosed(5s);
  ASSERT_TRUE(code) << code.error().message;
  EXPECT_EQ(*code, 1009);
  ExpectStillServing(bystander_.ws);
}

TEST_F(BadInputTest, UnknownFrameTypeGetsAnErrorFrame) {
  ASSERT_TRUE(bystander_.ws.Send({{"type", "dance"}}));
  EXPECT_EQ(NextErrorCode(bystander_.ws), "invalid_argument");
  Counsellor anna = NewStaff("anna.k");
  ASSERT_FALSE(HasFailure());
  ASSERT_TRUE(anna.ws.Send({{"type", "dance"}, {"conversation_id", "c_x"}}));
  EXPECT_EQ(NextErrorCode(anna.ws), "invalid_argument");
  ExpectStillServing(bystander_.ws);
  ExpectStillServing(anna.ws);
}

TEST_F(BadInputTest, VisitorFramesWithMissingOrWrongFieldsGetErrorFrames) {
  const std::vector<std::string> frames{
      R"({"type": "send", "body": "no client id"})",
      R"({"type": "send", "client_id": "m-1"})",
      R"({"type": "send", "client_id": "m-2", "body": ""})",
      R"({"type": "send", "client_id": "m 3", "body": "bad client id"})",
      R"({"type": "send", "client_id": ")" + std::string(65, 'a') + R"(", "body": "long id"})",
      R"({"type": "send", "client_id": "m-4", "body": ")" + std::string(4001, 'b') + "\"}",
      R"({"type": "send", "client_id": 5, "body": "numeric id"})",
      R"({"body": "no type"})",
      R"([1, 2, 3])",
      R"(this is not json)",
  };
  for (const std::string& frame : frames) {
    ASSERT_TRUE(bystander_.ws.SendText(frame));
    EXPECT_EQ(NextErrorCode(bystander_.ws), "invalid_argument") << frame;
  }
  bystander_.ws.Pump(200ms);
  EXPECT_FALSE(bystander_.ws.Take("ack", 0ms)) << "a malformed send was stored";
  ExpectStillServing(bystander_.ws);
}

TEST_F(BadInputTest, StaffFramesWithMissingFieldsGetErrorFrames) {
  Counsellor anna = NewStaff("anna.k");
  ASSERT_FALSE(HasFailure());
  const std::string id = bystander_.conversation.conversation_id;
  const std::vector<std::string> frames{
      R"({"type": "accept"})",
      R"({"type": "send", "client_id": "s-1", "body": "no conversation"})",
      R"({"type": "subscribe"})",
      R"({"type": "end"})",
  };
  for (const std::string& frame : frames) {
    ASSERT_TRUE(anna.ws.SendText(frame));
    EXPECT_EQ(NextErrorCode(anna.ws), "invalid_argument") << frame;
  }
  ASSERT_TRUE(anna.ws.Send(StaffAccept("c_does_not_exist")));
  EXPECT_EQ(NextErrorCode(anna.ws), "not_found");
  ExpectStillServing(anna.ws);
  ExpectStillServing(bystander_.ws);
}

TEST_F(BadInputTest, HelloThatIsNotFirstOrHasAnUnknownTokenClosesTheSocket) {
  WsClient early;
  ASSERT_TRUE(early.Connect(server_.port(), "/api/v1/visitor/ws"));
  ASSERT_TRUE(early.Send(VisitorSend("v-1", "before hello")));
  EXPECT_EQ(NextErrorCode(early), "invalid_argument");
  EXPECT_TRUE(early.WaitClosed(5s));

  WsClient stranger;
  ASSERT_TRUE(stranger.Connect(server_.port(), "/api/v1/visitor/ws"));
  ASSERT_TRUE(stranger.Send(VisitorHello("not-a-token", 0)));
  EXPECT_EQ(NextErrorCode(stranger), "unauthenticated");
  EXPECT_TRUE(stranger.WaitClosed(5s));
  ExpectStillServing(bystander_.ws);
}

TEST_F(BadInputTest, LastSeqBeyondTheEndOrNegativeIsRefused) {
  for (std::int64_t last_seq : {std::int64_t{999}, std::int64_t{-1}}) {
    WsClient ws;
    ASSERT_TRUE(ws.Connect(server_.port(), "/api/v1/visitor/ws"));
    ASSERT_TRUE(ws.Send(VisitorHello(bystander_.conversation.resume_token, last_seq)));
    EXPECT_EQ(NextErrorCode(ws), "invalid_argument") << last_seq;
    EXPECT_FALSE(ws.Take("welcome", 0ms));
    EXPECT_TRUE(ws.WaitClosed(5s)) << last_seq;
  }
  ExpectStillServing(bystander_.ws);
}

TEST_F(BadInputTest, StaffSocketNeedsTheServersOwnOriginAndASession) {
  ASSERT_TRUE(AddStaff(server_.data_dir().string(), "anna.k", "correct horse battery"));
  auto session = SignIn(server_.port(), "anna.k", "correct horse battery");
  ASSERT_TRUE(session) << session.error().message;
  const std::vector<std::pair<std::string, Headers>> cases{
      {"foreign origin", {{"Cookie", session->cookie}, {"Origin", "http://attacker.invalid"}}},
      {"other port", {{"Cookie", session->cookie}, {"Origin", "http://127.0.0.1:1"}}},
      {"no origin", {{"Cookie", session->cookie}}},
  };
  for (const auto& [name, headers] : cases) {
    WsClient ws;
    auto st = ws.Connect(server_.port(), "/api/v1/staff/ws", headers);
    EXPECT_FALSE(st) << name;
    EXPECT_EQ(ws.upgrade_status(), 403) << name;
  }
  WsClient anonymous;
  EXPECT_FALSE(
      anonymous.Connect(server_.port(), "/api/v1/staff/ws", {{"Origin", server_.Origin()}}));
  EXPECT_EQ(anonymous.upgrade_status(), 401);
  ExpectStillServing(bystander_.ws);
}

TEST_F(TimeoutTest, WebSocketThatNeverSaysHelloIsDisconnected) {
  WsClient silent;
  ASSERT_TRUE(silent.Connect(server_.port(), "/api/v1/visitor/ws"));
  const auto start = std::chrono::steady_clock::now();
  bool closed = false;
  while (!closed && std::chrono::steady_clock::now() - start < 10s) {
    closed = static_cast<bool>(silent.WaitClosed(100ms));
    bystander_.ws.Pump(10ms);  // the bystander keeps answering the server's pings
  }
  EXPECT_TRUE(closed)
      << "a socket that never said hello stayed open for 10 s with a 2 s read timeout";
  EXPECT_GE(std::chrono::steady_clock::now() - start, 1s);
  ExpectStillServing(bystander_.ws);
}

TEST_F(TimeoutTest, HttpClientThatStallsMidHeaderIsDisconnected) {
  auto stall = std::async(std::launch::async, [port = server_.port()] {
    return StallAndWaitForClose(port, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Sl", 10s);
  });
  while (stall.wait_for(10ms) != std::future_status::ready) bystander_.ws.Pump(10ms);
  auto stalled = stall.get();
  ASSERT_TRUE(stalled) << stalled.error().message;
  EXPECT_GE(*stalled, 1s) << "closed at once rather than by a timeout";
  ExpectStillServing(bystander_.ws);
}

}  // namespace
}  // namespace uitweg::support
