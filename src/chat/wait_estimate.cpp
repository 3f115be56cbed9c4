#include "chat/wait_estimate.hpp"

#include <algorithm>

namespace uitweg::chat {

void WaitEstimate::Left(core::UnixMillis at) {
  std::lock_guard lock(mu_);
  // Departures told out of order (another node's, caught up late) still count once each.
  departures_.insert(std::upper_bound(departures_.begin(), departures_.end(), at), at);
  // Bounded: only the window matters, and a burst of thousands says no more than its rate.
  constexpr std::size_t kMaxKept = 10'000;
  if (departures_.size() > kMaxKept) departures_.pop_front();
}

std::optional<core::UnixMillis> WaitEstimate::ExpectedWait(std::int64_t position,
                                                           core::UnixMillis now) const {
  if (position <= 0) return std::nullopt;
  std::lock_guard lock(mu_);
  while (!departures_.empty() && departures_.front() < now - window_) departures_.pop_front();
  if (departures_.empty()) return std::nullopt;
  const core::UnixMillis span = std::max(now - departures_.front(), kMinSpan);
  const core::UnixMillis between = span / static_cast<core::UnixMillis>(departures_.size());
  return between * position;
}

}  // namespace uitweg::chat
