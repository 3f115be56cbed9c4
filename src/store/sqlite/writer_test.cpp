#include "store/sqlite/writer.hpp"
#include "core/testing/test_folder.hpp"

#include "core/testing/task_thread.hpp"
#include "store/group_commit/testing/held_writer.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <future>
#include <latch>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace uitweg::store::sqlite {
namespace {

class WriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (folder_ / "w.db").string();
    auto connection = Connection::Open(path_, Connection::Mode::read_write, 1000).value();
    ASSERT_TRUE(connection->Exec("PRAGMA journal_mode = WAL; CREATE TABLE item (k TEXT UNIQUE)"));
    writer_ = std::make_unique<Writer>(std::move(connection), 64);
  }
  void TearDown() override { writer_.reset(); }

  static Status Insert(Connection& db, const std::string& key) {
    auto insert = db.Prepare("INSERT INTO item (k) VALUES (?1)");
    if (!insert) return insert.error();
    return insert->Bind(1, key).Run();
  }

  std::int64_t CountItems() {
    auto reader = Connection::Open(path_, Connection::Mode::read_only, 1000).value();
    return std::stoll(reader->QueryText("SELECT COUNT(*) FROM item").value());
  }

  // submit(i, key, unit) submits `unit` under `key`; its answer goes to results[i], and counts
  // down `answered`.
  auto SubmitInto(std::vector<Status>& results, std::latch& answered) {
    return [this, &results, &answered](std::size_t i, std::string key,
                                       std::function<Status(Connection&)> unit) {
      writer_->Submit<void>(
          std::move(unit),
          [&results, &answered, i](Status done) {
            results[i] = done;
            answered.count_down();
          },
          std::move(key));
    };
  }

  std::thread BlockWriter(std::latch& open) { return testing::HoldWriter(*writer_, open); }
  void WaitPending(std::size_t count) { testing::WaitPending(*writer_, count); }

  core::testing::TestFolder folder_{"writer"};
  std::string path_;
  std::unique_ptr<Writer> writer_;
};

TEST_F(WriterTest, QueuedUnitsShareOneCommit) {
  std::latch open(1);
  std::thread blocker = BlockWriter(open);
  std::vector<std::thread> callers;
  for (int i = 0; i < 10; ++i) {
    callers.emplace_back([this, i] {
      EXPECT_TRUE(
          writer_->Run<void>([i](Connection& db) { return Insert(db, std::to_string(i)); }));
    });
  }
  WaitPending(10);
  open.count_down();
  blocker.join();
  for (auto& caller : callers) caller.join();
  EXPECT_EQ(writer_->Stats().batches, 2u);
  EXPECT_EQ(writer_->Stats().units, 11u);
  EXPECT_EQ(CountItems(), 10);
}

TEST_F(WriterTest, FailingUnitIsRolledBackAlone) {
  std::latch open(1);
  std::thread blocker = BlockWriter(open);
  std::vector<Status> results(3);
  std::vector<std::thread> callers;
  callers.emplace_back(
      [&] { results[0] = writer_->Run<void>([](Connection& db) { return Insert(db, "a"); }); });
  WaitPending(1);
  // Inserts "b", then clashes on "a": its own "b" must vanish, the others' rows must stay.
  callers.emplace_back([&] {
    results[1] = writer_->Run<void>([](Connection& db) -> Status {
      UITWEG_TRY(Insert(db, "b"));
      return Insert(db, "a");
    });
  });
  WaitPending(2);
  callers.emplace_back(
      [&] { results[2] = writer_->Run<void>([](Connection& db) { return Insert(db, "c"); }); });
  WaitPending(3);
  open.count_down();
  blocker.join();
  for (auto& caller : callers) caller.join();
  EXPECT_TRUE(results[0]);
  ASSERT_FALSE(results[1]);
  EXPECT_EQ(results[1].error().code, core::Errc::already_exists);
  EXPECT_TRUE(results[2]);
  EXPECT_EQ(writer_->Stats().batches, 2u);
  EXPECT_EQ(CountItems(), 2);
}

// A unit the database could not write (disk full) fails its batch whole: a later unit of the
// same conversation must not commit ahead of the one that will be sent again.
TEST_F(WriterTest, AUnitTheDatabaseCouldNotWriteFailsItsWholeBatch) {
  std::latch open(1);
  std::thread blocker = BlockWriter(open);
  std::vector<Status> results(3);
  std::latch answered(3);
  const auto submit = SubmitInto(results, answered);
  submit(0, "c_1", [](Connection& db) { return Insert(db, "first"); });
  submit(1, "c_2", [](Connection& db) -> Status {
    UITWEG_TRY(Insert(db, "second"));
    return core::Fail(core::Errc::unavailable, "database or disk is full");
  });
  submit(2, "c_2", [](Connection& db) { return Insert(db, "third"); });
  open.count_down();
  blocker.join();
  answered.wait();
  for (const Status& result : results) {
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, core::Errc::unavailable);
  }
  EXPECT_EQ(CountItems(), 0);
}

