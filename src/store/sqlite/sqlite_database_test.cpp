// SQLite specifics that the backend-neutral contract suites do not cover: file permissions,
// the migration runner and checkpointing.
#include "store/sqlite/sqlite_database.hpp"
#include "core/testing/test_folder.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "store/sqlite/checkpointer.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/test_database.hpp"

namespace uitweg::store::sqlite {
namespace {

class SqliteDatabaseTest : public ::testing::Test {
 protected:
  static unsigned Mode(const std::filesystem::path& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) return 0;
    return info.st_mode & 0777;
  }

  std::unique_ptr<Connection> Raw() {
    return Connection::Open((root_ / "raw.db").string(), Connection::Mode::read_write, 1000)
        .value();
  }

  static Status Start(ConversationStore& store, const std::string& id,
                      const std::string& nickname = "", const std::string& wrapped_key = "") {
    auto created = Await<model::Conversation>([&](Done<model::Conversation> done) {
      store.Create(NewConversation{.id = id,
                                   .resume_token_hash = "resume-" + id,
                                   .subject = model::Subject::self,
                                   .nickname = nickname,
                                   .urgency = 0,
                                   .created_at = 1,
                                   .wrapped_key = wrapped_key},
                   done);
    });
    if (!created) return created.error();
    return {};
  }

  core::testing::TestFolder root_{"sqlite"};
};

TEST_F(SqliteDatabaseTest, DatabaseFilesAreOwnerOnly) {
  const auto path = root_ / "data" / "uitweg.db";
  Database database = OpenSqliteDatabase(SqliteOptions{.path = path.string()}).value();
  ASSERT_TRUE(Start(*database.conversations, "c_1"));
  EXPECT_EQ(Mode(root_ / "data"), 0700u);
  EXPECT_EQ(Mode(path), 0600u);
  EXPECT_EQ(Mode(path.string() + "-wal"), 0600u);
  EXPECT_EQ(Mode(path.string() + "-shm"), 0600u);
}

TEST_F(SqliteDatabaseTest, EmptyPathIsInvalid) {
  EXPECT_EQ(OpenSqliteDatabase(SqliteOptions{.path = ""}).error().code,
            core::Errc::invalid_argument);
}

TEST_F(SqliteDatabaseTest, EmbeddedMigrationsCountFromOne) {
  const auto migrations = Migrations();
  ASSERT_FALSE(migrations.empty());
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    EXPECT_EQ(migrations[i].version, static_cast<std::int64_t>(i + 1));
    EXPECT_FALSE(migrations[i].name.empty());
    // Each changes the schema, or the data to what a change of behaviour needs.
    const bool changes_something = migrations[i].sql.find("CREATE") != std::string_view::npos ||
                                   migrations[i].sql.find("ALTER") != std::string_view::npos ||
                                   migrations[i].sql.find("UPDATE") != std::string_view::npos;
    EXPECT_TRUE(changes_something) << migrations[i].name;
  }
}

