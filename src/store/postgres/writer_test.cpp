// The group-commit writer on PostgreSQL, whose connection sends the transaction's own statements
// along with the next statement (kDefersControl: the previous RELEASE, the SAVEPOINT and a unit's
// statement in one pipeline). A unit that fails is rolled back alone wherever it stands in the
// batch, also last, also when it ran no statement, and the others commit. And the connection's
// Precede itself: kept statements run before the next one, a failing one spoils nothing silently.

#include <gtest/gtest.h>

#include <chrono>
#include <latch>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "store/group_commit/testing/held_writer.hpp"
#include "store/postgres/connections.hpp"
#include "support/postgres_server.hpp"

namespace uitweg::store::postgres {
namespace {

class PostgresWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = support::TestPostgresUrl();
    ASSERT_TRUE(server) << server.error().message;
    auto url = support::CreateDatabase(*server);
    ASSERT_TRUE(url) << url.error().message;
    url_ = *url;
    auto connection = Connection::Open(url_);
    ASSERT_TRUE(connection) << connection.error().message;
    ASSERT_TRUE((*connection)->Exec("CREATE TABLE item (k TEXT UNIQUE)"));
    writer_ = std::make_unique<Writer>(std::move(*connection), 64);
  }
  void TearDown() override {
    writer_.reset();
    if (!url_.empty()) (void)support::DropDatabase(url_);
  }

  static Status Insert(Connection& db, const std::string& key) {
    auto inserted = db.Query("INSERT INTO item (k) VALUES ($1)", {key});
    if (!inserted) return inserted.error();
    return {};
  }

  std::vector<std::string> Items() {
    auto reader = Connection::Open(url_).value();
    auto rows = reader->Query("SELECT k FROM item ORDER BY k").value();
    std::vector<std::string> keys;
    for (int i = 0; i < rows.size(); ++i) keys.push_back(rows[i].Text(0));
    return keys;
  }

  std::thread BlockWriter(std::latch& open) { return testing::HoldWriter(*writer_, open); }
  void WaitPending(std::size_t count) { testing::WaitPending(*writer_, count); }

  std::string url_;
  std::unique_ptr<Writer> writer_;
};

TEST_F(PostgresWriterTest, AFailingUnitIsRolledBackAloneAlsoWhenItComesLast) {
  std::latch open(1);
  std::thread blocker = BlockWriter(open);
  // a; then b and a clash on a (its b must vanish); c; then d and a clash again, last.
  const std::vector<std::vector<std::string>> units = {{"a"}, {"b", "a"}, {"c"}, {"d", "a"}};
  std::vector<Status> results(units.size());
  std::vector<std::thread> callers;
  for (std::size_t i = 0; i < units.size(); ++i) {
    callers.emplace_back([&, i] {
      results[i] = writer_->Run<void>([&, i](Connection& db) -> Status {
        for (const std::string& key : units[i]) UITWEG_TRY(Insert(db, key));
        return {};
      });
    });
    WaitPending(i + 1);
  }
  open.count_down();
  blocker.join();
  for (std::thread& caller : callers) caller.join();
  EXPECT_TRUE(results[0]);
  ASSERT_FALSE(results[1]);
  EXPECT_EQ(results[1].error().code, core::Errc::already_exists);
  EXPECT_TRUE(results[2]);
  ASSERT_FALSE(results[3]);
  EXPECT_EQ(results[3].error().code, core::Errc::already_exists);
  EXPECT_EQ(writer_->Stats().batches, 2u) << "the blocker's batch, then the four units'";
  EXPECT_EQ(Items(), (std::vector<std::string>{"a", "c"}));
}