// A unit that failed unexpectedly fails the later units of its key in the batch too: sent again,
// it would otherwise come after them. Other keys' units commit.
TEST_F(WriterTest, AUnitThatFailedUnexpectedlyFailsTheLaterUnitsOfItsKey) {
  std::latch open(1);
  std::thread blocker = BlockWriter(open);
  std::vector<Status> results(4);
  std::latch answered(4);
  const auto submit = SubmitInto(results, answered);
  submit(0, "c_1", [](Connection& db) { return Insert(db, "before"); });
  submit(1, "c_1", [](Connection& db) -> Status {
    UITWEG_TRY(Insert(db, "failing"));
    return core::Fail(core::Errc::internal, "an unexpected answer");
  });
  submit(2, "c_1", [](Connection& db) { return Insert(db, "after"); });
  submit(3, "c_2", [](Connection& db) { return Insert(db, "other"); });
  open.count_down();
  blocker.join();
  answered.wait();
  EXPECT_TRUE(results[0]);
  for (const std::size_t failed : {1u, 2u}) {
    ASSERT_FALSE(results[failed]) << failed;
    EXPECT_EQ(results[failed].error().code, core::Errc::internal);
  }
  EXPECT_TRUE(results[3]);
  EXPECT_EQ(CountItems(), 2);
}

TEST_F(WriterTest, UnitsRunOrderedByLockKeyKeepingTheirOrderWithinAKey) {
  std::latch open(1);
  std::thread blocker = BlockWriter(open);
  std::mutex mu;
  std::vector<std::string> ran;
  std::latch answered(5);
  auto submit = [&](std::string key, std::string name) {
    writer_->Submit<void>(
        [&, name](Connection&) -> Status {
          std::lock_guard lock(mu);
          ran.push_back(name);
          return {};
        },
        [&](Status) { answered.count_down(); }, std::move(key));
  };
  submit("c_2", "y1");
  submit("c_1", "x1");
  submit("c_2", "y2");
  submit("", "account");
  submit("c_1", "x2");
  open.count_down();
  blocker.join();
  answered.wait();
  EXPECT_EQ(ran, (std::vector<std::string>{"account", "x1", "x2", "y1", "y2"}));
}

TEST_F(WriterTest, ABatchTheDatabaseAbortsRunsAgainWhole) {
  std::latch open(1);
  std::thread blocker = BlockWriter(open);
  std::atomic<int> attempts{0};
  std::vector<Status> results(2);
  std::latch answered(2);
  writer_->Submit<void>([](Connection& db) { return Insert(db, "kept"); },
                        [&](Status done) {
                          results[0] = done;
                          answered.count_down();
                        });
  writer_->Submit<void>(
      [&](Connection& db) -> Status {
        UITWEG_TRY(Insert(db, "once"));
        if (attempts.fetch_add(1) == 0) return core::Fail(core::Errc::aborted, "deadlock");
        return {};
      },
      [&](Status done) {
        results[1] = done;
        answered.count_down();
      });
  open.count_down();
  blocker.join();
  answered.wait();
  EXPECT_TRUE(results[0]);
  EXPECT_TRUE(results[1]);
  EXPECT_EQ(attempts.load(), 2);
  EXPECT_EQ(writer_->Stats().retries, 1u);
  EXPECT_EQ(CountItems(), 2) << "the first attempt was rolled back whole";
}

// A unit may answer that another writer holds its row (deadline_exceeded; several nodes on
// PostgreSQL). Here the unit says so itself, since SQLite has one writer.
TEST_F(WriterTest, AUnitWhoseRowIsHeldIsSetAsideWithItsKeysLaterUnitsForTheNextBatch) {
  std::latch open(1);
  std::thread blocker = BlockWriter(open);
  std::mutex mu;
  std::vector<std::string> ran;
  std::vector<std::string> answers;
  std::latch answered(4);
  int x1_runs = 0;
  auto submit = [&](std::string key, std::string name) {
    writer_->Submit<void>(
        [&, name](Connection& db) -> Status {
          {
            std::lock_guard lock(mu);
            ran.push_back(name);
          }
          UITWEG_TRY(Insert(db, name));
          if (name == "x1" && ++x1_runs == 1) {
            return core::Fail(core::Errc::deadline_exceeded, "row held");
          }
          return {};
        },
        [&, name](Status done) {
          EXPECT_TRUE(done) << name;
          {
            std::lock_guard lock(mu);
            answers.push_back(name);
          }
          answered.count_down();
        },
        std::move(key));
  };
  submit("c_1", "x1");
  submit("c_2", "y1");
  submit("c_1", "x2");
  submit("", "account");
  open.count_down();
  blocker.join();
  answered.wait();
  EXPECT_EQ(ran, (std::vector<std::string>{"account", "x1", "y1", "x1", "x2"}))
      << "x2 must not run before x1, and x1's first run is rolled back";
  EXPECT_EQ(answers, (std::vector<std::string>{"account", "y1", "x1", "x2"}));
  EXPECT_EQ(writer_->Stats().set_aside, 2u);
  EXPECT_EQ(writer_->Stats().batches, 3u) << "the blocker's, then the batch, then x's";
  EXPECT_EQ(writer_->Stats().units, 5u);
  EXPECT_EQ(CountItems(), 4);
}

