#pragma once
// Slows down password guessing: counts failed sign-ins per username and per client (e.g. the
// connection's address), in memory only. After `max_failures` failures within `window`, further
// attempts for that username or from that client are refused until the oldest of those
// failures is `window` old. A successful sign-in clears both counters.
//
// Keys are never kept as given: each is a keyed BLAKE2b hash under a random salt made when the
// limiter is created, so the memory holds no usernames or addresses. Memory is bounded: past
// `max_entries` keys, stale entries are pruned and then the least recently failed ones dropped.
//
// With a `shared` store (nodes that share a database), a username's failures are also kept
// there, under a hash of the username (never an address: behind a load balancer the nodes see
// only its address, and it limits per client itself), so that a username throttled on one node
// is throttled on all. Should the store not answer, the limiter counts here alone.
//
// Thread-safe.

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"
#include "store/account_store.hpp"

namespace uitweg::auth {

struct SignInLimits {
  std::size_t max_failures = 5;
  core::UnixMillis window_ms = 15 * 60 * 1000;
  std::size_t max_entries = 100'000;
};

class SignInLimiter {
 public:
  explicit SignInLimiter(SignInLimits limits = {}, store::AccountStore* shared = nullptr);

  // nullopt if an attempt may go ahead now; otherwise the milliseconds until one may. An empty
  // client_key is not counted.
  std::optional<core::UnixMillis> RetryAfter(std::string_view username, std::string_view client_key,
                                             core::UnixMillis now);
  void RecordFailure(std::string_view username, std::string_view client_key, core::UnixMillis now);
  void RecordSuccess(std::string_view username, std::string_view client_key);

  // Keys currently tracked.
  std::size_t size() const;

 private:
  // Failure times, oldest first, at most max_failures of them.
  using Failures = std::vector<core::UnixMillis>;

  std::string Key(char kind, std::string_view value) const;
  std::optional<core::UnixMillis> WaitFor(const std::string& key, core::UnixMillis now) const;
  void Fail(const std::string& key, core::UnixMillis now);
  void MakeRoom(core::UnixMillis now);

  // How long to wait by the failures of `username` that the shared store holds.
  std::optional<core::UnixMillis> SharedWait(std::string_view username, core::UnixMillis now);
  static std::string SharedKey(std::string_view username);

  const SignInLimits limits_;
  store::AccountStore* const shared_;
  const std::string salt_;

  // Guarded by mutex_:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Failures> entries_;
};

}  // namespace uitweg::auth
