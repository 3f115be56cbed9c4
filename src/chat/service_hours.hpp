#pragma once
// The opening hours in force on this node. An admin replaces them through the console
// (api/opening_hours_api.hpp stores them and calls Replace); other nodes pick the change up when
// they next read the store. Thread-safe.

#include <mutex>

#include "chat/opening_hours.hpp"
#include "core/clock.hpp"

namespace uitweg::chat {

class ServiceHours {
 public:
  ServiceHours(const core::Clock& clock, OpeningHours hours)
      : clock_(clock), hours_(std::move(hours)) {}

  OpeningHours Hours() const {
    std::lock_guard lock(mu_);
    return hours_;
  }
  void Replace(OpeningHours hours) {
    std::lock_guard lock(mu_);
    hours_ = std::move(hours);
  }
  ServiceState Now() const { return StateAt(Hours(), clock_.Now()); }

 private:
  const core::Clock& clock_;
  mutable std::mutex mu_;
  OpeningHours hours_;  // guarded by mu_
};

}  // namespace uitweg::chat
