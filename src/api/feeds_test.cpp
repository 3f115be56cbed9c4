#include "api/feeds.hpp"

#include <functional>
#include <vector>

#include <gtest/gtest.h>

#include "store/sqlite/sqlite_test_database.hpp"

namespace uitweg::api {
namespace {

// Forwards hub entries to the feeds under test, as a channel does.
class Forwarder : public chat::HubListener {
 public:
  void OnEntry(const chat::Entry& entry) override { feeds->OnEntry(entry); }
  void OnConversationChanged(const store::Conversation&) override {}
  void OnQueueChanged(const chat::QueueSnapshot&) override {}
  ConversationFeeds* feeds = nullptr;
};

class ConversationFeedsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = database_->Open();
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    conversations_ = std::make_unique<chat::Conversations>(*store_, hub_, clock_);
    feeds_ = std::make_unique<ConversationFeeds>(
        *conversations_, hub_, [this](std::function<void()> task) { tasks_.push_back(task); },
        [this](const chat::Entry& entry) { delivered_.push_back(entry.message.seq); });
    listener_ = std::make_shared<Forwarder>();
    listener_->feeds = feeds_.get();
    auto started = conversations_->Start("Sam", "self");
    ASSERT_TRUE(started);
    id_ = started->conversation.id;
  }

  void TearDown() override {
    feeds_.reset();
    conversations_.reset();
    store_.reset();
  }

  void Say(const std::string& client_id) {
    ASSERT_TRUE(conversations_->SendAsVisitor(id_, client_id, "text"));
  }

  void RunTasks() {
    while (!tasks_.empty()) {
      auto task = std::move(tasks_.front());
      tasks_.erase(tasks_.begin());
      task();
    }
  }

  std::unique_ptr<store::TestDatabase> database_ = store::sqlite::SqliteTestBackend().create();
  core::ManualClock clock_;
  chat::Hub hub_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<chat::Conversations> conversations_;
  std::unique_ptr<ConversationFeeds> feeds_;
  std::shared_ptr<Forwarder> listener_;
  std::vector<std::function<void()>> tasks_;
  std::vector<std::int64_t> delivered_;
  std::string id_;
};

TEST_F(ConversationFeedsTest, OpenReplaysAfterLastSeqThenFollows) {
  Say("m-1");
  Say("m-2");
  Say("m-3");
  ASSERT_TRUE(feeds_->Open(id_, 1, listener_));
  EXPECT_EQ(delivered_, (std::vector<std::int64_t>{2, 3}));
  Say("m-4");
  EXPECT_EQ(delivered_, (std::vector<std::int64_t>{2, 3, 4}));
  EXPECT_EQ(hub_.FollowerCount(id_), 1u);
}

TEST_F(ConversationFeedsTest, ReplayLongerThanOnePageArrivesWhole) {
  const int count = static_cast<int>(chat::kReplayPage) + 20;
  for (int i = 0; i < count; ++i) Say("m-" + std::to_string(i));
  ASSERT_TRUE(feeds_->Open(id_, 0, listener_));
  ASSERT_EQ(delivered_.size(), static_cast<std::size_t>(count));
  EXPECT_EQ(delivered_.front(), 1);
  EXPECT_EQ(delivered_.back(), count);
}

TEST_F(ConversationFeedsTest, GapIsFilledFromTheStore) {
  ASSERT_TRUE(feeds_->Open(id_, 0, listener_));
  Say("m-1");
  // Seq 2 is committed, but its hub event is lost; seq 3 arrives.
  ASSERT_TRUE(store_->AppendMessage(store::NewMessage{id_, store::Sender::visitor, {}, "m-2", "x", 0}));
  Say("m-3");
  EXPECT_EQ(delivered_, (std::vector<std::int64_t>{1}));
  ASSERT_EQ(tasks_.size(), 1u);
  RunTasks();
  EXPECT_EQ(delivered_, (std::vector<std::int64_t>{1, 2, 3}));
}

TEST_F(ConversationFeedsTest, DuplicatesAreDeliveredOnce) {
  ASSERT_TRUE(feeds_->Open(id_, 0, listener_));
  Say("m-1");
  Say("m-1");
  ASSERT_TRUE(feeds_->Open(id_, 0, listener_));
  EXPECT_EQ(delivered_, (std::vector<std::int64_t>{1}));
}

TEST_F(ConversationFeedsTest, BadLastSeqIsRefusedAndNothingIsFollowed) {
  EXPECT_EQ(feeds_->Open(id_, 5, listener_).error().code, core::Errc::invalid_argument);
  EXPECT_EQ(hub_.FollowerCount(id_), 0u);
}

TEST_F(ConversationFeedsTest, CloseAllStopsDelivery) {
  ASSERT_TRUE(feeds_->Open(id_, 0, listener_));
  feeds_->CloseAll(listener_.get());
  Say("m-1");
  EXPECT_TRUE(delivered_.empty());
  EXPECT_EQ(hub_.FollowerCount(id_), 0u);
}

}  // namespace
}  // namespace uitweg::api