TEST_F(PostgresWriterTest, UnitsThatRunNoStatementKeepTheBatchInOrder) {
  std::latch open(1);
  std::thread blocker = BlockWriter(open);
  // a; a unit that refuses before any statement; one that does nothing; b; a refusal, last.
  const std::vector<std::string> units = {"a", "!", "", "b", "!"};
  std::vector<Status> results(units.size());
  std::vector<std::thread> callers;
  for (std::size_t i = 0; i < units.size(); ++i) {
    callers.emplace_back([&, i] {
      results[i] = writer_->Run<void>([&, i](Connection& db) -> Status {
        if (units[i] == "!") return core::Fail(core::Errc::failed_precondition, "refused");
        if (units[i].empty()) return {};
        return Insert(db, units[i]);
      });
    });
    WaitPending(i + 1);
  }
  open.count_down();
  blocker.join();
  for (std::thread& caller : callers) caller.join();
  EXPECT_TRUE(results[0]);
  EXPECT_EQ(results[1].error().code, core::Errc::failed_precondition);
  EXPECT_TRUE(results[2]);
  EXPECT_TRUE(results[3]);
  EXPECT_EQ(results[4].error().code, core::Errc::failed_precondition);
  EXPECT_EQ(writer_->Stats().batches, 2u);
  EXPECT_EQ(Items(), (std::vector<std::string>{"a", "b"}));
}

class PrecedeTest : public PostgresWriterTest {
 protected:
  void SetUp() override {
    PostgresWriterTest::SetUp();
    writer_.reset();
    auto connection = Connection::Open(url_);
    ASSERT_TRUE(connection) << connection.error().message;
    db_ = std::move(*connection);
    // Prepared, so that the tests' inserts go in a pipeline with what was kept.
    ASSERT_TRUE(db_->Exec("BEGIN"));
    ASSERT_TRUE(Insert(*db_, "prepared"));
    ASSERT_TRUE(db_->Exec("ROLLBACK"));
  }
  std::unique_ptr<Connection> db_;
};

TEST_F(PrecedeTest, KeptStatementsRunBeforeTheNextQuery) {
  db_->Precede("BEGIN");
  db_->Precede("SAVEPOINT unit");
  ASSERT_TRUE(Insert(*db_, "a"));
  EXPECT_TRUE(db_->InTransaction());
  EXPECT_TRUE(Items().empty()) << "not committed yet";
  db_->Precede("RELEASE unit");
  ASSERT_TRUE(db_->Exec("COMMIT"));
  EXPECT_FALSE(db_->InTransaction());
  EXPECT_EQ(Items(), (std::vector<std::string>{"a"}));
}

TEST_F(PrecedeTest, AStatementsFirstUseRunsTheKeptRollbackFirst) {
  db_->Precede("BEGIN");
  db_->Precede("SAVEPOINT unit");
  ASSERT_TRUE(Insert(*db_, "a"));
  db_->Precede("RELEASE unit");
  db_->Precede("SAVEPOINT unit");
  ASSERT_EQ(Insert(*db_, "a").error().code, core::Errc::already_exists);
  db_->Precede("ROLLBACK TO unit");
  db_->Precede("RELEASE unit");
  db_->Precede("SAVEPOINT unit");
  // Never run on this connection: it is prepared, which an aborted transaction would refuse.
  auto fresh = db_->Query("INSERT INTO item (k) VALUES ($1 || '!')", {"b"});
  ASSERT_TRUE(fresh) << fresh.error().message;
  db_->Precede("RELEASE unit");
  ASSERT_TRUE(db_->Exec("COMMIT"));
  EXPECT_EQ(Items(), (std::vector<std::string>{"a", "b!"}));
}

TEST_F(PrecedeTest, AFailingKeptStatementRollsTheWholeTransactionBack) {
  db_->Precede("BEGIN");
  db_->Precede("SAVEPOINT unit");
  ASSERT_TRUE(Insert(*db_, "a"));
  db_->Precede("RELEASE unit");
  db_->Precede("RELEASE no_such_savepoint");
  db_->Precede("SAVEPOINT unit");
  auto failed = Insert(*db_, "b");
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message.find("no_such_savepoint"), std::string::npos)
      << failed.error().message;
  EXPECT_FALSE(db_->InTransaction()) << "a later ROLLBACK TO must not reach an older savepoint";
  ASSERT_TRUE(Insert(*db_, "c")) << "the connection is usable again";
  EXPECT_EQ(Items(), (std::vector<std::string>{"c"}));
}

TEST_F(PrecedeTest, InTransactionRunsWhatWasKept) {
  db_->Precede("BEGIN");
  EXPECT_TRUE(db_->InTransaction());
  db_->Precede("ROLLBACK");
  EXPECT_FALSE(db_->InTransaction());
}

}  // namespace
}  // namespace uitweg::store::postgres
