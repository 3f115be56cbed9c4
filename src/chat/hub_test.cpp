#include "chat/hub.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace uitweg::chat {
namespace {

class RecordingListener : public HubListener {
 public:
  void OnEntry(const Entry& entry, const Frame& frame) override {
    seqs.push_back(entry.message.seq);
    frames.push_back(frame);
  }
  void OnQueueChanged(const Frame& frame) override { changes.push_back(*frame); }
  void OnQueuePosition(std::int64_t position) override { positions.push_back(position); }

  std::vector<std::int64_t> seqs;
  std::vector<Frame> frames;
  std::vector<std::string> changes;
  std::vector<std::int64_t> positions;
};

// Unfollows itself from inside the callback, which must not deadlock.
class OneShotListener : public RecordingListener {
 public:
  explicit OneShotListener(Hub& hub) : hub_(hub) {}
  void OnEntry(const Entry& entry, const Frame& frame) override {
    RecordingListener::OnEntry(entry, frame);
    hub_.Unfollow(entry.message.conversation_id, this);
  }

 private:
  Hub& hub_;
};

// Holds the first queue change it is handed until a second one comes (or a second has passed),
// and records each change as its call returns.
class HoldingWatcher : public HubListener {
 public:
  void OnEntry(const Entry&, const Frame&) override {}
  void OnQueueChanged(const Frame& frame) override {
    std::unique_lock lock(mu);
    ++arrived;
    changed.notify_all();
    if (arrived == 1) changed.wait_for(lock, std::chrono::seconds(1), [&] { return arrived > 1; });
    changes.push_back(*frame);
  }
  bool AwaitFirst() {
    std::unique_lock lock(mu);
    return changed.wait_for(lock, std::chrono::seconds(30), [&] { return arrived >= 1; });
  }

  std::mutex mu;
  std::condition_variable changed;
  int arrived = 0;
  std::vector<std::string> changes;
};

class HubTest : public ::testing::Test {
 protected:
  FrameEncoders Encoders() {
    return FrameEncoders{.entry =
                             [this](const Entry& entry) {
                               ++entries_encoded_;
                               return "seq " + std::to_string(entry.message.seq);
                             },
                         .queue_change =
                             [](const QueueChange& change) {
                               std::string text = "total " + std::to_string(change.total);
                               for (const auto& added : change.added)
                                 text += " +" + added.conversation_id;
                               for (const auto& removed : change.removed) text += " -" + removed;
                               return text;
                             }};
  }

  static Entry EntryFor(std::string id, std::int64_t seq) {
    Entry entry;
    entry.message.conversation_id = std::move(id);
    entry.message.seq = seq;
    return entry;
  }
  static QueueEntry Waiting(const std::string& id, core::UnixMillis at) {
    return QueueEntry{.conversation_id = id, .created_at = at};
  }

