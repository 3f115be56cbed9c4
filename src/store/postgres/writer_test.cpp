// The group-commit writer on PostgreSQL, whose connection sends the transaction's own statements
// along with the next statement (kDefersControl: the previous RELEASE, the SAVEPOINT and a unit's
// statement in one pipeline). A unit that fails is rolled back alone wherever it stands in the
// batch, also last, also when it ran no statement, and the others commit. A unit whose row another
// transaction holds is set aside rather than holding up its batch. And the connection's
// Precede itself: kept statements run before the next one, a failing one spoils nothing silently.

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <latch>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "store/group_commit/testing/held_writer.hpp"
#include "store/postgres/connections.hpp"
#include "support/postgres_test.hpp"

namespace uitweg::store::postgres {
namespace {

class PostgresWriterTest : public support::PostgresDatabaseTest {
 protected:
  void SetUp() override {
    PostgresDatabaseTest::SetUp();
    if (HasFatalFailure()) return;
    auto connection = Connection::Open(url_);
    ASSERT_TRUE(connection) << connection.error().message;
    ASSERT_TRUE((*connection)->Exec("CREATE TABLE item (k TEXT UNIQUE)"));
    writer_ = std::make_unique<Writer>(std::move(*connection), 64);
  }
  void TearDown() override {
    writer_.reset();
    PostgresDatabaseTest::TearDown();
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

// Units of one statement share a pipeline. The first whose statement was not all it needed is
// rolled back to its savepoint together with every unit after it; it runs its whole work, and the
// others' statements go again, each once: a clash (1), a statement whose answer asks for the whole
// work (3, whose statement's row must vanish), a unit of the usual kind in between (4).
TEST_F(PostgresWriterTest, StatementUnitsShareAPipelineAndOneThatNeedsMoreRunsWhole) {
  struct Planned {
    std::string statement_key;  // what the statement inserts
    bool accepted;              // whether its answer finishes the unit
    std::string work_key;       // what the whole work inserts
  };
  const std::vector<Planned> planned = {{"a", true, "a"},   {"a", true, "a"}, {"b", true, "b"},
                                        {"c", false, "c2"}, {"", true, "d"},  {"e", true, "e"}};
  std::vector<std::promise<core::Result<std::string>>> answers(planned.size());
  std::latch open(1);
  std::thread blocker = BlockWriter(open);
  for (std::size_t i = 0; i < planned.size(); ++i) {
    const Planned& unit = planned[i];
    auto done = [&answers, i](core::Result<std::string> result) { answers[i].set_value(result); };
    auto work = [key = unit.work_key](Connection& db) -> core::Result<std::string> {
      UITWEG_TRY(Insert(db, key));
      return key;
    };
    if (unit.statement_key.empty()) {
      writer_->Submit<std::string>(work, done, "k" + std::to_string(i));
    } else {
      writer_->SubmitStatement<std::string>(
          [key = unit.statement_key](Connection& db) {
            const Param params[] = {key};
            db.Send("INSERT INTO item (k) VALUES ($1) RETURNING k", params);
          },
          [accepted = unit.accepted](Result<Rows>& inserted) -> std::optional<std::string> {
            if (!inserted || !accepted) return std::nullopt;
            return (*inserted)[0].Text(0);
          },
          work, done, "k" + std::to_string(i));
    }
    WaitPending(i + 1);
  }
  open.count_down();
  blocker.join();
  std::vector<core::Result<std::string>> results;
  for (auto& answer : answers) results.push_back(answer.get_future().get());
  EXPECT_EQ(results[0].value(), "a");
  ASSERT_FALSE(results[1]);
  EXPECT_EQ(results[1].error().code, core::Errc::already_exists);
  EXPECT_EQ(results[2].value(), "b");
  EXPECT_EQ(results[3].value(), "c2");
  EXPECT_EQ(results[4].value(), "d");
  EXPECT_EQ(results[5].value(), "e");
  EXPECT_EQ(Items(), (std::vector<std::string>{"a", "b", "c2", "d", "e"}));
  const WriterStats stats = writer_->Stats();
  EXPECT_EQ(stats.batches, 2u) << "the blocker's batch, then the six units'";
  EXPECT_EQ(stats.pipelined, 3u) << "a, b and e were finished by their statement";
}

// Every unit needs more than its statement: each pipeline stops at its first unit, until the batch
// has sent kPipelineSends times its units and the rest goes one unit at a time. Every unit is
// still answered once, with its whole work, and no statement's row stays.
TEST_F(PostgresWriterTest, ABatchOfUnitsThatAllNeedMoreRunsEachWholeOnce) {
  constexpr std::size_t kUnits = 8;
  std::vector<std::promise<core::Result<std::string>>> answers(kUnits);
  std::latch open(1);
  std::thread blocker = BlockWriter(open);
  for (std::size_t i = 0; i < kUnits; ++i) {
    const std::string key = "k" + std::to_string(i);
    writer_->SubmitStatement<std::string>(
        [key](Connection& db) {
          const Param params[] = {key + "-statement"};
          db.Send("INSERT INTO item (k) VALUES ($1)", params);
        },
        [](Result<Rows>&) -> std::optional<std::string> { return std::nullopt; },
        [key](Connection& db) -> core::Result<std::string> {
          UITWEG_TRY(Insert(db, key));
          return key;
        },
        [&answers, i](core::Result<std::string> result) { answers[i].set_value(result); }, key);
    WaitPending(i + 1);
  }
  open.count_down();
  blocker.join();
  std::vector<std::string> expected;
  for (std::size_t i = 0; i < kUnits; ++i) {
    EXPECT_EQ(answers[i].get_future().get().value(), "k" + std::to_string(i));
    expected.push_back("k" + std::to_string(i));
  }
  EXPECT_EQ(Items(), expected) << "no statement's row may stay";
  EXPECT_EQ(writer_->Stats().pipelined, 0u);
}

// Another transaction (another node's writer, say) holds a row. A unit that needs it, asked not
// to wait, answers at once (NOWAIT: deadline_exceeded) and is set aside, so the rest of its batch
// commits; after kSetAsideLimit tries it waits for the row like any other unit.
TEST_F(PostgresWriterTest, AUnitWhoseRowIsHeldElsewhereDoesNotHoldUpItsBatch) {
  std::mutex mu;
  std::vector<bool> x_waited;  // WaitsForLocks at each of x's runs
  std::promise<Status> x_done;
  std::promise<Status> y_done;
  // However the test ends, the other transaction ends first, then the writer finishes its units,
  // while what they use still exists.
  struct CloseWriter {
    std::unique_ptr<Writer>& writer;
    ~CloseWriter() { writer.reset(); }
  } close_writer{writer_};
  auto other = Connection::Open(url_);
  ASSERT_TRUE(other) << other.error().message;
  ASSERT_TRUE((*other)->Exec("INSERT INTO item (k) VALUES ('x'), ('y')"));
  ASSERT_TRUE((*other)->Exec("BEGIN; SELECT k FROM item WHERE k = 'x' FOR UPDATE"));
  auto bump = [&](std::string key) {
    return [&, key](Connection& db) -> Status {
      if (key == "x") {
        std::lock_guard lock(mu);
        x_waited.push_back(db.WaitsForLocks());
      }
      auto bumped =
          db.Query(db.WaitsForLocks() ? "UPDATE item SET k = k || '+' WHERE k = $1"
                                      : "UPDATE item SET k = k || '+' WHERE k ="
                                        " (SELECT k FROM item WHERE k = $1 FOR UPDATE NOWAIT)",
                   {key});
      if (!bumped) return bumped.error();
      return {};
    };
  };
  writer_->Submit<void>(
      bump("x"), [&](Status done) { x_done.set_value(done); }, "c_x");
  writer_->Submit<void>(
      bump("y"), [&](Status done) { y_done.set_value(done); }, "c_y");
  auto y_answer = y_done.get_future();
  ASSERT_EQ(y_answer.wait_for(std::chrono::seconds(60)), std::future_status::ready)
      << "y waits behind x, whose row is held";
  EXPECT_TRUE(y_answer.get());
  const auto x_runs = [&] {
    std::lock_guard lock(mu);
    return x_waited.size();
  };
  const auto all_runs = static_cast<std::size_t>(Writer::kSetAsideLimit) + 1;
  auto x_answer = x_done.get_future();
  while (x_runs() < all_runs &&
         x_answer.wait_for(std::chrono::milliseconds(1)) == std::future_status::timeout) {
  }
  EXPECT_EQ(x_answer.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout)
      << "x's last run waits for the row";
  ASSERT_TRUE((*other)->Exec("COMMIT"));
  EXPECT_TRUE(x_answer.get());
  std::vector<bool> expected(all_runs, false);
  expected.back() = true;
  EXPECT_EQ(x_waited, expected);
  EXPECT_EQ(writer_->Stats().set_aside, static_cast<std::uint64_t>(Writer::kSetAsideLimit));
  EXPECT_EQ(Items(), (std::vector<std::string>{"x+", "y+"}));
}

TEST_F(PostgresWriterTest, OnlyUnitsWithALockKeyAreAskedNotToWaitForLocks) {
  std::optional<bool> keyless_waits;
  std::optional<bool> keyed_waits;
  ASSERT_TRUE(writer_->Run<void>([&](Connection& db) -> Status {
    keyless_waits = db.WaitsForLocks();
    return {};
  }));
  ASSERT_TRUE(writer_->Run<void>(
      [&](Connection& db) -> Status {
        keyed_waits = db.WaitsForLocks();
        return {};
      },
      "c_1"));
  EXPECT_EQ(keyless_waits, true) << "it could not be set aside, so its error would be final";
  EXPECT_EQ(keyed_waits, false);
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
