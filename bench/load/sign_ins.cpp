#include "load/sign_ins.hpp"

#include <chrono>
#include <utility>

#include "support/staff.hpp"

namespace uitweg::load {

using SteadyClock = std::chrono::steady_clock;

SignInDriver::SignInDriver(std::uint16_t port, std::vector<std::string> usernames,
                           std::string password, double per_second)
    : port_(port),
      usernames_(std::move(usernames)),
      password_(std::move(password)),
      per_second_(per_second) {}

SignInDriver::~SignInDriver() {
  if (running_ || scheduler_.joinable()) (void)Stop();
}

void SignInDriver::Start() {
  if (per_second_ <= 0) return;
  running_ = true;
  scheduler_ = std::thread([this] { Schedule(); });
}

void SignInDriver::Schedule() {
  const auto interval = std::chrono::duration_cast<SteadyClock::duration>(
      std::chrono::duration<double>(1.0 / per_second_));
  auto next = SteadyClock::now();
  while (running_) {
    std::this_thread::sleep_until(next);
    if (!running_) break;
    std::lock_guard lock(mu_);
    const std::string& username = usernames_[stats_.started % usernames_.size()];
    ++stats_.started;
    in_flight_.emplace_back([this, &username] { SignInOnce(username); });
    next += interval;
  }
}

void SignInDriver::SignInOnce(const std::string& username) {
  const auto sent = SteadyClock::now();
  const bool ok = static_cast<bool>(support::SignIn(port_, username, password_));
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - sent);
  std::lock_guard lock(mu_);
  if (ok) {
    ++stats_.succeeded;
    latency_us_.push_back(static_cast<std::uint32_t>(us.count()));
  } else {
    ++stats_.failed;
  }
}

SignInStats SignInDriver::Stop() {
  running_ = false;
  if (scheduler_.joinable()) scheduler_.join();
  std::vector<std::thread> waiting;
  {
    std::lock_guard lock(mu_);
    waiting.swap(in_flight_);
  }
  for (auto& thread : waiting) thread.join();
  std::lock_guard lock(mu_);
  stats_.latency = Summarise(latency_us_);
  return stats_;
}

}  // namespace uitweg::load
