#include "chat/queue.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <tuple>

namespace uitweg::chat {
namespace {

QueueEntry Entry(const std::string& id, std::int32_t urgency, core::UnixMillis created_at) {
  return QueueEntry{
      .conversation_id = id, .nickname = "", .urgency = urgency, .created_at = created_at};
}

std::vector<std::string> Ids(const std::vector<QueueEntry>& entries) {
  std::vector<std::string> ids;
  for (const auto& entry : entries) ids.push_back(entry.conversation_id);
  return ids;
}

// What a console does with the changes it receives: keeps the window and sorts it itself.
class Console {
 public:
  explicit Console(const QueueSnapshot& snapshot) : total_(snapshot.total) {
    for (const auto& entry : snapshot.top) window_[entry.conversation_id] = entry;
  }
  void Apply(const QueueChange& change) {
    for (const auto& id : change.removed) window_.erase(id);
    for (const auto& entry : change.added) window_[entry.conversation_id] = entry;
    for (const auto& entry : change.changed) window_[entry.conversation_id] = entry;
    total_ = change.total;
  }
  std::vector<std::string> Order() const {
    std::vector<QueueEntry> entries;
    for (const auto& [id, entry] : window_) entries.push_back(entry);
    std::sort(entries.begin(), entries.end(), [](const QueueEntry& a, const QueueEntry& b) {
      return std::tie(b.urgency, a.created_at, a.conversation_id) <
             std::tie(a.urgency, b.created_at, b.conversation_id);
    });
    return Ids(entries);
  }
  std::int64_t total() const { return total_; }

 private:
  std::map<std::string, QueueEntry> window_;
  std::int64_t total_;
};

TEST(QueueTest, UrgentConversationGoesFirstThenLongestWaiting) {
  Queue queue;
  queue.Add(Entry("c_late", 0, 300));
  queue.Add(Entry("c_early", 0, 100));
  queue.Add(Entry("c_urgent", 5, 400));
  EXPECT_EQ(Ids(queue.Snapshot().top), (std::vector<std::string>{"c_urgent", "c_early", "c_late"}));
  EXPECT_EQ(queue.PositionOf("c_urgent"), 1);
  EXPECT_EQ(queue.PositionOf("c_late"), 3);
  EXPECT_EQ(queue.PositionOf("c_none"), 0);
}

TEST(QueueTest, AJoinBeyondTheWindowChangesOnlyTheTotal) {
  Queue queue(2);
  queue.Add(Entry("c_1", 0, 1));
  queue.Add(Entry("c_2", 0, 2));
  const QueueChange change = queue.Add(Entry("c_3", 0, 3));
  EXPECT_FALSE(change.TouchesWindow());
  EXPECT_EQ(change.total, 3);
}

TEST(QueueTest, AnUrgentJoinPushesTheLastOneOutOfTheWindow) {
  Queue queue(2);
  queue.Add(Entry("c_1", 0, 1));
  queue.Add(Entry("c_2", 0, 2));
  const QueueChange change = queue.Add(Entry("c_urgent", 9, 3));
  EXPECT_EQ(Ids(change.added), std::vector<std::string>{"c_urgent"});
  EXPECT_EQ(change.removed, std::vector<std::string>{"c_2"});
  EXPECT_EQ(change.total, 3);
}

TEST(QueueTest, TakingOneFromTheWindowPullsTheNextOneIn) {
  Queue queue(2);
  for (int i = 1; i <= 4; ++i) queue.Add(Entry("c_" + std::to_string(i), 0, i));
  const QueueChange change = queue.Remove("c_1");
  EXPECT_EQ(change.removed, std::vector<std::string>{"c_1"});
  EXPECT_EQ(Ids(change.added), std::vector<std::string>{"c_3"});
  EXPECT_EQ(change.total, 3);
  const QueueChange beyond = queue.Remove("c_4");
  EXPECT_FALSE(beyond.TouchesWindow());
  EXPECT_EQ(beyond.total, 2);
  EXPECT_FALSE(queue.Remove("c_4").TouchesWindow());
}

TEST(QueueTest, UrgencyMovesAConversationIntoTheWindowAndAnotherOut) {
  Queue queue(2);
  for (int i = 1; i <= 3; ++i) queue.Add(Entry("c_" + std::to_string(i), 0, i));
  const QueueChange raised = queue.Update(Entry("c_3", 7, 3));
  EXPECT_EQ(Ids(raised.added), std::vector<std::string>{"c_3"});
  EXPECT_EQ(raised.removed, std::vector<std::string>{"c_2"});
  const QueueChange within = queue.Update(Entry("c_1", 8, 1));
  EXPECT_EQ(Ids(within.changed), std::vector<std::string>{"c_1"});
  EXPECT_TRUE(within.added.empty());
  const QueueChange lowered = queue.Update(Entry("c_3", -1, 3));
  EXPECT_EQ(lowered.removed, std::vector<std::string>{"c_3"});
  EXPECT_EQ(Ids(lowered.added), std::vector<std::string>{"c_2"});
  EXPECT_EQ(queue.PositionOf("c_3"), 3);
}

TEST(QueueTest, ChangesKeepEveryConsoleEqualToTheQueue) {
  std::mt19937 random(7);
  for (std::size_t window : {1u, 3u, 50u}) {
    Queue queue(window);
    Console console(queue.Snapshot());
    std::vector<std::string> waiting;
    for (int step = 0; step < 3000; ++step) {
      const int action = static_cast<int>(random() % 10);
      QueueChange change;
      if (action < 5 || waiting.empty()) {
        const std::string id = "c_" + std::to_string(step);
        change = queue.Add(Entry(id, static_cast<std::int32_t>(random() % 3), step));
        waiting.push_back(id);
      } else {
        const std::size_t pick = random() % waiting.size();
        if (action < 8) {
          change = queue.Remove(waiting[pick]);
          waiting.erase(waiting.begin() + static_cast<std::ptrdiff_t>(pick));
        } else {
          change = queue.Update(Entry(waiting[pick], static_cast<std::int32_t>(random() % 5),
                                      step % 7 == 0 ? 0 : step));
        }
      }
      EXPECT_LE(change.added.size() + change.changed.size() + change.removed.size(), 2u);
      console.Apply(change);
      ASSERT_EQ(console.Order(), Ids(queue.Snapshot().top))
          << "window " << window << " step " << step;
      ASSERT_EQ(console.total(), static_cast<std::int64_t>(waiting.size()));
    }
  }
}

TEST(QueueTest, VisitsEveryoneInOrderWithTheirPositions) {
  Queue queue(1);
  queue.Add(Entry("c_b", 0, 2));
  queue.Add(Entry("c_a", 0, 1));
  std::vector<std::pair<std::string, std::int64_t>> seen;
  queue.ForEachInOrder([&](const QueueEntry& entry, std::int64_t position) {
    seen.emplace_back(entry.conversation_id, position);
  });
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, std::int64_t>>{{"c_a", 1}, {"c_b", 2}}));
}

}  // namespace
}  // namespace uitweg::chat
