// SQLite specifics that the backend-neutral contract suite does not cover: file permissions,
// the migration runner and checkpointing.
#include "store/sqlite/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "store/sqlite/checkpointer.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/migrations.hpp"

namespace uitweg::store::sqlite {
namespace {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("uitweg-sqlite-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(root_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  static unsigned Mode(const std::filesystem::path& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) return 0;
    return info.st_mode & 0777;
  }

  std::unique_ptr<Connection> Raw() {
    std::filesystem::create_directories(root_);
    return Connection::Open((root_ / "raw.db").string(), Connection::Mode::read_write, 1000)
        .value();
  }

  std::filesystem::path root_;
};

TEST_F(SqliteStoreTest, DatabaseFilesAreOwnerOnly) {
  const auto path = root_ / "data" / "uitweg.db";
  auto store = SqliteStore::Open(SqliteOptions{.path = path.string()}).value();
  ASSERT_TRUE(store->CreateConversation(NewConversation{.id = "c_1",
                                                        .resume_token_hash = "r",
                                                        .subject = Subject::self,
                                                        .nickname = "",
                                                        .urgency = 0,
                                                        .created_at = 1}));
  EXPECT_EQ(Mode(root_ / "data"), 0700u);
  EXPECT_EQ(Mode(path), 0600u);
  EXPECT_EQ(Mode(path.string() + "-wal"), 0600u);
  EXPECT_EQ(Mode(path.string() + "-shm"), 0600u);
}

TEST_F(SqliteStoreTest, EmptyPathIsInvalid) {
  EXPECT_EQ(SqliteStore::Open(SqliteOptions{.path = ""}).error().code,
            core::Errc::invalid_argument);
}

TEST_F(SqliteStoreTest, EmbeddedMigrationsCountFromOne) {
  const auto migrations = Migrations();
  ASSERT_FALSE(migrations.empty());
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    EXPECT_EQ(migrations[i].version, static_cast<std::int64_t>(i + 1));
    EXPECT_FALSE(migrations[i].name.empty());
    const bool changes_schema = migrations[i].sql.find("CREATE") != std::string_view::npos ||
                                migrations[i].sql.find("ALTER") != std::string_view::npos;
    EXPECT_TRUE(changes_schema) << migrations[i].name;
  }
}

TEST_F(SqliteStoreTest, FailedMigrationLeavesDatabaseUntouched) {
  auto db = Raw();
  const Migration broken[] = {{1, "good", "CREATE TABLE a (x INTEGER)"},
                              {2, "bad", "CREATE TABLE b (;"}};
  auto migrated = Migrate(*db, broken);
  ASSERT_FALSE(migrated);
  EXPECT_NE(migrated.error().message.find("migration 2 (bad)"), std::string::npos)
      << migrated.error().message;
  EXPECT_EQ(SchemaVersion(*db).value(), 0);
  EXPECT_EQ(db->QueryText("SELECT name FROM sqlite_master WHERE name = 'a'").value(), "");
  EXPECT_FALSE(db->InTransaction());
}

TEST_F(SqliteStoreTest, MigratesStepByStepAndOnlyOnce) {
  auto db = Raw();
  const Migration first[] = {{1, "a", "CREATE TABLE a (x INTEGER)"}};
  const Migration both[] = {{1, "a", "CREATE TABLE a (x INTEGER)"},
                            {2, "b", "CREATE TABLE b (y INTEGER)"}};
  ASSERT_TRUE(Migrate(*db, first));
  EXPECT_EQ(SchemaVersion(*db).value(), 1);
  ASSERT_TRUE(Migrate(*db, both));
  EXPECT_EQ(SchemaVersion(*db).value(), 2);
  ASSERT_TRUE(Migrate(*db, both));
  EXPECT_EQ(db->QueryText("SELECT COUNT(*) FROM schema_version").value(), "2");
}