TEST_F(SqliteDatabaseTest, FailedMigrationLeavesDatabaseUntouched) {
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

TEST_F(SqliteDatabaseTest, MigratesStepByStepAndOnlyOnce) {
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

TEST_F(SqliteDatabaseTest, NewerDatabaseNamesBothVersions) {
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

TEST_F(SqliteDatabaseTest, CheckpointerCopiesLogIntoDatabasePastThreshold) {
  auto writer = Raw();
  ASSERT_TRUE(writer->Exec("PRAGMA journal_mode = WAL; CREATE TABLE big (b BLOB)"));
  const auto path = root_ / "raw.db";
  Checkpointer checkpointer(
      Connection::Open(path.string(), Connection::Mode::read_write, 1000).value(), path.string(),
      100, 1000, std::chrono::milliseconds(1), std::chrono::hours(1));
  writer->OnCommit([&](int pages) { EXPECT_FALSE(checkpointer.Nudge(pages)); });
  const auto before = std::filesystem::file_size(path);

  ASSERT_TRUE(writer->Exec("INSERT INTO big VALUES (zeroblob(20 * 4096))"));
  writer->AfterAnswers();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(checkpointer.Runs(), 0u);
  EXPECT_EQ(std::filesystem::file_size(path), before);

  ASSERT_TRUE(writer->Exec("INSERT INTO big VALUES (zeroblob(200 * 4096))"));
  writer->AfterAnswers();
  for (int i = 0; i < 500 && checkpointer.Runs() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(checkpointer.Runs(), 1u);
  EXPECT_GE(std::filesystem::file_size(path), before + 220 * 4096);
}

// Past the restart size the writer checkpoints itself, but only after a checkpointer run that
// began once the log got there, so that the writer's own copy is short; that run does not wait
// out the gap between runs.
TEST_F(SqliteDatabaseTest, WriterRestartsTheLogAfterAFreshCheckpointerRun) {
  auto writer = Raw();
  ASSERT_TRUE(writer->Exec("PRAGMA journal_mode = WAL; CREATE TABLE big (b BLOB)"));
  const auto path = root_ / "raw.db";
  Checkpointer checkpointer(
      Connection::Open(path.string(), Connection::Mode::read_write, 1000).value(), path.string(),
      100, 200, std::chrono::hours(1), std::chrono::hours(1));
  int wal_pages = 0;
  writer->OnCommit([&](int pages) { wal_pages = pages; });
  const auto wait_for_runs = [&](std::uint64_t runs) {
    for (int i = 0; i < 1000 && checkpointer.Runs() < runs; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return checkpointer.Runs();
  };

  ASSERT_TRUE(writer->Exec("INSERT INTO big VALUES (zeroblob(150 * 4096))"));
  writer->AfterAnswers();
  ASSERT_GE(wal_pages, 100);
  ASSERT_LT(wal_pages, 200);
  EXPECT_FALSE(checkpointer.Nudge(wal_pages));
  EXPECT_EQ(wait_for_runs(1), 1u);

  ASSERT_TRUE(writer->Exec("INSERT INTO big VALUES (zeroblob(250 * 4096))"));
  writer->AfterAnswers();
  ASSERT_GE(wal_pages, 200);
  EXPECT_FALSE(checkpointer.Nudge(wal_pages));  // asks for a run, within the hour's gap
  EXPECT_EQ(wait_for_runs(2), 2u);
  EXPECT_TRUE(checkpointer.Nudge(wal_pages));
  ASSERT_TRUE(writer->CheckpointPassive());
  // The log starts over with the next commit.
  ASSERT_TRUE(writer->Exec("INSERT INTO big VALUES (zeroblob(10))"));
  writer->AfterAnswers();
  EXPECT_LT(wal_pages, 100);
  EXPECT_FALSE(checkpointer.Nudge(wal_pages));
  // A log that starts over by itself while the writer waits withdraws the wait: past the restart
  // size again, the writer waits for a run that began after that.
  EXPECT_FALSE(checkpointer.Nudge(250));
  EXPECT_EQ(wait_for_runs(3), 3u);
  EXPECT_FALSE(checkpointer.Nudge(10));
  EXPECT_FALSE(checkpointer.Nudge(250));
  EXPECT_EQ(wait_for_runs(4), 4u);
  EXPECT_TRUE(checkpointer.Nudge(250));
  // A log twice past the restart size restarts without waiting for a run.
  EXPECT_TRUE(checkpointer.Nudge(400));
}

TEST_F(SqliteDatabaseTest, StoreClosesCleanlyWithoutLeftoverLog) {
  const auto path = root_ / "uitweg.db";
  {
    Database database = OpenSqliteDatabase(SqliteOptions{.path = path.string()}).value();
    ASSERT_TRUE(Start(*database.conversations, "c_1"));
  }
  EXPECT_FALSE(std::filesystem::exists(path.string() + "-wal"));
  Database reopened = OpenSqliteDatabase(SqliteOptions{.path = path.string()}).value();
  EXPECT_TRUE(reopened.conversations->Find("c_1"));
}

// A shred rewrites the conversation's pages; the earlier versions, with its wrapped key and its
// texts, stay in the write-ahead log until the space is written over, which on a quiet service
// could take days. The log is truncated soon after a shred instead.
TEST_F(SqliteDatabaseTest, AShredLeavesNoEarlierVersionInTheLog) {
  const auto path = root_ / "uitweg.db";
  const std::string wal = path.string() + "-wal";
  auto holds = [](const std::string& file, std::string_view what) {
    std::ifstream in(file, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return bytes.find(what) != std::string::npos;
  };
  constexpr std::string_view kKey = "wrapped-key-of-c_1";
  constexpr std::string_view kText = "the words of c_1";
  Database database = OpenSqliteDatabase(SqliteOptions{.path = path.string()}).value();
  ConversationStore& store = *database.conversations;
  ASSERT_TRUE(Start(store, "c_1", "", std::string(kKey)));
  ASSERT_TRUE(Await<Appended>([&](Done<Appended> done) {
    store.Append(NewMessage{.conversation_id = "c_1",
                            .client_id = "m1",
                            .body = std::string(kText),
                            .created_at = 2},
                 done);
  }));
  ASSERT_TRUE(Await<Transition>(
      [&](Done<Transition> done) { store.End("c_1", model::EndReason::visitor, 3, done); }));
  ASSERT_TRUE(holds(wal, kText));
  ASSERT_TRUE(Await<bool>([&](Done<bool> done) { store.Shred("c_1", 4, done); }).value());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (holds(wal, kKey) || holds(wal, kText)) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline)
        << "the log still holds c_1's key or text";
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_FALSE(holds(path.string(), kKey));
  EXPECT_FALSE(holds(path.string(), kText));
  EXPECT_EQ(store.FindKey("c_1").value(), "");
}

TEST_F(SqliteDatabaseTest, EndReasonIsTakenFromTheEndedEntryOfOlderDatabases) {
  const auto path = root_ / "uitweg.db";
  {
    auto db = Connection::Open(path.string(), Connection::Mode::read_write, 1000).value();
    ASSERT_TRUE(Migrate(*db, Migrations().first(2)));
    ASSERT_TRUE(db->Exec(
        "INSERT INTO staff_account (id, username, role, display_name, password_hash, created_at)"
        " VALUES (7, 'anna', 'counsellor', 'Anna', 'h', 1);"
        "INSERT INTO conversation (id, resume_token_hash, status, subject, last_seq, created_at,"
        " counsellor_id) VALUES ('c_v', 'r1', 'ended', 'self', 1, 1, NULL),"
        " ('c_c', 'r2', 'ended', 'self', 2, 1, 7), ('c_w', 'r3', 'waiting', 'self', 0, 1, NULL);"
        "INSERT INTO message (conversation_id, seq, kind, sender, author_id, body, created_at)"
        " VALUES ('c_v', 1, 'ended', 'visitor', NULL, X'', 2),"
        " ('c_c', 1, 'accepted', 'system', 7, X'', 2), ('c_c', 2, 'ended', 'counsellor', 7, X'', "
        "3)"));
  }
  Database database = OpenSqliteDatabase(SqliteOptions{.path = path.string()}).value();
  EXPECT_EQ(database.conversations->Find("c_v").value().end_reason, model::EndReason::visitor);
  EXPECT_EQ(database.conversations->Find("c_c").value().end_reason, model::EndReason::counsellor);
  EXPECT_FALSE(database.conversations->Find("c_w").value().end_reason);
}

// Before referrals were one per entry, a retry could record a second one: of two, the one kept
// is the completed one.
TEST_F(SqliteDatabaseTest, TwoReferralsOnOneEntryBecomeOne) {
  const auto path = root_ / "uitweg.db";
  {
    auto db = Connection::Open(path.string(), Connection::Mode::read_write, 1000).value();
    // Up to the migration before the one that made them one.
    const auto migrations = Migrations();
    const auto unique = std::find_if(migrations.begin(), migrations.end(), [](const auto& each) {
      return each.name.find("referral_entry_unique") != std::string_view::npos;
    });
    ASSERT_NE(unique, migrations.end());
    ASSERT_TRUE(
        Migrate(*db, migrations.first(static_cast<std::size_t>(unique - migrations.begin()))));
    ASSERT_TRUE(db->Exec(
        "INSERT INTO staff_account (id, username, role, display_name, password_hash, created_at)"
        " VALUES (7, 'anna', 'counsellor', 'Anna', 'h', 1);"
        "INSERT INTO conversation (id, resume_token_hash, status, subject, last_seq, created_at)"
        " VALUES ('c_1', 'r1', 'ended', 'self', 9, 1);"
        "INSERT INTO organisation (id, name, description, region, contact_person, contact_phone,"
        " contact_email, active, updated_at) VALUES (3, 'Jeugdzorg', '', '', '', '', '', 1, 1);"
        "INSERT INTO referral (id, conversation_id, organisation_id, counsellor_id, status,"
        " details_seq, created_at, updated_at, updated_by) VALUES"
        " (1, 'c_1', 3, 7, 'completed', 8, 1, 5, 7), (2, 'c_1', 3, 7, 'proposed', 8, 2, 6, 7),"
        " (3, 'c_1', 3, 7, 'proposed', 9, 3, 3, 7)"));
  }
  Database database = OpenSqliteDatabase(SqliteOptions{.path = path.string()}).value();
  const auto referrals = database.handovers->ListReferrals(0, 10).value();
  ASSERT_EQ(referrals.size(), 2u);
  EXPECT_EQ(database.handovers->FindReferralOn("c_1", 8).value().id, 1);
  EXPECT_EQ(database.handovers->FindReferralOn("c_1", 9).value().id, 3);
}

TEST_F(SqliteDatabaseTest, KeysAndNicknamesAreStoredByteForByte) {
  const std::string key("\0wrapped\xff key", 13);
  const std::string nickname("\xfe\0nick", 6);
  Database database =
      OpenSqliteDatabase(SqliteOptions{.path = (root_ / "uitweg.db").string()}).value();
  ConversationStore& store = *database.conversations;
  ASSERT_TRUE(Start(store, "c_1", nickname, key));
  ASSERT_TRUE(Start(store, "c_2"));
  EXPECT_EQ(store.FindKey("c_1").value(), key);
  EXPECT_EQ(store.Find("c_1").value().nickname, nickname);
  EXPECT_EQ(store.FindKey("c_2").value(), "");
}

}  // namespace
}  // namespace uitweg::store::sqlite
