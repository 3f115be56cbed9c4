#include "chat/hub.hpp"

#include <gtest/gtest.h>

namespace uitweg::chat {
namespace {

class RecordingListener : public HubListener {
 public:
  void OnEntry(const Entry& entry) override { seqs.push_back(entry.message.seq); }
  void OnConversationChanged(const store::Conversation& conversation) override {
    changed.push_back(conversation.id);
  }
  void OnQueueChanged(const QueueSnapshot& queue) override { queue_sizes.push_back(queue->size()); }

  std::vector<std::int64_t> seqs;
  std::vector<std::string> changed;
  std::vector<std::size_t> queue_sizes;
};

// Unfollows itself from inside the callback, which must not deadlock.
class OneShotListener : public RecordingListener {
 public:
  explicit OneShotListener(Hub& hub) : hub_(hub) {}
  void OnEntry(const Entry& entry) override {
    RecordingListener::OnEntry(entry);
    hub_.Unfollow(entry.message.conversation_id, this);
  }

 private:
  Hub& hub_;
};

Entry EntryFor(std::string id, std::int64_t seq) {
  Entry entry;
  entry.message.conversation_id = std::move(id);
  entry.message.seq = seq;
  return entry;
}

TEST(HubTest, EntriesReachOnlyFollowersOfTheirConversation) {
  Hub hub;
  auto a = std::make_shared<RecordingListener>();
  auto b = std::make_shared<RecordingListener>();
  hub.Follow("c_a", a);
  hub.Follow("c_b", b);
  hub.PublishEntry(EntryFor("c_a", 1));
  EXPECT_EQ(a->seqs, (std::vector<std::int64_t>{1}));
  EXPECT_TRUE(b->seqs.empty());
}

TEST(HubTest, ExpiredListenersAreForgotten) {
  Hub hub;
  auto a = std::make_shared<RecordingListener>();
  hub.Follow("c_a", a);
  EXPECT_EQ(hub.FollowerCount("c_a"), 1u);
  a.reset();
  hub.PublishEntry(EntryFor("c_a", 1));
  EXPECT_EQ(hub.FollowerCount("c_a"), 0u);
}

TEST(HubTest, ListenerMayUnfollowInsideItsCallback) {
  Hub hub;
  auto once = std::make_shared<OneShotListener>(hub);
  hub.Follow("c_a", once);
  hub.PublishEntry(EntryFor("c_a", 1));
  hub.PublishEntry(EntryFor("c_a", 2));
  EXPECT_EQ(once->seqs, (std::vector<std::int64_t>{1}));
}

TEST(HubTest, QueueWatchersSeeEverySnapshotUntilTheyStop) {
  Hub hub;
  auto watcher = std::make_shared<RecordingListener>();
  hub.WatchQueue(watcher);
  auto queue = std::make_shared<const std::vector<store::Conversation>>(2);
  hub.PublishQueue(queue);
  hub.UnwatchQueue(watcher.get());
  hub.PublishQueue(queue);
  EXPECT_EQ(watcher->queue_sizes, (std::vector<std::size_t>{2}));
}

TEST(HubTest, ConversationChangesReachFollowers) {
  Hub hub;
  auto a = std::make_shared<RecordingListener>();
  hub.Follow("c_a", a);
  store::Conversation conversation;
  conversation.id = "c_a";
  hub.PublishConversation(conversation);
  EXPECT_EQ(a->changed, (std::vector<std::string>{"c_a"}));
}

TEST(HubTest, PositionInCountsFromOne) {
  auto queue = std::make_shared<std::vector<store::Conversation>>(3);
  (*queue)[0].id = "c_0";
  (*queue)[1].id = "c_1";
  (*queue)[2].id = "c_2";
  QueueSnapshot snapshot = queue;
  EXPECT_EQ(PositionIn(snapshot, "c_0"), 1);
  EXPECT_EQ(PositionIn(snapshot, "c_2"), 3);
  EXPECT_EQ(PositionIn(snapshot, "c_9"), 0);
  EXPECT_EQ(PositionIn(nullptr, "c_0"), 0);
}

}  // namespace
}  // namespace uitweg::chat
