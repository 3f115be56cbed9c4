// AuditAppends on the SQLite writer: appends that do not wait, handed in while the unit for them
// waits, go into that one unit, in order; the next ones get a unit of their own; a closing writer
// still answers every append.
#include "store/audit_appends.hpp"

#include <gtest/gtest.h>

#include <latch>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/testing/test_folder.hpp"
#include "store/group_commit/testing/held_writer.hpp"
#include "store/sqlite/writer.hpp"

namespace uitweg::store::sqlite {
namespace {

class AuditAppendsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto connection =
        Connection::Open((folder_ / "a.db").string(), Connection::Mode::read_write, 1000).value();
    writer_ = std::make_unique<Writer>(std::move(connection), 64);
  }

  // Records each unit's entries (their actions) instead of writing them.
  AuditAppends<Connection>::AppendAll Recorder() {
    return [this](Connection&,
                  std::span<const NewAuditEntry> entries) -> core::Result<std::vector<AuditEntry>> {
      std::lock_guard lock(mutex_);
      units_.emplace_back();
      for (const NewAuditEntry& entry : entries) units_.back().push_back(entry.action);
      return std::vector<AuditEntry>(entries.size());
    };
  }

  static NewAuditEntry Entry(std::string action) {
    NewAuditEntry entry;
    entry.action = std::move(action);
    return entry;
  }

  core::testing::TestFolder folder_{"audit-appends"};
  std::unique_ptr<Writer> writer_;
  std::mutex mutex_;
  std::vector<std::vector<std::string>> units_;
};

TEST_F(AuditAppendsTest, AppendsHandedInWhileTheUnitWaitsGoIntoIt) {
  AuditAppends<Connection> appends(Recorder());
  std::latch open(1);
  std::thread holder = testing::HoldWriter(*writer_, open);
  std::latch answered(6);
  std::vector<core::Status> outcomes(6);
  for (int i = 0; i < 5; ++i) {
    appends.AppendLater(*writer_, Entry("a" + std::to_string(i)), [&, i](core::Status status) {
      outcomes[static_cast<std::size_t>(i)] = status;
      answered.count_down();
    });
  }
  testing::WaitPending(*writer_, 1);
  EXPECT_EQ(writer_->Pending(), 1u) << "five appends, one unit";
  open.count_down();
  holder.join();
  // Once the unit has run, a sixth append waits for a unit of its own.
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (!units_.empty()) break;
    }
    std::this_thread::yield();
  }
  appends.AppendLater(*writer_, Entry("b"), [&](core::Status status) {
    outcomes[5] = status;
    answered.count_down();
  });
  answered.wait();
  for (const core::Status& outcome : outcomes) EXPECT_TRUE(outcome);
  std::lock_guard lock(mutex_);
  ASSERT_EQ(units_.size(), 2u);
  EXPECT_EQ(units_[0], (std::vector<std::string>{"a0", "a1", "a2", "a3", "a4"}));
  EXPECT_EQ(units_[1], (std::vector<std::string>{"b"}));
}

TEST_F(AuditAppendsTest, AFailedUnitAnswersEveryAppendInIt) {
  AuditAppends<Connection> appends(
      [](Connection&, std::span<const NewAuditEntry>) -> core::Result<std::vector<AuditEntry>> {
        return core::Fail(core::Errc::internal, "disk full");
      });
  std::latch open(1);
  std::thread holder = testing::HoldWriter(*writer_, open);
  std::latch answered(3);
  std::vector<core::Status> outcomes(3);
  for (int i = 0; i < 3; ++i) {
    appends.AppendLater(*writer_, Entry("a"), [&, i](core::Status status) {
      outcomes[static_cast<std::size_t>(i)] = status;
      answered.count_down();
    });
  }
  open.count_down();
  holder.join();
  answered.wait();
  for (const core::Status& outcome : outcomes) {
    ASSERT_FALSE(outcome);
    EXPECT_EQ(outcome.error().code, core::Errc::internal);
  }
}

TEST_F(AuditAppendsTest, AClosedWriterStillAnswersEveryAppend) {
  AuditAppends<Connection> appends(Recorder());
  writer_->Close();
  int unavailable = 0;
  for (int i = 0; i < 3; ++i) {
    appends.AppendLater(*writer_, Entry("a"), [&](core::Status status) {
      if (!status && status.error().code == core::Errc::unavailable) ++unavailable;
    });
  }
  EXPECT_EQ(unavailable, 3) << "each append its own answer, none left waiting";
  EXPECT_TRUE(units_.empty());
}

}  // namespace
}  // namespace uitweg::store::sqlite
