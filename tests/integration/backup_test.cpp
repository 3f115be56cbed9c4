// `uitweg backup` while the server runs, and a restore from the copy.

#include <filesystem>
#include <fstream>

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

  // Where the server's configuration file says the data is, as `serve` reads it.
  const std::filesystem::path config = server_.data_dir() / "backup-test.toml";
  std::ofstream(config) << "data_dir = \"" << server_.data_dir().string() << "\"\n";
  const std::filesystem::path configured_copy = server_.data_dir() / "configured.db";
  auto configured =
      RunCommand({"backup", "--config", config.string(), "--to", configured_copy.string()});
  ASSERT_TRUE(configured);
  EXPECT_EQ(configured->exit_code, 0) << configured->err;
  EXPECT_TRUE(std::filesystem::exists(configured_copy));
  const std::filesystem::path on_postgres = server_.data_dir() / "postgres.toml";
  std::ofstream(on_postgres) << "database = \"postgresql://uitweg@127.0.0.1:1/uitweg\"\n";
  auto refused = RunCommand({"backup", "--config", on_postgres.string(), "--to",
                             (server_.data_dir() / "never.db").string()});
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->exit_code, 2);
  EXPECT_NE(refused->err.find("pg_dump"), std::string::npos) << refused->err;
  auto no_database = RunCommand({"backup", "--data", (server_.data_dir() / "typo").string(), "--to",
                                 (server_.data_dir() / "never.db").string()});
  ASSERT_TRUE(no_database);
  EXPECT_EQ(no_database->exit_code, 1);
  EXPECT_NE(no_database->err.find("there is no database"), std::string::npos) << no_database->err;

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
