#pragma once
// The waiting conversations in the order counsellors should take them: most urgent first, then
// longest waiting. Staff consoles see only the top of it (the window, 50 by default) and the
// total, so every change is told as a QueueChange to that window: who entered it, who changed
// in it, who left it. What a console receives never grows with the number of visitors waiting.
//
// Plain logic, no locks: its owner (chat::Hub) guards it. Positions and changes cost
// O(log n): an order-statistics tree.

#include <cstdint>
#include <ext/pb_ds/assoc_container.hpp>
#include <ext/pb_ds/tree_policy.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"
#include "model/conversation.hpp"

namespace uitweg::chat {

struct QueueEntry {
  std::string conversation_id = {};
  std::string nickname = {};
  model::Subject subject = model::Subject::self;
  std::int32_t urgency = 0;
  core::UnixMillis created_at = 0;
  // The conversation's last seq when this was read: how fresh the read is (Hub::MatchStored).
  std::int64_t last_seq = 0;
  // The start of the visitor's first message (FirstLine), so that counsellors choose knowingly;
  // empty until they write. Staff only.
  std::string first_line = {};
  // Why triage raised the urgency: the words that counted (at most kMaxTriageWords). Staff only.
  std::vector<std::string> triage_words = {};
  bool urgency_marked = false;  // a staff member set the urgency by hand
  // The visitor's texts up to this seq have been read from the store into first_line and
  // triage_words (texts sent through this node are noted as they come, whatever this says).
  std::int64_t texts_read = 0;
};

inline constexpr std::size_t kFirstLineBytes = 160;
// The first line of `body`, trimmed, cut to at most kFirstLineBytes on a character boundary
// (with "…" when cut).
std::string FirstLine(std::string_view body);

QueueEntry QueueEntryOf(const model::Conversation& conversation);

// A change to the window, relative to what a console had.
struct QueueChange {
  std::vector<QueueEntry> added;     // entered the window
  std::vector<QueueEntry> changed;   // in the window before and after, with new data
  std::vector<std::string> removed;  // left the window (taken, ended, or pushed out)
  std::int64_t total = 0;            // waiting in all, after the change

  bool TouchesWindow() const { return !added.empty() || !changed.empty() || !removed.empty(); }
};

// The window and the total, for a console that starts watching.
struct QueueSnapshot {
  std::vector<QueueEntry> top;  // in queue order
  std::int64_t total = 0;
};

class Queue {
 public:
  static constexpr std::size_t kDefaultWindow = 50;

  explicit Queue(std::size_t window = kDefaultWindow);

  // A conversation starts waiting; one already waiting is updated instead.
  QueueChange Add(QueueEntry entry);
  // It stops waiting; an unknown id changes nothing.
  QueueChange Remove(std::string_view conversation_id);
  // Its urgency or nickname changed; an unknown id changes nothing.
  QueueChange Update(QueueEntry entry);

  QueueSnapshot Snapshot() const;
  // The first `count` waiting conversations, in queue order.
  std::vector<QueueEntry> Top(std::size_t count) const;
  // 1-based place, or 0 when it is not waiting.
  std::int64_t PositionOf(std::string_view conversation_id) const;
  bool Contains(std::string_view conversation_id) const;
  // The waiting entry, or null.
  const QueueEntry* Find(std::string_view conversation_id) const;
  std::size_t size() const { return entries_.size(); }
  std::size_t window() const { return window_; }

  // Calls visit(entry, position) for every waiting conversation, in queue order.
  template <class Visit>
  void ForEachInOrder(Visit visit) const {
    std::int64_t position = 0;
    for (const Key& key : order_) visit(entries_.at(key.conversation_id), ++position);
  }

 private:
  struct Key {
    std::int32_t urgency;
    core::UnixMillis created_at;
    std::string conversation_id;
  };
  struct QueueOrder {
    bool operator()(const Key& a, const Key& b) const;
  };
  using Order = __gnu_pbds::tree<Key, __gnu_pbds::null_type, QueueOrder, __gnu_pbds::rb_tree_tag,
                                 __gnu_pbds::tree_order_statistics_node_update>;

  static Key KeyOf(const QueueEntry& entry);
  // The entry at 0-based rank `rank`.
  const QueueEntry& At(std::size_t rank) const;

  const std::size_t window_;
  Order order_;
  std::unordered_map<std::string, QueueEntry> entries_;
};

}  // namespace uitweg::chat
