// `uitweg backup` while the server runs, and a restore from the copy.

#include <filesystem>

#include "integration/server_test.hpp"

namespace uitweg::support {
namespace {

using BackupTest = ServerTest;

TEST_F(BackupTest, ACopyTakenWhileServingRestoresEveryAcknowledgedMessage) {
  auto [visitor, anna, id] = NewAcceptedChat();
  ASSERT_FALSE(HasFailure());
  const std::string body = Body("kept in the backup");
  ASSERT_TRUE(visitor.ws.Send(VisitorSend("v-1", body)));
  ASSERT_TRUE(visitor.ws.Take("ack"));

  const std::filesystem::path copy = server_.data_dir() / "backup.db";
  auto backed_up =
      RunCommand({"backup", "--data", server_.data_dir().string(), "--to", copy.string()});
  ASSERT_TRUE(backed_up) << backed_up.error().message;
  ASSERT_EQ(backed_up->exit_code, 0) << backed_up->err;
  EXPECT_NE(backed_up->out.find("master key is not in it"), std::string::npos);
  EXPECT_EQ(std::filesystem::status(copy).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  auto again = RunCommand({"backup", "--data", server_.data_dir().string(), "--to", copy.string()});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->exit_code, 1) << "an existing file is never overwritten";
  // The copy is made under a name of its own and takes the target's only when complete.
  for (const auto& file : std::filesystem::directory_iterator(server_.data_dir())) {
    EXPECT_EQ(file.path().filename().string().find(".partial-"), std::string::npos)
        << file.path() << " is left behind";
  }
  const std::filesystem::path unwritable = server_.data_dir() / "no-such-folder" / "backup.db";
  auto nowhere =
      RunCommand({"backup", "--data", server_.data_dir().string(), "--to", unwritable.string()});
  ASSERT_TRUE(nowhere);
  EXPECT_EQ(nowhere->exit_code, 1) << nowhere->err;

  // Restore: the copy and the key file (kept apart in real life) in a fresh data folder.
  ServerProcess restored;
  std::filesystem::copy_file(copy, restored.data_dir() / "uitweg.db");
  std::filesystem::copy_file(server_.data_dir() / "master.key", restored.data_dir() / "master.key");
  auto started = restored.Start();
  ASSERT_TRUE(started) << started.error().message << restored.Stderr();
  auto replay = ConnectVisitor(restored.port(), visitor.conversation.resume_token, 0);
  ASSERT_TRUE(replay) << replay.error().message;
  EXPECT_EQ(Str(NextMessage(*replay), "kind"), "accepted");
  EXPECT_EQ(Str(NextMessage(*replay), "body"), body);
  (void)restored.Stop();
}

}  // namespace
}  // namespace uitweg::support
