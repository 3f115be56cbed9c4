#include "chat/catch_ups.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <initializer_list>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace uitweg::chat {
namespace {

using store::Change;

// Conversations rung for any change.
std::vector<store::Rung> Changed(std::initializer_list<const char*> ids) {
  std::vector<store::Rung> rung;
  for (const char* id : ids) rung.push_back({id, Change::conversation});
  return rung;
}

// Records every catch-up, sorted (the order of ids within one does not matter), an id marked
// "+" when only its entries are to be read; tasks wait in `tasks` until the test runs them.
class CatchUpsTest : public ::testing::Test {
 protected:
  using Ids = std::vector<std::string>;

  std::shared_ptr<CatchUps> catch_ups_ = CatchUps::Create(
      [this](std::span<const store::Rung> rung) -> core::Status {
        Ids read;
        for (const store::Rung& each : rung) {
          read.push_back((each.change == Change::entries ? "+" : "") + each.conversation_id);
        }
        std::sort(read.begin(), read.end());
        calls_.push_back(read);
        if (during_) std::exchange(during_, nullptr)();
        if (throw_) throw std::runtime_error("bug");
        if (fail_) return core::Fail(core::Errc::unavailable, "database down");
        return {};
      },
      [this]() -> core::Result<std::vector<store::Rung>> {
        ++lists_;
        if (fail_) return core::Fail(core::Errc::unavailable, "database down");
        return listed_;
      },
      [this](core::Task task) { tasks_.push_back(std::move(task)); });

  void RunTasks() {
    while (!tasks_.empty()) {
      core::Task task = std::move(tasks_.front());
      tasks_.pop_front();
      task();
    }
  }

  // `count` conversations for the poll to list, p_000, p_001, ...
  static std::vector<store::Rung> Listed(std::size_t count) {
    std::vector<store::Rung> listed;
    for (std::size_t i = 0; i < count; ++i) {
      std::string number = std::to_string(i);
      listed.push_back({"p_" + std::string(3 - number.size(), '0') + number, Change::conversation});
    }
    return listed;
  }

  std::deque<core::Task> tasks_;
  std::vector<Ids> calls_;
  std::vector<store::Rung> listed_;  // what the poll lists
  int lists_ = 0;
  std::function<void()> during_;  // runs inside the next catch-up
  bool fail_ = false;
  bool throw_ = false;
};

TEST_F(CatchUpsTest, RingsWaitingTogetherAreReadInOneCatchUp) {
  catch_ups_->Rung(Changed({"c_1"}));
  catch_ups_->Rung(Changed({"c_2", "c_1"}));
  catch_ups_->Rung(Changed({"c_3"}));
  EXPECT_EQ(tasks_.size(), 1u);
  RunTasks();
  EXPECT_EQ(calls_, (std::vector<Ids>{{"c_1", "c_2", "c_3"}}));
}

TEST_F(CatchUpsTest, AConversationRungForEntriesAndForMoreIsReadForMore) {
  catch_ups_->Rung({{"c_1", Change::entries}, {"c_2", Change::entries}});
  catch_ups_->Rung({{"c_1", Change::conversation}, {"c_3", Change::entries}});
  catch_ups_->Rung({{"c_1", Change::entries}});
  RunTasks();
  EXPECT_EQ(calls_, (std::vector<Ids>{{"+c_2", "+c_3", "c_1"}}));
}

TEST_F(CatchUpsTest, RingsDuringACatchUpGoTogetherIntoTheNext) {
  during_ = [this] {
    catch_ups_->Rung(Changed({"c_2"}));
    catch_ups_->Rung(Changed({"c_3"}));
    EXPECT_TRUE(tasks_.empty()) << "one catch-up at a time";
  };
  catch_ups_->Rung(Changed({"c_1"}));
  RunTasks();
  EXPECT_EQ(calls_, (std::vector<Ids>{{"c_1"}, {"c_2", "c_3"}}));
  catch_ups_->Rung(Changed({"c_4"}));
  RunTasks();
  EXPECT_EQ(calls_.back(), Ids{"c_4"}) << "idle again, so a new ring posts a new catch-up";
}

TEST_F(CatchUpsTest, AnEmptyRingListsEverythingAndReadsItAfterTheIdsRungBeside) {
  listed_ = Changed({"c_8", "c_9"});
  catch_ups_->Rung(Changed({"c_1"}));
  catch_ups_->Rung({});
  RunTasks();
  EXPECT_EQ(lists_, 1);
  EXPECT_EQ(calls_, (std::vector<Ids>{{"c_1"}, {"c_8", "c_9"}}));
}

TEST_F(CatchUpsTest, ThePollIsReadASliceAtATimeAndARingWaitsForOneSliceOnly) {
  listed_ = Listed(CatchUps::kPollSlice + 50);
  during_ = [this] { catch_ups_->Rung(Changed({"c_1"})); };
  catch_ups_->Rung({});
  RunTasks();
  ASSERT_EQ(calls_.size(), 3u);
  EXPECT_EQ(calls_[0].size(), CatchUps::kPollSlice);
  EXPECT_EQ(calls_[0].front(), "p_000");
  EXPECT_EQ(calls_[1], Ids{"c_1"}) << "rung during the poll's first slice, read before its next";
  EXPECT_EQ(calls_[2].size(), 50u);
  EXPECT_EQ(calls_[2].back(), "p_249");
  EXPECT_EQ(lists_, 1);
}

TEST_F(CatchUpsTest, APollDueWhileTheLastIsReadWaitsForItsLastSlice) {
  listed_ = Listed(CatchUps::kPollSlice + 50);
  during_ = [this] {
    listed_ = Changed({"c_new"});
    catch_ups_->Rung({});
  };
  catch_ups_->Rung({});
  RunTasks();
  EXPECT_EQ(lists_, 2);
  ASSERT_EQ(calls_.size(), 3u);
  EXPECT_EQ(calls_[1].back(), "p_249") << "the first poll is read to its end";
  EXPECT_EQ(calls_[2], Ids{"c_new"});
}

TEST_F(CatchUpsTest, APollThatCannotListDoesNotStopTheRings) {
  fail_ = true;
  catch_ups_->Rung({});
  RunTasks();
  EXPECT_TRUE(calls_.empty());
  fail_ = false;
  catch_ups_->Rung(Changed({"c_1"}));
  RunTasks();
  EXPECT_EQ(calls_, (std::vector<Ids>{{"c_1"}}));
}

TEST_F(CatchUpsTest, ACatchUpThatFailsOrThrowsDoesNotStopTheNext) {
  fail_ = true;
  catch_ups_->Rung(Changed({"c_1"}));
  RunTasks();
  fail_ = false;
  throw_ = true;
  catch_ups_->Rung(Changed({"c_2"}));
  RunTasks();
  throw_ = false;
  catch_ups_->Rung(Changed({"c_3"}));
  RunTasks();
  EXPECT_EQ(calls_, (std::vector<Ids>{{"c_1"}, {"c_2"}, {"c_3"}}));
}

TEST_F(CatchUpsTest, APostedCatchUpHoldsTheObject) {
  catch_ups_->Rung(Changed({"c_1"}));
  std::weak_ptr<CatchUps> held = catch_ups_;
  catch_ups_.reset();
  EXPECT_FALSE(held.expired());
  RunTasks();
  EXPECT_EQ(calls_, (std::vector<Ids>{{"c_1"}}));
  EXPECT_TRUE(held.expired());
}

}  // namespace
}  // namespace uitweg::chat
