#pragma once
// Puts the entries of one conversation in seq order for one reader: each seq is handed out
// once, without gaps. Entries that arrive ahead of a missing one wait until it comes (from the
// hub or from a catch-up read of the store); entries at or below what was handed out are
// dropped. So a reader can follow the hub first and read the store afterwards: whatever arrives
// twice or early is merged in order. At most `max_waiting` live entries wait; later ones are
// dropped and only remembered as a gap, to be read from the store. What the store gave (OfferAll)
// is always kept: it is what the reader needs next.
//
// It holds encoded frames, shared with every other reader of the same entry. An entry with no
// frame counts as delivered but has nothing to hand out (the reader sent it itself). Not
// thread-safe: the owner guards it.

#include <cstdint>
#include <limits>
#include <map>
#include <vector>

#include "chat/entry.hpp"

namespace uitweg::chat {

struct SequencedFrame {
  std::int64_t seq = 0;
  Frame frame;
};

class Sequencer {
 public:
  static constexpr std::size_t kDefaultMaxWaiting = 256;

  // `delivered_seq`: the last seq the reader already has. A paused sequencer keeps what it is
  // offered until Unpause (the reader is still being replayed what came before).
  explicit Sequencer(std::int64_t delivered_seq = 0, bool paused = false,
                     std::size_t max_waiting = kDefaultMaxWaiting)
      : delivered_(delivered_seq),
        seen_(delivered_seq),
        paused_(paused),
        max_waiting_(max_waiting) {}

  // Frames now ready to hand out, in order (possibly none; never a null frame).
  std::vector<Frame> Offer(SequencedFrame entry);
  // Several at once, e.g. the result of a replay or catch-up read.
  std::vector<Frame> OfferAll(std::vector<SequencedFrame>&& entries);

  // True while entries after delivered() are known to exist but are not here: the owner should
  // read the store after delivered() to fill the gap.
  bool HasGap() const { return !paused_ && seen_ > delivered_; }
  // Hands out what is ready and stops holding entries back.
  std::vector<Frame> Unpause();
  // The reader reads nothing after `last_seq`: what waits after it is dropped, and so is what
  // is offered after it from now on.
  void StopAfter(std::int64_t last_seq);
  std::int64_t delivered() const { return delivered_; }
  bool paused() const { return paused_; }

 private:
  void Keep(SequencedFrame entry, bool live);
  std::vector<Frame> Drain();

  std::int64_t delivered_;
  std::int64_t seen_;  // the highest seq offered
  bool paused_;
  const std::size_t max_waiting_;
  std::int64_t last_ = std::numeric_limits<std::int64_t>::max();
  std::map<std::int64_t, Frame> waiting_;
};

}  // namespace uitweg::chat
