#include "chat/sequencer.hpp"

#include <algorithm>
#include <utility>

namespace uitweg::chat {

void Sequencer::Keep(SequencedFrame entry, bool live) {
  if (entry.seq > last_) return;
  seen_ = std::max(seen_, entry.seq);
  if (entry.seq <= delivered_ || waiting_.contains(entry.seq)) return;
  if (live && waiting_.size() >= max_waiting_) return;
  waiting_.emplace(entry.seq, std::move(entry.frame));
}

std::vector<Frame> Sequencer::Offer(SequencedFrame entry) {
  Keep(std::move(entry), true);
  return Drain();
}

std::vector<Frame> Sequencer::OfferAll(std::vector<SequencedFrame>&& entries) {
  for (SequencedFrame& entry : entries) Keep(std::move(entry), false);
  return Drain();
}

std::vector<Frame> Sequencer::Unpause() {
  paused_ = false;
  return Drain();
}

void Sequencer::StopAfter(std::int64_t last_seq) {
  last_ = last_seq;
  waiting_.erase(waiting_.upper_bound(last_seq), waiting_.end());
  seen_ = std::min(seen_, std::max(last_seq, delivered_));
}

std::vector<Frame> Sequencer::Drain() {
  std::vector<Frame> ready;
  if (paused_) return ready;
  while (!waiting_.empty() && waiting_.begin()->first == delivered_ + 1) {
    if (waiting_.begin()->second) ready.push_back(std::move(waiting_.begin()->second));
    waiting_.erase(waiting_.begin());
    ++delivered_;
  }
  return ready;
}

}  // namespace uitweg::chat