TEST_F(WriterTest, AUnitSetAsideTooOftenRunsOnceMoreAndGetsItsAnswer) {
  std::atomic<int> runs{0};
  auto held = [&](Connection&) -> Status {
    ++runs;
    return core::Fail(core::Errc::deadline_exceeded, "row held");
  };
  const Status keyed = writer_->Run<void>(held, "c_1");
  ASSERT_FALSE(keyed);
  EXPECT_EQ(keyed.error().code, core::Errc::deadline_exceeded);
  EXPECT_EQ(runs.load(), Writer::kSetAsideLimit + 1);
  EXPECT_EQ(writer_->Stats().set_aside, static_cast<std::uint64_t>(Writer::kSetAsideLimit));

  runs = 0;
  const Status keyless = writer_->Run<void>(held);
  ASSERT_FALSE(keyless);
  EXPECT_EQ(runs.load(), 1) << "a unit without a lock key is never set aside";
}

TEST_F(WriterTest, ABatchRunAgainWholeForgetsWhatItsFirstAttemptSetAside) {
  std::latch open(1);
  std::thread blocker = BlockWriter(open);
  std::mutex mu;
  std::vector<std::string> answers;
  std::latch answered(2);
  int attempts = 0;
  auto answer = [&](std::string name) {
    return [&, name](Status done) {
      EXPECT_TRUE(done) << name;
      {
        std::lock_guard lock(mu);
        answers.push_back(name);
      }
      answered.count_down();
    };
  };
  // The first attempt sets "x" aside, then aborts; the second finds x's row free.
  writer_->Submit<void>(
      [&](Connection& db) -> Status {
        UITWEG_TRY(Insert(db, "x"));
        if (attempts == 0) return core::Fail(core::Errc::deadline_exceeded, "row held");
        return {};
      },
      answer("x"), "c_1");
  writer_->Submit<void>(
      [&](Connection& db) -> Status {
        UITWEG_TRY(Insert(db, "y"));
        if (attempts++ == 0) return core::Fail(core::Errc::aborted, "deadlock");
        return {};
      },
      answer("y"), "c_2");
  open.count_down();
  blocker.join();
  answered.wait();
  EXPECT_EQ(answers, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(writer_->Stats().set_aside, 0u);
  EXPECT_EQ(writer_->Stats().retries, 1u);
  EXPECT_EQ(writer_->Stats().batches, 2u);
  EXPECT_EQ(CountItems(), 2);
}

TEST_F(WriterTest, ThrowingUnitBecomesInternalError) {
  auto thrown =
      writer_->Run<int>([](Connection&) -> Result<int> { throw std::runtime_error("bug"); });
  ASSERT_FALSE(thrown);
  EXPECT_EQ(thrown.error().code, core::Errc::internal);
  EXPECT_EQ(writer_->Run<int>([](Connection&) -> Result<int> { return 7; }).value(), 7);
}

TEST_F(WriterTest, DestructionFinishesQueuedUnits) {
  std::latch open(1);
  std::thread blocker = BlockWriter(open);
  std::vector<std::thread> callers;
  for (int i = 0; i < 5; ++i) {
    callers.emplace_back([this, i] {
      EXPECT_TRUE(
          writer_->Run<void>([i](Connection& db) { return Insert(db, std::to_string(i)); }));
    });
  }
  WaitPending(5);
  std::thread closer([this] { writer_.reset(); });
  open.count_down();
  closer.join();
  blocker.join();
  for (auto& caller : callers) caller.join();
  EXPECT_EQ(CountItems(), 5);
}

TEST_F(WriterTest, SubmitFromOneThreadFillsOneBatchAndAnswersInOrderAfterCommit) {
  std::latch open(1);
  std::thread blocker = BlockWriter(open);
  constexpr int kUnits = 40;
  std::mutex mu;
  std::vector<int> answered;
  std::vector<std::int64_t> visible;  // rows a reader sees when each answer comes
  for (int i = 0; i < kUnits; ++i) {
    writer_->Submit<int>(
        [i](Connection& db) -> Result<int> {
          UITWEG_TRY(Insert(db, std::to_string(i)));
          return i;
        },
        [&, this](Result<int> result) {
          const std::int64_t rows = CountItems();
          std::lock_guard lock(mu);
          answered.push_back(result.value());
          visible.push_back(rows);
        });
  }
  EXPECT_EQ(writer_->Pending(), static_cast<std::size_t>(kUnits));
  open.count_down();
  blocker.join();
  writer_->Close();
  ASSERT_EQ(answered.size(), static_cast<std::size_t>(kUnits));
  for (int i = 0; i < kUnits; ++i) {
    EXPECT_EQ(answered[static_cast<std::size_t>(i)], i);
    EXPECT_EQ(visible[static_cast<std::size_t>(i)], kUnits);
  }
  EXPECT_EQ(writer_->Stats().batches, 2u);
}

TEST_F(WriterTest, SubmittedUnitsAreAnsweredOnTheCompletionsExecutorOneTaskPerBatch) {
  core::testing::TaskThread completions;
  std::atomic<int> tasks{0};
  auto connection = Connection::Open(path_, Connection::Mode::read_write, 1000).value();
  Writer writer(std::move(connection), 64, std::chrono::microseconds(0),
                [&tasks, post = completions.post()](core::Task task) {
                  ++tasks;
                  post(std::move(task));
                });
  std::latch open(1);
  std::latch entered(1);
  std::thread blocker([&] {
    EXPECT_TRUE(writer.Run<void>([&](Connection&) -> Status {
      entered.count_down();
      open.wait();
      return {};
    }));
  });
  entered.wait();
  constexpr int kUnits = 20;
  std::mutex mu;
  std::vector<int> answered;
  std::vector<std::thread::id> answered_on;
  for (int i = 0; i < kUnits; ++i) {
    writer.Submit<int>(
        [i](Connection& db) -> Result<int> {
          UITWEG_TRY(Insert(db, "s" + std::to_string(i)));
          return i;
        },
        [&](Result<int> result) {
          std::lock_guard lock(mu);
          answered.push_back(result.value());
          answered_on.push_back(std::this_thread::get_id());
        });
  }
  open.count_down();
  blocker.join();
  writer.Close();
  completions.Drain();
  ASSERT_EQ(answered.size(), static_cast<std::size_t>(kUnits));
  std::thread::id completion_thread;
  completions.post()([&] { completion_thread = std::this_thread::get_id(); });
  completions.Drain();
  for (int i = 0; i < kUnits; ++i) {
    EXPECT_EQ(answered[static_cast<std::size_t>(i)], i);
    EXPECT_EQ(answered_on[static_cast<std::size_t>(i)], completion_thread);
  }
  EXPECT_EQ(tasks.load(), static_cast<int>(writer.Stats().batches) - 1)
      << "one task per batch of submitted units; the blocking Run's batch needs none";
}

TEST_F(WriterTest, SubmitAfterCloseAnswersUnavailableAtOnce) {
  writer_->Close();
  std::optional<Result<int>> answer;
  writer_->Submit<int>([](Connection&) -> Result<int> { return 1; },
                       [&](Result<int> result) { answer.emplace(std::move(result)); });
  ASSERT_TRUE(answer.has_value());
  ASSERT_FALSE(*answer);
  EXPECT_EQ(answer->error().code, core::Errc::unavailable);
}

// A checkpoint the commit hook runs must not hold up the answers of the batch that committed.
TEST_F(WriterTest, TheCommitHookRunsAfterTheCommittedBatchIsAnswered) {
  auto connection =
      Connection::Open((folder_ / "hook.db").string(), Connection::Mode::read_write, 1000).value();
  ASSERT_TRUE(connection->Exec("PRAGMA journal_mode = WAL; CREATE TABLE item (k TEXT UNIQUE)"));
  bool answered = false;  // both written and read on the writer thread
  std::vector<std::pair<int, bool>> hook_calls;
  connection->OnCommit([&](int wal_pages) { hook_calls.emplace_back(wal_pages, answered); });
  Writer writer(std::move(connection), 64);
  std::promise<Status> done;
  writer.Submit<void>([](Connection& db) { return Insert(db, "a"); },
                      [&](Status status) {
                        answered = true;
                        done.set_value(status);
                      });
  EXPECT_TRUE(done.get_future().get());
  writer.Close();
  ASSERT_EQ(hook_calls.size(), 1u);
  EXPECT_GT(hook_calls[0].first, 0);
  EXPECT_TRUE(hook_calls[0].second);
}

}  // namespace
}  // namespace uitweg::store::sqlite
