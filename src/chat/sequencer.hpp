#pragma once
// Puts the entries of one conversation in seq order for one reader: each seq is handed out
// once, without gaps. Entries that arrive ahead of a missing one wait until it comes (from the
// hub or from a catch-up read of the store); entries at or below what was handed out are
// dropped. So a reader can follow the hub first and read the store afterwards: whatever
// arrives twice or early is merged in order.
//
// Not thread-safe: the owner guards it.

#include <cstdint>
#include <map>
#include <vector>

#include "chat/entry.hpp"

namespace uitweg::chat {

class Sequencer {
 public:
  // `delivered_seq`: the last seq the reader already has. A paused sequencer keeps everything
  // until Unpause (the reader has not been told about the conversation yet).
  explicit Sequencer(std::int64_t delivered_seq = 0, bool paused = false)
      : delivered_(delivered_seq), paused_(paused) {}

  // Entries now ready to hand out, in order (possibly none).
  std::vector<Entry> Offer(const Entry& entry);
  // Several at once, e.g. the result of a replay or catch-up read.
  std::vector<Entry> OfferAll(std::vector<Entry>&& entries);

  // True while entries wait for a missing seq: the owner should read the store after
  // delivered() to fill the gap.
  bool HasGap() const { return !paused_ && !waiting_.empty(); }
  // Hands out what is ready and stops holding entries back.
  std::vector<Entry> Unpause();
  std::int64_t delivered() const { return delivered_; }

 private:
  std::vector<Entry> Drain();

  std::int64_t delivered_;
  bool paused_;
  std::map<std::int64_t, Entry> waiting_;
};

}  // namespace uitweg::chat
