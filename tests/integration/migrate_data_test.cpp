// Growing out of SQLite (built into integration_postgres_test only): a deployment with a few
// thousand conversations is copied with `uitweg migrate-data`, and a node on PostgreSQL then
// serves the same conversations.

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "crypto/random.hpp"
#include "integration/server_test.hpp"
#include "store/postgres/connection.hpp"
#include "store/postgres/migrations.hpp"
#include "support/postgres_server.hpp"

namespace uitweg::support {
namespace {

using namespace std::chrono_literals;

constexpr int kConversations = 2000;
constexpr int kWithMessages = 20;

// The chats started that the insights counts of the database at `url` hold.
std::int64_t StartedCounted(const std::string& url) {
  auto db = store::postgres::Connection::Open(url);
  EXPECT_TRUE(db) << db.error().message;
  if (!db) return -1;
  auto counted = (*db)->Query("SELECT COALESCE(SUM(started), 0) FROM conversation_count");
  EXPECT_TRUE(counted) << counted.error().message;
  return counted ? (*counted)[0].Int(0) : -1;
}

TEST(MigrateDataTest, AFewThousandConversationsMoveToPostgresAndReadTheSame) {
  auto server = TestPostgresUrl();
  ASSERT_TRUE(server) << server.error().message;
  auto target = CreateDatabase(*server);
  ASSERT_TRUE(target) << target.error().message;

  // Room for every one of them to wait, on either node.
  const std::string limits =
      "[limits]\nmax_connections_per_address = 0\nvisitor_starts_per_minute = 1000000\n"
      "max_waiting = 100000\n";
  ServerProcess sqlite_node;
  ASSERT_TRUE(sqlite_node.UseConfig(limits));
  ASSERT_TRUE(sqlite_node.Start());
  std::vector<VisitorConversation> started;
  for (int i = 0; i < kConversations; ++i) {
    auto conversation = StartConversation(sqlite_node.port(), "v" + std::to_string(i));
    ASSERT_TRUE(conversation) << i << ": " << conversation.error().message;
    started.push_back(*conversation);
  }
  std::vector<std::vector<std::string>> bodies(kWithMessages);
  for (int c = 0; c < kWithMessages; ++c) {
    auto ws = ConnectVisitor(sqlite_node.port(), started[c].resume_token, 0);
    ASSERT_TRUE(ws) << ws.error().message;
    for (int m = 0; m < 3; ++m) {
      bodies[c].push_back("message " + std::to_string(m) + " of chat " + std::to_string(c));
      ASSERT_TRUE(ws->Send(VisitorSend("m-" + std::to_string(m), bodies[c].back())));
      ASSERT_TRUE(ws->Take("ack"));
    }
  }
  auto while_serving = RunCommand(
      {"migrate-data", "--from", sqlite_node.data_dir().string(), "--to", *target}, {}, 300s);
  ASSERT_TRUE(while_serving);
  EXPECT_EQ(while_serving->exit_code, 1) << "what the server writes after the copy would be lost";
  EXPECT_NE(while_serving->err.find("stop it first"), std::string::npos) << while_serving->err;
  ASSERT_TRUE(sqlite_node.Stop());

  // A target that holds anything at all (here one setting) is not copied into.
  auto not_empty = CreateDatabase(*server);
  ASSERT_TRUE(not_empty) << not_empty.error().message;
  {
    auto db = store::postgres::Connection::Open(*not_empty);
    ASSERT_TRUE(db) << db.error().message;
    ASSERT_TRUE(store::postgres::Migrate(**db, store::postgres::Migrations()));
    ASSERT_TRUE((*db)->Exec("INSERT INTO setting (name, value, updated_at) VALUES ('x', 'y', 0)"));
  }
  auto into_settings = RunCommand(
      {"migrate-data", "--from", sqlite_node.data_dir().string(), "--to", *not_empty}, {}, 300s);
  ASSERT_TRUE(into_settings);
  EXPECT_EQ(into_settings->exit_code, 1);
  EXPECT_NE(into_settings->err.find("not empty"), std::string::npos) << into_settings->err;
  (void)DropDatabase(*not_empty);

  const auto copy_started = std::chrono::steady_clock::now();
  auto migrated = RunCommand(
      {"migrate-data", "--from", sqlite_node.data_dir().string(), "--to", *target}, {}, 300s);
  ASSERT_TRUE(migrated) << migrated.error().message;
  ASSERT_EQ(migrated->exit_code, 0) << migrated->err;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - copy_started).count();
  std::cout << "migrate-data of " << kConversations << " conversations: " << seconds << " s\n"
            << migrated->out;
  EXPECT_NE(migrated->out.find("conversation         " + std::to_string(kConversations) + " rows"),
            std::string::npos)
      << migrated->out;
  EXPECT_NE(migrated->out.find("conversation_count"), std::string::npos) << migrated->out;
  // Left behind, the old database would keep every chat past its retention.
  EXPECT_NE(migrated->out.find("The old database stays in " + sqlite_node.data_dir().string()),
            std::string::npos)
      << migrated->out;
  EXPECT_EQ(StartedCounted(*target), kConversations) << "the insights counts came over";
  for (const char* table : {"review_sample ", "review_sample_item ", "review ", "review_score "}) {
    EXPECT_NE(migrated->out.find(table), std::string::npos)
        << "the methodology review's " << table << "is copied and checked: " << migrated->out;
  }
  auto again = RunCommand(
      {"migrate-data", "--from", sqlite_node.data_dir().string(), "--to", *target}, {}, 300s);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->exit_code, 1) << "a target that is not empty is refused";
  EXPECT_NE(again->err.find("not empty"), std::string::npos) << again->err;

  // The PostgreSQL node, with the SQLite deployment's master key.
  std::ifstream key_file(sqlite_node.data_dir() / "master.key", std::ios::binary);
  std::stringstream key;
  key << key_file.rdbuf();
  setenv("UITWEG_DATABASE", target->c_str(), 1);
  setenv("UITWEG_MASTER_KEY", crypto::Base64Encode(key.str()).c_str(), 1);
  ServerProcess postgres_node;
  ASSERT_TRUE(postgres_node.UseConfig(limits));
  auto started_node = postgres_node.Start();
  unsetenv("UITWEG_DATABASE");
  unsetenv("UITWEG_MASTER_KEY");
  ASSERT_TRUE(started_node) << started_node.error().message << postgres_node.Stderr();
  for (int c = 0; c < kWithMessages; ++c) {
    auto ws = ConnectVisitor(postgres_node.port(), started[c].resume_token, 0);
    ASSERT_TRUE(ws) << ws.error().message;
    for (const std::string& body : bodies[c]) EXPECT_EQ(Str(NextMessage(*ws), "body"), body);
  }
  auto last = ConnectVisitor(postgres_node.port(), started.back().resume_token, 0);
  ASSERT_TRUE(last) << "the last of " << kConversations << ": " << last.error().message;
  auto another = StartConversation(postgres_node.port(), "after the move");
  ASSERT_TRUE(another) << another.error().message;
  EXPECT_EQ(StartedCounted(*target), kConversations + 1) << "the target keeps counting";
  (void)postgres_node.Stop();
  (void)DropDatabase(*target);
}

}  // namespace
}  // namespace uitweg::support
