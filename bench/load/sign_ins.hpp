#pragma once
// Staff sign-ins at a steady rate beside the chat load (--sign-ins-per-second): each one a
// real POST /api/v1/staff/session that makes the server verify an argon2id hash, so that the
// run shows what password hashing does to chat latency. Open loop: a sign-in starts on
// schedule whether or not the earlier ones have been answered. The accounts take turns, as
// each sign-in uses up a code of its account's second factor.
//
// Start launches the schedule on its own thread; Stop ends it, waits for every sign-in in
// flight and returns what was measured. Not thread-safe; one owner.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "load/process_stats.hpp"

namespace uitweg::load {

struct SignInStats {
  std::uint64_t started = 0;
  std::uint64_t succeeded = 0;
  std::uint64_t failed = 0;
  Percentiles latency;  // request sent -> answer received, successful ones
};

class SignInDriver {
 public:
  SignInDriver(std::uint16_t port, std::vector<std::string> usernames, std::string password,
               double per_second);
  ~SignInDriver();
  SignInDriver(const SignInDriver&) = delete;
  SignInDriver& operator=(const SignInDriver&) = delete;

  void Start();
  SignInStats Stop();

 private:
  void Schedule();
  void SignInOnce(const std::string& username);

  const std::uint16_t port_;
  const std::vector<std::string> usernames_;  // not empty
  const std::string password_;
  const double per_second_;
  std::atomic<bool> running_{false};
  std::thread scheduler_;
  // Guarded by mu_.
  std::mutex mu_;
  std::vector<std::thread> in_flight_;
  std::vector<std::uint32_t> latency_us_;
  SignInStats stats_;
};

}  // namespace uitweg::load
