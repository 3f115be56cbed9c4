#include "chat/queue.hpp"

#include "core/utf8.hpp"

#include <algorithm>
#include <tuple>

namespace uitweg::chat {

QueueEntry QueueEntryOf(const model::Conversation& conversation) {
  return QueueEntry{.conversation_id = conversation.id,
                    .nickname = conversation.nickname,
                    .subject = conversation.subject,
                    .urgency = conversation.urgency,
                    .created_at = conversation.created_at,
                    .last_seq = conversation.last_seq,
                    .urgency_marked = conversation.urgency_marked_by.has_value()};
}

std::string FirstLine(std::string_view body) {
  const std::size_t start = body.find_first_not_of(" \r\n");
  if (start == std::string_view::npos) return {};
  body.remove_prefix(start);
  std::string_view line = body.substr(0, body.find('\n'));
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
  while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
  if (line.size() <= kFirstLineBytes) return std::string(line);
  return std::string(core::ValidUtf8Prefix(line.substr(0, kFirstLineBytes - 3))) + "…";
}

bool Queue::QueueOrder::operator()(const Key& a, const Key& b) const {
  return std::tie(b.urgency, a.created_at, a.conversation_id) <
         std::tie(a.urgency, b.created_at, b.conversation_id);
}

Queue::Queue(std::size_t window) : window_(std::max<std::size_t>(window, 1)) {}

Queue::Key Queue::KeyOf(const QueueEntry& entry) {
  return Key{entry.urgency, entry.created_at, entry.conversation_id};
}

const QueueEntry& Queue::At(std::size_t rank) const {
  return entries_.at(order_.find_by_order(rank)->conversation_id);
}

QueueChange Queue::Add(QueueEntry entry) {
  if (Contains(entry.conversation_id)) return Update(std::move(entry));
  const Key key = KeyOf(entry);
  order_.insert(key);
  const std::size_t rank = order_.order_of_key(key);
  auto [stored, inserted] = entries_.emplace(entry.conversation_id, std::move(entry));
  QueueChange change;
  change.total = static_cast<std::int64_t>(entries_.size());
  if (rank >= window_) return change;
  change.added.push_back(stored->second);
  if (entries_.size() > window_) change.removed.push_back(At(window_).conversation_id);
  return change;
}

QueueChange Queue::Remove(std::string_view conversation_id) {
  QueueChange change;
  const auto found = entries_.find(std::string(conversation_id));
  if (found == entries_.end()) {
    change.total = static_cast<std::int64_t>(entries_.size());
    return change;
  }
  const Key key = KeyOf(found->second);
  const std::size_t rank = order_.order_of_key(key);
  order_.erase(key);
  entries_.erase(found);
  change.total = static_cast<std::int64_t>(entries_.size());
  if (rank >= window_) return change;
  change.removed.emplace_back(conversation_id);
  if (entries_.size() >= window_) change.added.push_back(At(window_ - 1));
  return change;
}

QueueChange Queue::Update(QueueEntry entry) {
  QueueChange change;
  change.total = static_cast<std::int64_t>(entries_.size());
  const auto found = entries_.find(entry.conversation_id);
  if (found == entries_.end()) return change;
  const Key before = KeyOf(found->second);
  const std::size_t rank_before = order_.order_of_key(before);
  order_.erase(before);
  const Key after = KeyOf(entry);
  order_.insert(after);
  const std::size_t rank_after = order_.order_of_key(after);
  found->second = std::move(entry);
  const bool was_in = rank_before < window_;
  const bool is_in = rank_after < window_;
  if (was_in && is_in) {
    change.changed.push_back(found->second);
  } else if (was_in) {
    change.removed.push_back(found->second.conversation_id);
    change.added.push_back(At(window_ - 1));
  } else if (is_in) {
    change.added.push_back(found->second);
    change.removed.push_back(At(window_).conversation_id);
  }
  return change;
}

QueueSnapshot Queue::Snapshot() const {
  return QueueSnapshot{Top(window_), static_cast<std::int64_t>(entries_.size())};
}

std::vector<QueueEntry> Queue::Top(std::size_t count) const {
  std::vector<QueueEntry> top;
  for (auto it = order_.begin(); it != order_.end() && top.size() < count; ++it) {
    top.push_back(entries_.at(it->conversation_id));
  }
  return top;
}

std::int64_t Queue::PositionOf(std::string_view conversation_id) const {
  const auto found = entries_.find(std::string(conversation_id));
  if (found == entries_.end()) return 0;
  return static_cast<std::int64_t>(order_.order_of_key(KeyOf(found->second))) + 1;
}

bool Queue::Contains(std::string_view conversation_id) const {
  return entries_.contains(std::string(conversation_id));
}

const QueueEntry* Queue::Find(std::string_view conversation_id) const {
  auto it = entries_.find(std::string(conversation_id));
  return it == entries_.end() ? nullptr : &it->second;
}

}  // namespace uitweg::chat
