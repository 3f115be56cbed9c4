#include "api/rate_limiter.hpp"

#include <iterator>

namespace uitweg::api {

RateLimiter::RateLimiter(const core::Clock& clock, std::int64_t limit, core::UnixMillis window)
    : clock_(clock), limit_(limit), window_(window) {}

bool RateLimiter::Allow(std::string_view key) {
  const core::UnixMillis now = clock_.Now();
  std::lock_guard lock(mu_);
  ForgetOld(now);
  Window& window = windows_[std::string(key)];
  if (now - window.start >= window_) window = Window{now, 0};
  if (window.count >= limit_) return false;
  ++window.count;
  return true;
}

std::size_t RateLimiter::TrackedKeys() {
  std::lock_guard lock(mu_);
  ForgetOld(clock_.Now());
  return windows_.size();
}

void RateLimiter::ForgetOld(core::UnixMillis now) {
  if (now - last_sweep_ < window_) return;
  last_sweep_ = now;
  std::erase_if(windows_, [&](const auto& item) { return now - item.second.start >= window_; });
}

}  // namespace uitweg::api
