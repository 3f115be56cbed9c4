// migrate-data's copy at the store level, on a real PostgreSQL: what a server still writing
// during the copy does to it.

#include "store/transfer/sqlite_to_postgres.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "store/postgres/connection.hpp"
#include "store/sqlite/sqlite_database.hpp"
#include "store/test_database.hpp"
#include "support/postgres_test.hpp"

namespace uitweg::store {
namespace {

constexpr UnixMillis kT0 = 1'700'000'000'000;

class SqliteToPostgresTest : public support::PostgresDatabaseTest {
 protected:
  void SetUp() override {
    PostgresDatabaseTest::SetUp();
    if (HasFatalFailure()) return;
    std::string folder = (std::filesystem::temp_directory_path() / "uitweg-transfer-XXXXXX");
    ASSERT_NE(mkdtemp(folder.data()), nullptr);
    folder_ = folder;
  }
  void TearDown() override {
    PostgresDatabaseTest::TearDown();
    std::error_code ignored;
    std::filesystem::remove_all(folder_, ignored);
  }

  static Result<Appended> Send(Database& database, const std::string& id,
                               const std::string& client_id) {
    return Await<Appended>([&](Done<Appended> done) {
      database.conversations->Append(NewMessage{.conversation_id = id,
                                                .sender = model::Sender::visitor,
                                                .client_id = client_id,
                                                .body = "hoi",
                                                .created_at = kT0 + 1},
                                     done);
    });
  }

  std::filesystem::path folder_;
};

// A server still running wrote a message after the conversations were copied and before the
// messages were: copied, it would stand past its conversation's last_seq, where PostgreSQL's
// next append for that conversation would collide with it.
TEST_F(SqliteToPostgresTest, AWriteDuringTheCopyIsLeftOutWhole) {
  const std::string path = (folder_ / "uitweg.db").string();
  auto opened = OpenSqliteDatabase(SqliteOptions{.path = path, .reader_count = 1});
  ASSERT_TRUE(opened) << opened.error().message;
  Database running = std::move(*opened);
  ASSERT_TRUE(Await<model::Conversation>([&](Done<model::Conversation> done) {
    running.conversations->Create(NewConversation{.id = "c_1",
                                                  .resume_token_hash = "resume-c_1",
                                                  .subject = model::Subject::self,
                                                  .nickname = "",
                                                  .urgency = 0,
                                                  .created_at = kT0},
                                  done);
  }));
  ASSERT_TRUE(Send(running, "c_1", "m-1"));

  bool written = false;
  auto copied = CopySqliteToPostgres(path, url_, [&](const CopyProgress& progress) {
    if (progress.table == "conversation" && progress.copied == progress.total && !written) {
      written = true;
      ASSERT_TRUE(Send(running, "c_1", "m-2"));
    }
  });
  ASSERT_TRUE(written);
  ASSERT_TRUE(copied) << copied.error().message;

  auto target = postgres::Connection::Open(url_);
  ASSERT_TRUE(target);
  auto rows = (*target)->Query(
      "SELECT c.last_seq, (SELECT COUNT(*) FROM message AS m WHERE m.conversation_id = c.id),"
      " (SELECT MAX(seq) FROM message AS m WHERE m.conversation_id = c.id)"
      " FROM conversation AS c WHERE c.id = 'c_1'");
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 1);
  EXPECT_EQ((*rows)[0].Int(0), 1) << "last_seq as of the copy";
  EXPECT_EQ((*rows)[0].Int(1), 1) << "messages as of the copy";
  EXPECT_EQ((*rows)[0].Int(2), 1);
}

}  // namespace
}  // namespace uitweg::store
