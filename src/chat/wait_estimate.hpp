#pragma once
// What a waiting visitor may expect: how long until their turn, from how fast the queue moved
// lately. Every conversation that leaves the queue (taken, or ended while waiting) moves everyone
// behind it up one place; the time between such departures over the last `window` (at least
// kMinSpan, so that two quick accepts do not promise seconds) times the visitor's place is the
// estimate. No departure in the window: no estimate (the visitor is told it is very busy).
//
// Thread-safe.

#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

#include "core/clock.hpp"

namespace uitweg::chat {

class WaitEstimate {
 public:
  static constexpr core::UnixMillis kDefaultWindow = 60 * 60 * 1000;
  static constexpr core::UnixMillis kMinSpan = 10 * 60 * 1000;

  explicit WaitEstimate(core::UnixMillis window = kDefaultWindow) : window_(window) {}

  // A conversation left the queue at `at`.
  void Left(core::UnixMillis at);
  // For the visitor at 1-based `position` (0: not waiting, nullopt).
  std::optional<core::UnixMillis> ExpectedWait(std::int64_t position, core::UnixMillis now) const;

 private:
  const core::UnixMillis window_;
  mutable std::mutex mu_;
  mutable std::deque<core::UnixMillis> departures_;  // oldest first; guarded by mu_
};

}  // namespace uitweg::chat
