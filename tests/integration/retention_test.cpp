// Retention through the real binary: a visitor who asked to be forgotten is shredded soon after
// the chat ends (by the server's own job, or by `uitweg retention run`), a resume token stops
// working a set time after the end, and every shredding is in the audit trail.

#include <fstream>

#include "integration/server_test.hpp"

namespace uitweg::support {
namespace {

constexpr char kPassword[] = "correct horse battery";

// Waits until `done()` holds, checking every 20 ms, at most `limit`.
template <class Condition>
bool Eventually(Condition done, std::chrono::milliseconds limit = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

// Reads the visitor's messages (the accept, maybe more) until the end arrives.
void AwaitEnd(WsClient& ws) {
  for (int i = 0; i < 4; ++i) {
    if (Str(NextMessage(ws), "kind") == "ended") return;
  }
  ADD_FAILURE() << "the visitor never saw the end";
}

class RetentionTest : public ServerTest {
 protected:
  std::string ConfigToml() const override {
    return "[retention]\nrun_every_seconds = 1\nresume_token_hours = 24\n";
  }
  // The visitor asks to be forgotten, the counsellor ends the chat.
  std::string ForgottenChat() {
    AcceptedChat chat = NewAcceptedChat("anna.k");
    if (HasFailure()) return {};
    EXPECT_TRUE(chat.visitor.ws.Send({{"type", "forget"}}));
    EXPECT_TRUE(chat.visitor.ws.Take("forget_noted"));
    EXPECT_TRUE(chat.counsellor.ws.Send({{"type", "end"}, {"conversation_id", chat.id}}));
    AwaitEnd(chat.visitor.ws);
    token_ = chat.visitor.conversation.resume_token;
    return chat.id;
  }
  bool Resumes() {
    auto again = ConnectVisitor(server_.port(), token_);
    return static_cast<bool>(again);
  }
  std::string token_;
};

TEST_F(RetentionTest, AVisitorWhoAskedIsShreddedSoonAfterTheEndAndTheAuditTrailSaysSo) {
  const std::string id = ForgottenChat();
  ASSERT_FALSE(id.empty());
  ASSERT_TRUE(Eventually([this] { return !Resumes(); })) << "still resumable after the end";
  ASSERT_TRUE(AddStaff(server_.data_dir().string(), "beheer", kPassword, "admin"));
  auto admin = SignIn(server_.port(), "beheer", kPassword);
  ASSERT_TRUE(admin) << admin.error().message;
  auto res = HttpGet(server_.port(), "/api/v1/audit?action=deleted", {{"Cookie", admin->cookie}});
  ASSERT_TRUE(res && res->status == 200);
  const boost::json::value answer = res->Json().value();
  const auto& entries = answer.as_object().at("entries").as_array();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].as_object().at("conversation_id").as_string(), id);
}

class RetentionCommandTest : public RetentionTest {
 protected:
  std::string ConfigToml() const override {
    // The server's own job waits an hour; the command does it now. A token stops at the end.
    return "[retention]\nrun_every_seconds = 3600\nresume_token_hours = 0\n";
  }
};

TEST_F(RetentionCommandTest, RetentionRunShredsAtOnceAndATokenStopsWorkingAfterItsTime) {
  const std::string id = ForgottenChat();
  ASSERT_FALSE(id.empty());
  EXPECT_FALSE(Resumes()) << "resume_token_hours = 0: nothing to resume once ended";
  std::vector<std::string> args{"retention", "run", "--data", server_.data_dir().string()};
  if (!database_url_.empty()) args.insert(args.end(), {"--database", database_url_});
  auto run = RunCommand(args);
  ASSERT_TRUE(run && run->exit_code == 0) << (run ? run->err : run.error().message);
  EXPECT_NE(run->out.find("Shredded 1 conversation"), std::string::npos) << run->out;
  auto again = RunCommand(args);
  ASSERT_TRUE(again && again->exit_code == 0);
  EXPECT_NE(again->out.find("Shredded 0 conversation"), std::string::npos) << again->out;
}

TEST_F(RetentionCommandTest, RetentionRunWorksOnTheDatabaseItsConfigurationNames) {
  if (!database_url_.empty()) GTEST_SKIP() << "UITWEG_DATABASE names the database there as well";
  const std::string id = ForgottenChat();
  ASSERT_FALSE(id.empty());
  const std::filesystem::path config = server_.data_dir() / "retention.toml";
  {
    std::ofstream out(config);
    out << "data_dir = \"" << server_.data_dir().string() << "\"\n";
    out << ConfigToml();
  }
  auto run = RunCommand({"retention", "run", "--config", config.string()});
  ASSERT_TRUE(run && run->exit_code == 0) << (run ? run->err : run.error().message);
  EXPECT_NE(run->out.find("Shredded 1 conversation"), std::string::npos)
      << "not a new, empty database in ./data: " << run->out;
  auto mistyped = RunCommand({"retention", "run", "--data", (server_.data_dir() / "dta").string()});
  ASSERT_TRUE(mistyped);
  EXPECT_EQ(mistyped->exit_code, 1) << "not 'Shredded 0' on a new, empty database";
  EXPECT_NE(mistyped->err.find("no database"), std::string::npos) << mistyped->err;
}

}  // namespace
}  // namespace uitweg::support