TEST_F(SqliteStoreTest, NewerDatabaseNamesBothVersions) {
  auto db = Raw();
  const Migration both[] = {{1, "a", "CREATE TABLE a (x INTEGER)"},
                            {2, "b", "CREATE TABLE b (y INTEGER)"}};
  ASSERT_TRUE(Migrate(*db, both));
  auto refused = Migrate(*db, std::span(both).first(1));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::Errc::failed_precondition);
  EXPECT_NE(refused.error().message.find("version 2"), std::string::npos);
  EXPECT_NE(refused.error().message.find("version 1"), std::string::npos);
}

TEST_F(SqliteStoreTest, CheckpointerCopiesLogIntoDatabasePastThreshold) {
  auto writer = Raw();
  ASSERT_TRUE(writer->Exec("PRAGMA journal_mode = WAL; CREATE TABLE big (b BLOB)"));
  const auto path = root_ / "raw.db";
  Checkpointer checkpointer(
      Connection::Open(path.string(), Connection::Mode::read_write, 1000).value(), 100,
      std::chrono::milliseconds(1), std::chrono::hours(1));
  writer->OnCommit([&](int pages) { checkpointer.Nudge(pages); });
  const auto before = std::filesystem::file_size(path);

  ASSERT_TRUE(writer->Exec("INSERT INTO big VALUES (zeroblob(20 * 4096))"));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(checkpointer.Runs(), 0u);
  EXPECT_EQ(std::filesystem::file_size(path), before);

  ASSERT_TRUE(writer->Exec("INSERT INTO big VALUES (zeroblob(200 * 4096))"));
  for (int i = 0; i < 500 && checkpointer.Runs() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(checkpointer.Runs(), 1u);
  EXPECT_GE(std::filesystem::file_size(path), before + 220 * 4096);
}

TEST_F(SqliteStoreTest, StoreClosesCleanlyWithoutLeftoverLog) {
  const auto path = root_ / "uitweg.db";
  {
    auto store = SqliteStore::Open(SqliteOptions{.path = path.string()}).value();
    ASSERT_TRUE(store->CreateConversation(NewConversation{.id = "c_1",
                                                          .resume_token_hash = "r",
                                                          .subject = Subject::self,
                                                          .nickname = "",
                                                          .urgency = 0,
                                                          .created_at = 1}));
  }
  EXPECT_FALSE(std::filesystem::exists(path.string() + "-wal"));
  auto reopened = SqliteStore::Open(SqliteOptions{.path = path.string()}).value();
  EXPECT_TRUE(reopened->FindConversation("c_1"));
}

}  // namespace
}  // namespace uitweg::store::sqlite

namespace uitweg::store::sqlite {
namespace {

TEST_F(SqliteStoreTest, KeysAndNicknamesAreStoredByteForByte) {
  const std::string key("\0wrapped\xff key", 13);
  const std::string nickname("\xfe\0nick", 6);
  auto store = SqliteStore::Open(SqliteOptions{.path = (root_ / "uitweg.db").string()}).value();
  ASSERT_TRUE(store->CreateConversation(NewConversation{.id = "c_1",
                                                        .resume_token_hash = "r1",
                                                        .subject = Subject::self,
                                                        .nickname = nickname,
                                                        .urgency = 0,
                                                        .created_at = 1,
                                                        .wrapped_key = key}));
  ASSERT_TRUE(store->CreateConversation(NewConversation{.id = "c_2",
                                                        .resume_token_hash = "r2",
                                                        .subject = Subject::self,
                                                        .nickname = "",
                                                        .urgency = 0,
                                                        .created_at = 1}));
  EXPECT_EQ(store->FindConversationKey("c_1").value(), key);
  EXPECT_EQ(store->FindConversation("c_1").value().nickname, nickname);
  EXPECT_EQ(store->FindConversationKey("c_2").value(), "");
}

}  // namespace
}  // namespace uitweg::store::sqlite
