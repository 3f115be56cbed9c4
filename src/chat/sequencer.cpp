#include "chat/sequencer.hpp"

#include <utility>

namespace uitweg::chat {

std::vector<Entry> Sequencer::Offer(const Entry& entry) {
  const std::int64_t seq = entry.message.seq;
  if (seq > delivered_) waiting_.try_emplace(seq, entry);
  return Drain();
}

std::vector<Entry> Sequencer::OfferAll(std::vector<Entry>&& entries) {
  for (Entry& entry : entries) {
    const std::int64_t seq = entry.message.seq;
    if (seq > delivered_) waiting_.try_emplace(seq, std::move(entry));
  }
  return Drain();
}

std::vector<Entry> Sequencer::Unpause() {
  paused_ = false;
  return Drain();
}

std::vector<Entry> Sequencer::Drain() {
  std::vector<Entry> ready;
  if (paused_) return ready;
  while (!waiting_.empty() && waiting_.begin()->first <= delivered_ + 1) {
    auto node = waiting_.extract(waiting_.begin());
    if (node.key() == delivered_ + 1) {
      ready.push_back(std::move(node.mapped()));
      ++delivered_;
    }
  }
  return ready;
}

}  // namespace uitweg::chat
