#include "integration/server_test.hpp"

#include <cstdlib>
#include <random>

#include "support/postgres_server.hpp"

namespace uitweg::support {

void ServerTest::SetUp() {
  if (CasesRunOnPostgres()) {
    // Linked into integration_postgres_test or integration_cluster_test: the cases on a
    // PostgreSQL database of their own, which `uitweg serve` and `uitweg user add` find through
    // the environment.
    auto postgres = TestPostgresUrl();
    ASSERT_TRUE(postgres) << postgres.error().message;
    auto database = CreateDatabase(*postgres);
    ASSERT_TRUE(database) << database.error().message;
    database_url_ = *database;
    setenv("UITWEG_DATABASE", database_url_.c_str(), 1);
    // Nodes on one database share one master key (none would make its own).
    setenv("UITWEG_MASTER_KEY", "dWl0d2VnIHRlc3QgbWFzdGVyIGtleSwgMzIgYnl0ZXM=", 1);
  }
  if (const std::string toml = ConfigToml(); !toml.empty()) {
    auto written = server_.UseConfig(toml);
    ASSERT_TRUE(written) << written.error().message;
  }
  auto started = server_.Start();
  ASSERT_TRUE(started) << started.error().message << "\n" << server_.Stderr();
}

void ServerTest::TearDown() {
  if (server_.running()) {
    auto stopped = server_.Stop();
    EXPECT_TRUE(stopped) << stopped.error().message;
  }
  if (CasesRunOnPostgres()) {
    unsetenv("UITWEG_DATABASE");
    unsetenv("UITWEG_MASTER_KEY");
    if (!database_url_.empty()) (void)DropDatabase(database_url_);
  }
  ExpectNoSecretsIn(server_);
  const std::string log = server_.Stderr();
  if (HasFailure()) {
    constexpr std::size_t kTail = 6000;
    std::cerr << "---- server log (last " << kTail << " bytes) ----\n"
              << (log.size() > kTail ? log.substr(log.size() - kTail) : log) << "\n";
  }
}

std::string ServerTest::Body(const std::string& hint) {
  static std::mt19937_64 random{std::random_device{}()};
  std::string body = hint + " #" + std::to_string(++bodies_) + " " + std::to_string(random());
  secrets_.push_back(body);
  return body;
}

void ServerTest::ExpectNoSecretsIn(const ServerProcess& node) {
  const std::string log = node.Stderr();
  for (const std::string& secret : secrets_) {
    EXPECT_EQ(log.find(secret), std::string::npos) << "a server log contains a secret: " << secret;
  }
}

ServerTest::Visitor ServerTest::NewVisitor(const std::string& nickname) {
  auto conversation = StartConversation(server_.port(), nickname);
  EXPECT_TRUE(conversation) << conversation.error().message;
  if (!conversation) return {};
  Secret(conversation->resume_token);
  auto ws = ConnectVisitor(server_.port(), conversation->resume_token, 0);
  EXPECT_TRUE(ws) << ws.error().message;
  if (!ws) return {};
  return Visitor{std::move(*conversation), std::move(*ws)};
}

Counsellor ServerTest::NewStaff(const std::string& username, const std::string& role) {
  auto counsellor = NewCounsellor(server_, username, "correct horse battery", role);
  EXPECT_TRUE(counsellor) << counsellor.error().message;
  if (!counsellor) return {};
  return std::move(*counsellor);
}

void ServerTest::Accept(Counsellor& counsellor, const std::string& conversation_id) {
  ASSERT_TRUE(counsellor.ws.Send(StaffAccept(conversation_id)));
  auto assigned = counsellor.ws.Take("assigned");
  ASSERT_TRUE(assigned) << assigned.error().message;
  const auto& conversation = assigned->at("conversation").as_object();
  EXPECT_EQ(Str(conversation, "id"), conversation_id);
  EXPECT_EQ(Str(conversation, "status"), "active");
}

ServerTest::AcceptedChat ServerTest::NewAcceptedChat(const std::string& username) {
  AcceptedChat chat{NewVisitor(), NewStaff(username), {}};
  chat.id = chat.visitor.conversation.conversation_id;
  if (!HasFailure()) Accept(chat.counsellor, chat.id);
  return chat;
}

void ServerTest::ExpectStillServing(WsClient& ws) {
  auto health = HttpGet(server_.port(), "/healthz");
  ASSERT_TRUE(health) << health.error().message;
  EXPECT_EQ(health->status, 200);
  ASSERT_TRUE(ws.Send({{"type", "ping"}}));
  auto pong = ws.Take("pong");
  EXPECT_TRUE(pong) << pong.error().message;
}

boost::json::object NextMessage(WsClient& ws, std::chrono::milliseconds timeout) {
  auto frame = ws.Take("message", timeout);
  if (!frame) {
    ADD_FAILURE() << "expected a message frame: " << frame.error().message;
    return {};
  }
  const auto* message = frame->if_contains("message");
  if (!message || !message->is_object()) {
    ADD_FAILURE() << "message frame without a message object: " << boost::json::serialize(*frame);
    return {};
  }
  return message->get_object();
}

std::string NextErrorCode(WsClient& ws, std::chrono::milliseconds timeout) {
  auto frame = ws.Take("error", timeout);
  if (!frame) return "<no error frame: " + frame.error().message + ">";
  return Str(*frame, "code");
}

std::int64_t Int(const boost::json::object& obj, std::string_view key) {
  const auto* v = obj.if_contains(key);
  if (!v || !v->is_number()) {
    ADD_FAILURE() << "no integer \"" << key << "\" in " << boost::json::serialize(obj);
    return -1;
  }
  return v->to_number<std::int64_t>();
}

std::string Str(const boost::json::object& obj, std::string_view key) {
  const auto* v = obj.if_contains(key);
  if (!v || !v->is_string()) return "<no string " + std::string(key) + ">";
  return std::string(v->get_string());
}

}  // namespace uitweg::support
