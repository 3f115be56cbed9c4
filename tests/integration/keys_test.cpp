// Rotating the master key while the server runs (`uitweg keys rotate` / `retire`): chats and
// sign-ins go on, what was sealed before opens afterwards, and in the end only the new key
// opens anything. SQLite deployments keep their keys in the key file, which the running server
// follows; nodes on PostgreSQL take theirs from UITWEG_MASTER_KEY.

#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "core/files.hpp"
#include "crypto/random.hpp"
#include "integration/server_test.hpp"

namespace uitweg::support {
namespace {

constexpr char kPassword[] = "correct horse battery";

class KeysTest : public ServerTest {
 protected:
  core::Result<CommandResult> Keys(const std::string& verb) {
    return RunCommand({"keys", verb, "--data", server_.data_dir().string()});
  }
  // A visitor's whole history, read again through a fresh socket (no key cached in it).
  std::vector<std::string> TextsOf(const std::string& resume_token) {
    boost::json::object welcome;
    auto ws = ConnectVisitor(server_.port(), resume_token, 0, &welcome);
    EXPECT_TRUE(ws) << ws.error().message;
    std::vector<std::string> texts;
    if (!ws) return texts;
    // Up to the last seq the welcome names: a quiet moment on a loaded machine is no end.
    const std::int64_t last_seq = welcome.at("conversation").at("last_seq").as_int64();
    for (std::int64_t seq = 0; seq < last_seq;) {
      auto frame = ws->Take("message", 10s);
      EXPECT_TRUE(frame) << "the replay stopped after seq " << seq << " of " << last_seq;
      if (!frame) break;
      const auto& message = frame->at("message").as_object();
      seq = message.at("seq").as_int64();
      if (Str(message, "kind") == "text") texts.push_back(Str(message, "body"));
    }
    return texts;
  }
  std::string KeyFileBytes() const {
    std::ifstream in(server_.data_dir() / "master.key", std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  std::int64_t KeyFileSize() const {
    struct stat info {};
    if (::stat((server_.data_dir() / "master.key").c_str(), &info) != 0) return -1;
    return static_cast<std::int64_t>(info.st_size);
  }
};

#ifndef UITWEG_TEST_ON_POSTGRES

TEST_F(KeysTest, RotateAndRetireWhileTheServerRunsAndNothingIsLost) {
  ASSERT_TRUE(AddStaff(server_.data_dir().string(), "anna.k", kPassword));
  Visitor before = NewVisitor("Sam");
  const std::string said_before = Body("before the rotation");
  ASSERT_TRUE(before.ws.Send(VisitorSend("b-1", said_before)));
  ASSERT_TRUE(before.ws.Take("ack"));
  ASSERT_EQ(KeyFileSize(), 32);

  auto rotated = Keys("rotate");
  ASSERT_TRUE(rotated) << rotated.error().message;
  ASSERT_EQ(rotated->exit_code, 0) << rotated->err;
  EXPECT_NE(rotated->out.find("1 conversation key(s), 1 TOTP secret(s)"), std::string::npos)
      << rotated->out;
  EXPECT_EQ(KeyFileSize(), 64) << "the new key in front of the old one";

  // The running server opens what was re-sealed and seals what is new under the new key.
  EXPECT_EQ(TextsOf(before.conversation.resume_token), std::vector<std::string>{said_before});
  Visitor after = NewVisitor("Robin");
  const std::string said_after = Body("after the rotation");
  ASSERT_TRUE(after.ws.Send(VisitorSend("a-1", said_after)));
  ASSERT_TRUE(after.ws.Take("ack"));
  auto counsellor = SignIn(server_.port(), "anna.k", kPassword);
  ASSERT_TRUE(counsellor) << "the TOTP secret, re-sealed, still opens: "
                          << counsellor.error().message;

  auto retired = Keys("retire");
  ASSERT_TRUE(retired) << retired.error().message;
  ASSERT_EQ(retired->exit_code, 0) << retired->err << retired->out;
  EXPECT_EQ(KeyFileSize(), 32) << "the old key is gone";
  EXPECT_EQ(TextsOf(after.conversation.resume_token), std::vector<std::string>{said_after});

  // After a restart on the new key alone everything opens; the audit trail holds both steps.
  ASSERT_TRUE(server_.Stop());
  ASSERT_TRUE(server_.Restart());
  EXPECT_EQ(TextsOf(before.conversation.resume_token), std::vector<std::string>{said_before});
  EXPECT_EQ(TextsOf(after.conversation.resume_token), std::vector<std::string>{said_after});
  ASSERT_TRUE(SignIn(server_.port(), "anna.k", kPassword));
  auto verified = RunCommand({"audit", "verify", "--data", server_.data_dir().string()});
  ASSERT_TRUE(verified);
  EXPECT_EQ(verified->exit_code, 0) << verified->out << verified->err;
  ASSERT_TRUE(AddStaff(server_.data_dir().string(), "beheer", kPassword, "admin"));
  auto admin = SignIn(server_.port(), "beheer", kPassword);
  ASSERT_TRUE(admin);
  for (const char* action : {"key_rotated", "key_retired"}) {
    auto res = HttpGet(server_.port(), std::string("/api/v1/audit?action=") + action,
                       {{"Cookie", admin->cookie}});
    ASSERT_TRUE(res && res->status == 200);
    EXPECT_EQ(res->Json().value().at("entries").as_array().size(), 1u) << action;
  }
}

TEST_F(KeysTest, TheOldKeyAloneOpensNothingAfterRetirement) {
  Visitor visitor = NewVisitor("Sam");
  const std::string old_key = KeyFileBytes();
  ASSERT_EQ(old_key.size(), 32u);
  for (const char* verb : {"rotate", "retire"}) {
    auto ran = Keys(verb);
    ASSERT_TRUE(ran && ran->exit_code == 0) << verb;
  }
  ASSERT_TRUE(server_.Stop());
  // The server refuses to start on the old key: the database holds nothing it opens.
  setenv("UITWEG_MASTER_KEY", crypto::Base64Encode(old_key).c_str(), 1);
  EXPECT_FALSE(server_.Restart(5s));
  unsetenv("UITWEG_MASTER_KEY");
  EXPECT_NE(server_.Stderr().find("does not open"), std::string::npos) << server_.Stderr();
}

TEST_F(KeysTest, OneKeyCommandAtATimeOnAKeyFile) {
  const std::string key = KeyFileBytes();
  {
    auto other = core::FileLock::TryAcquire(server_.data_dir() / "master.key.lock");
    ASSERT_TRUE(other) << other.error().message;
    for (const char* verb : {"rotate", "retire"}) {
      auto refused = Keys(verb);
      ASSERT_TRUE(refused);
      EXPECT_EQ(refused->exit_code, 1) << verb;
      EXPECT_NE(refused->err.find("another `uitweg keys` is running"), std::string::npos)
          << refused->err;
    }
    EXPECT_EQ(KeyFileBytes(), key) << "untouched while another holds it";
  }
  auto rotated = Keys("rotate");
  ASSERT_TRUE(rotated && rotated->exit_code == 0);
  EXPECT_NE(KeyFileBytes(), key);
}

TEST_F(KeysTest, ConversationsStartedDuringTheRotationAreResealedBeforeRetirement) {
  std::atomic<bool> rotating{true};
  std::vector<std::string> tokens;
  std::thread starts([&] {
    while (rotating.load()) {
      auto started = StartConversation(server_.port(), "Kim");
      if (started) tokens.push_back(started->resume_token);
    }
  });
  auto rotated = Keys("rotate");
  rotating.store(false);
  starts.join();
  ASSERT_TRUE(rotated && rotated->exit_code == 0);
  auto retired = Keys("retire");
  ASSERT_TRUE(retired);
  ASSERT_EQ(retired->exit_code, 0) << retired->err << retired->out;
  ASSERT_TRUE(server_.Stop());
  ASSERT_TRUE(server_.Restart());
  for (const std::string& token : tokens) {
    Secret(token);
    EXPECT_TRUE(ConnectVisitor(server_.port(), token)) << "every conversation still opens";
  }
}

#else

TEST_F(KeysTest, NodesOnPostgresRotateThroughTheirEnvironment) {
  ASSERT_TRUE(AddStaff(server_.data_dir().string(), "anna.k", kPassword));
  Visitor visitor = NewVisitor("Sam");
  const std::string said = Body("sealed under the first key");
  ASSERT_TRUE(visitor.ws.Send(VisitorSend("p-1", said)));
  ASSERT_TRUE(visitor.ws.Take("ack"));

  auto alone = Keys("rotate");
  ASSERT_TRUE(alone);
  EXPECT_EQ(alone->exit_code, 2) << "one key in the environment: nothing to rotate to";
  EXPECT_NE(alone->err.find("NEW,OLD"), std::string::npos) << alone->err;

  // The operator puts a new key first on every node and restarts them, then rotates.
  const std::string old_key = getenv("UITWEG_MASTER_KEY");
  const std::string new_key = crypto::Base64Encode(crypto::RandomBytes(32));
  setenv("UITWEG_MASTER_KEY", (new_key + "," + old_key).c_str(), 1);
  ASSERT_TRUE(server_.Stop());
  ASSERT_TRUE(server_.Restart());
  auto rotated = Keys("rotate");
  ASSERT_TRUE(rotated);
  ASSERT_EQ(rotated->exit_code, 0) << rotated->err;
  EXPECT_NE(rotated->out.find("1 conversation key(s), 1 TOTP secret(s)"), std::string::npos)
      << rotated->out;
  auto retired = Keys("retire");
  ASSERT_TRUE(retired && retired->exit_code == 0);
  EXPECT_NE(retired->out.find("remove them from UITWEG_MASTER_KEY"), std::string::npos);
  // The trail says what was checked: the keys go only when the operator removes them.
  ASSERT_TRUE(AddStaff(server_.data_dir().string(), "beheer", kPassword, "admin"));
  auto admin = SignIn(server_.port(), "beheer", kPassword);
  ASSERT_TRUE(admin);
  auto trail =
      HttpGet(server_.port(), "/api/v1/audit?action=key_retired", {{"Cookie", admin->cookie}});
  ASSERT_TRUE(trail && trail->status == 200);
  const auto entries = trail->Json().value().at("entries").as_array();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_NE(std::string(entries.at(0).at("detail").as_string())
                .find("to be removed from "
                      "UITWEG_MASTER_KEY"),
            std::string::npos);

  // A key file copied to the nodes of a shared database cannot be rotated in place: the other
  // nodes would be left behind.
  const auto folder = server_.data_dir() / "copied-key";
  std::filesystem::create_directories(folder);
  {
    std::ofstream out(folder / "master.key", std::ios::binary);
    out << crypto::Base64Decode(new_key).value();
  }
  std::filesystem::permissions(folder / "master.key", std::filesystem::perms::owner_read |
                                                          std::filesystem::perms::owner_write);
  unsetenv("UITWEG_MASTER_KEY");
  auto refused = RunCommand({"keys", "rotate", "--data", folder.string()});
  setenv("UITWEG_MASTER_KEY", (new_key + "," + old_key).c_str(), 1);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->exit_code, 2) << refused->out << refused->err;
  EXPECT_NE(refused->err.find("UITWEG_MASTER_KEY"), std::string::npos) << refused->err;

  // ... and then drops the old key.
  setenv("UITWEG_MASTER_KEY", new_key.c_str(), 1);
  ASSERT_TRUE(server_.Stop());
  ASSERT_TRUE(server_.Restart());
  EXPECT_EQ(TextsOf(visitor.conversation.resume_token), std::vector<std::string>{said});
  EXPECT_TRUE(SignIn(server_.port(), "anna.k", kPassword));
}

#endif

}  // namespace
}  // namespace uitweg::support