  std::atomic<int> entries_encoded_{0};
  Hub hub_{Encoders(), 2};
};

TEST_F(HubTest, EntriesReachOnlyFollowersOfTheirConversation) {
  auto a = std::make_shared<RecordingListener>();
  auto b = std::make_shared<RecordingListener>();
  hub_.Follow("c_a", a);
  hub_.Follow("c_b", b);
  hub_.Publish(EntryFor("c_a", 1));
  EXPECT_EQ(a->seqs, (std::vector<std::int64_t>{1}));
  EXPECT_TRUE(b->seqs.empty());
}

TEST_F(HubTest, AnEntryIsEncodedOnceAndItsBytesShared) {
  auto visitor = std::make_shared<RecordingListener>();
  auto counsellor = std::make_shared<RecordingListener>();
  hub_.Follow("c_a", visitor);
  hub_.Follow("c_a", counsellor);
  hub_.Publish(EntryFor("c_a", 7));
  EXPECT_EQ(entries_encoded_.load(), 1);
  ASSERT_EQ(visitor->frames.size(), 1u);
  EXPECT_EQ(visitor->frames[0].get(), counsellor->frames[0].get());
  EXPECT_EQ(*visitor->frames[0], "seq 7");
  hub_.Publish(EntryFor("c_nobody", 1));
  EXPECT_EQ(entries_encoded_.load(), 1) << "nobody follows: nothing to encode";
}

TEST_F(HubTest, ExpiredListenersAreForgotten) {
  auto a = std::make_shared<RecordingListener>();
  hub_.Follow("c_a", a);
  EXPECT_EQ(hub_.FollowerCount("c_a"), 1u);
  a.reset();
  hub_.Publish(EntryFor("c_a", 1));
  EXPECT_EQ(hub_.FollowerCount("c_a"), 0u);
}

TEST_F(HubTest, ListenerMayUnfollowInsideItsCallback) {
  auto once = std::make_shared<OneShotListener>(hub_);
  hub_.Follow("c_a", once);
  hub_.Publish(EntryFor("c_a", 1));
  hub_.Publish(EntryFor("c_a", 2));
  EXPECT_EQ(once->seqs, (std::vector<std::int64_t>{1}));
}

TEST_F(HubTest, StaffSeeTheWindowFirstThenItsChangesUntilTheyStop) {
  hub_.Enqueue(Waiting("c_1", 1));
  auto watcher = std::make_shared<RecordingListener>();
  std::vector<std::string> first;
  hub_.WatchQueue(watcher, [&](const QueueSnapshot& snapshot) {
    for (const auto& entry : snapshot.top) first.push_back(entry.conversation_id);
  });
  EXPECT_EQ(first, std::vector<std::string>{"c_1"});
  hub_.Enqueue(Waiting("c_2", 2));
  hub_.Dequeue("c_1", 2);
  hub_.UnwatchQueue(watcher.get());
  hub_.Enqueue(Waiting("c_4", 4));
  EXPECT_EQ(watcher->changes, (std::vector<std::string>{"total 2 +c_2", "total 1 -c_1"}));
}

// Changes come from several threads (commit answers, workers): one made while an earlier one is
// still being handed out waits for it, or a console would see a visitor leave before they came.
TEST_F(HubTest, WatchersGetQueueChangesInTheOrderTheyWereMadeAcrossThreads) {
  auto watcher = std::make_shared<HoldingWatcher>();
  hub_.WatchQueue(watcher, [](const QueueSnapshot&) {});
  std::thread joining([&] { hub_.Enqueue(Waiting("c_1", 1)); });
  ASSERT_TRUE(watcher->AwaitFirst());
  std::thread leaving([&] { hub_.Dequeue("c_1", 2); });
  joining.join();
  leaving.join();
  EXPECT_EQ(watcher->changes, (std::vector<std::string>{"total 1 +c_1", "total 0 -c_1"}));
}

TEST_F(HubTest, AJoinBeyondTheWindowIsToldAtTheNextTickOnly) {
  auto watcher = std::make_shared<RecordingListener>();
  hub_.WatchQueue(watcher, [](const QueueSnapshot&) {});
  hub_.Enqueue(Waiting("c_1", 1));
  hub_.Enqueue(Waiting("c_2", 2));
  const std::size_t before = watcher->changes.size();
  for (int i = 3; i < 100; ++i) hub_.Enqueue(Waiting("c_" + std::to_string(i), i));
  EXPECT_EQ(watcher->changes.size(), before) << "the window did not change";
  hub_.Tick();
  ASSERT_EQ(watcher->changes.size(), before + 1);
  EXPECT_EQ(watcher->changes.back(), "total 99");
  hub_.Tick();
  EXPECT_EQ(watcher->changes.size(), before + 1) << "nothing new";
}

TEST_F(HubTest, VisitorsLearnTheirNewPlaceAtTicks) {
  for (int i = 1; i <= 3; ++i) hub_.Enqueue(Waiting("c_" + std::to_string(i), i));
  auto third = std::make_shared<RecordingListener>();
  std::int64_t first_place = 0;
  hub_.WatchPosition("c_3", third, [&](std::int64_t place) { first_place = place; });
  EXPECT_EQ(first_place, 3);
  hub_.Dequeue("c_1", 2);
  EXPECT_TRUE(third->positions.empty());
  hub_.Tick();
  EXPECT_EQ(third->positions, (std::vector<std::int64_t>{2}));
  hub_.Tick();
  EXPECT_EQ(third->positions.size(), 1u);
  hub_.Dequeue("c_3", 2);
  hub_.Dequeue("c_2", 2);
  hub_.Tick();
  EXPECT_EQ(third->positions.size(), 1u) << "no longer waiting: no more places";
}

// What a visitor may expect changes with time, their place or not: now and then every place is
// told again.
TEST_F(HubTest, AnUnchangedPlaceIsToldAgainNowAndThen) {
  hub_.Enqueue(Waiting("c_1", 1));
  auto first = std::make_shared<RecordingListener>();
  hub_.WatchPosition("c_1", first, [](std::int64_t) {});
  for (int tick = 1; tick < Hub::kTicksPerPlaceRetell; ++tick) hub_.Tick();
  EXPECT_TRUE(first->positions.empty());
  hub_.Tick();
  EXPECT_EQ(first->positions, (std::vector<std::int64_t>{1}));
  hub_.Tick();
  EXPECT_EQ(first->positions.size(), 1u);
}

// A socket that watches its place again (a hand-back it saw twice) is told each new place once.
TEST_F(HubTest, APlaceWatchedTwiceByOneSocketIsToldOnce) {
  for (int i = 1; i <= 2; ++i) hub_.Enqueue(Waiting("c_" + std::to_string(i), i));
  auto second = std::make_shared<RecordingListener>();
  hub_.WatchPosition("c_2", second, [](std::int64_t) {});
  hub_.WatchPosition(
      "c_2", second, [](std::int64_t) {}, true);
  hub_.Dequeue("c_1", 2);
  hub_.Tick();
  EXPECT_EQ(second->positions, (std::vector<std::int64_t>{1}));
}

TEST_F(HubTest, AStaleReadCannotPutBackWhatLeftButALaterOneCan) {
  QueueEntry entry = Waiting("c_1", 1);
  entry.last_seq = 1;
  hub_.Enqueue(entry);
  hub_.Dequeue("c_1", 2);         // accepted here by entry 2
  hub_.MatchStored(entry, true);  // a poll that read it before the accept
  EXPECT_FALSE(hub_.IsWaiting("c_1"));
  entry.last_seq = 3;  // released back into the queue by entry 3, on another node
  hub_.MatchStored(entry, true);
  EXPECT_TRUE(hub_.IsWaiting("c_1"));
  hub_.MatchStored(QueueEntry{.conversation_id = "c_1", .created_at = 1, .last_seq = 4}, false);
  EXPECT_FALSE(hub_.IsWaiting("c_1"));
  entry.last_seq = 3;
  hub_.MatchStored(entry, true);
  EXPECT_FALSE(hub_.IsWaiting("c_1")) << "older than the leaving by entry 4";
}

TEST_F(HubTest, AStaleReadCannotTakeOutWhatCameBack) {
  QueueEntry released = Waiting("c_1", 1);
  released.last_seq = 3;  // handed back to the queue here by entry 3
  hub_.Enqueue(released);
  auto visitor = std::make_shared<RecordingListener>();
  hub_.WatchPosition("c_1", visitor, [](std::int64_t) {});
  // A poll that read it while it was still active (accepted by entry 2).
  EXPECT_EQ(
      hub_.MatchStored(QueueEntry{.conversation_id = "c_1", .created_at = 1, .last_seq = 2}, false),
      QueueMatch::unchanged);
  EXPECT_TRUE(hub_.IsWaiting("c_1"));
  EXPECT_EQ(
      hub_.MatchStored(
          QueueEntry{.conversation_id = "c_1", .urgency = 9, .created_at = 1, .last_seq = 2}, true),
      QueueMatch::unchanged)
      << "nor can it change what came back";
  hub_.Enqueue(Waiting("c_0", 0));
  hub_.Tick();
  EXPECT_EQ(visitor->positions, (std::vector<std::int64_t>{2})) << "still told its place";
  EXPECT_EQ(
      hub_.MatchStored(QueueEntry{.conversation_id = "c_1", .created_at = 1, .last_seq = 4}, false),
      QueueMatch::left);
  EXPECT_FALSE(hub_.IsWaiting("c_1")) << "accepted again by entry 4";
}

TEST_F(HubTest, WatchingThePlaceOfAConversationNotWaitingGivesZero) {
  auto listener = std::make_shared<RecordingListener>();
  std::int64_t place = -1;
  hub_.WatchPosition("c_gone", listener, [&](std::int64_t p) { place = p; });
  EXPECT_EQ(place, 0);
}

// The visitor's socket came to this node before its catch-up learned of the chat another node
// started: the place follows once it does.
TEST_F(HubTest, AWaitingConversationThisNodeDoesNotKnowYetIsToldItsPlaceWhenItArrives) {
  hub_.Enqueue(Waiting("c_1", 1));
  auto listener = std::make_shared<RecordingListener>();
  std::int64_t place = -1;
  hub_.WatchPosition(
      "c_2", listener, [&](std::int64_t p) { place = p; }, true);
  EXPECT_EQ(place, 0);
  hub_.Tick();
  EXPECT_TRUE(listener->positions.empty());
  EXPECT_EQ(hub_.MatchStored(Waiting("c_2", 2), true), QueueMatch::entered);
  hub_.Tick();
  EXPECT_EQ(listener->positions, (std::vector<std::int64_t>{2}));
}

// Taken on another node before this one learned of it, then handed back: the visitor watches
// their place once, not once for each time it was watched.
TEST_F(HubTest, AWatchOfAPlaceThisNodeNeverLearnedEndsWhenTheChatIsTaken) {
  auto listener = std::make_shared<RecordingListener>();
  hub_.WatchPosition(
      "c_1", listener, [](std::int64_t) {}, true);
  QueueEntry taken = Waiting("c_1", 1);
  taken.last_seq = 2;
  EXPECT_EQ(hub_.MatchStored(taken, false), QueueMatch::unchanged);
  QueueEntry back = Waiting("c_1", 1);
  back.last_seq = 3;
  EXPECT_EQ(hub_.MatchStored(back, true), QueueMatch::entered);
  hub_.WatchPosition("c_1", listener, [](std::int64_t) {});
  hub_.Enqueue(Waiting("c_0", 0));
  hub_.Tick();
  EXPECT_EQ(listener->positions, (std::vector<std::int64_t>{2}));
}

}  // namespace
}  // namespace uitweg::chat
