#pragma once
// Counts events per key in fixed windows and says when a key has had enough: at most `limit`
// events per `window`. Keys are opaque (salted hashes of addresses); everything lives in memory
// only and is forgotten a window after its last use.
//
// Thread-safe.

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.hpp"

namespace uitweg::api {

class RateLimiter {
 public:
  RateLimiter(const core::Clock& clock, std::int64_t limit, core::UnixMillis window);

  // Counts one event; false when the key is over its limit for the current window.
  bool Allow(std::string_view key);
  std::size_t TrackedKeys();

 private:
  struct Window {
    core::UnixMillis start = 0;
    std::int64_t count = 0;
  };
  void ForgetOld(core::UnixMillis now);

  const core::Clock& clock_;
  const std::int64_t limit_;
  const core::UnixMillis window_;

  // Guarded by mu_.
  std::mutex mu_;
  std::unordered_map<std::string, Window> windows_;
  core::UnixMillis last_sweep_ = 0;
};

}  // namespace uitweg::api
