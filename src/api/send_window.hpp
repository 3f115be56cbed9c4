#pragma once
// Bounds the sends of one socket that are handed to the store but not yet answered. Sends are
// answered asynchronously once durable, so without a bound a client that never waits for its
// acks could queue unbounded work at the store; with it, the socket stops reading while
// `limit` sends are in flight, and reads on when one is answered.
//
// Thread safety: Take and Release may be called from any thread at once (one atomic).

#include <atomic>
#include <cstddef>

namespace uitweg::api {

// Unanswered sends per socket before it stops reading.
inline constexpr std::size_t kSendWindow = 64;

class SendWindow {
 public:
  explicit SendWindow(std::size_t limit) : limit_(limit == 0 ? 1 : limit) {}

  // Counts a send; false when the window is now full and reading must hold.
  bool Take() { return taken_.fetch_add(1, std::memory_order_acq_rel) + 1 < limit_; }
  // An answer came; true when this frees a full window, so that reading must resume.
  bool Release() { return taken_.fetch_sub(1, std::memory_order_acq_rel) == limit_; }

 private:
  const std::size_t limit_;
  std::atomic<std::size_t> taken_{0};
};

}  // namespace uitweg::api
