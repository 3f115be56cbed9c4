// The group-commit writer on PostgreSQL, whose connection chains the transaction's own
// statements (kChainsControl: RELEASE and the next SAVEPOINT in one round trip). A unit that
// fails is rolled back alone wherever it stands in the batch, also last, and the others commit.

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

}  // namespace
}  // namespace uitweg::store::postgres
