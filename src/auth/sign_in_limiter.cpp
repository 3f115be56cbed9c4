#include "auth/sign_in_limiter.hpp"

#include <algorithm>
#include <iterator>

#include "core/log.hpp"
#include "crypto/random.hpp"

namespace uitweg::auth {
namespace {

std::optional<core::UnixMillis> Longer(std::optional<core::UnixMillis> a,
                                       std::optional<core::UnixMillis> b) {
  if (!a) return b;
  if (!b) return a;
  return std::max(*a, *b);
}

}  // namespace

SignInLimiter::SignInLimiter(SignInLimits limits, store::AccountStore* shared)
    : limits_{std::max<std::size_t>(1, limits.per_account_and_client),
              std::max<std::size_t>(1, limits.per_client),
              std::max<std::size_t>(1, limits.per_account),
              limits.window_ms,
              std::max<std::size_t>(3, limits.max_entries),
              limits.shared_key},
      shared_(shared),
      salt_(crypto::RandomBytes(32)) {}

SignInLimiter::Keys SignInLimiter::KeysUnder(std::string_view salt, std::string_view username,
                                             std::string_view client_key) {
  const auto hash = [salt](std::string_view tag, std::string_view a, std::string_view b = {}) {
    // Lengths first, so that no two (username, client) pairs make the same text.
    return crypto::KeyedHash(
        salt, std::string(tag) + std::to_string(a.size()) + ":" + std::string(a) + std::string(b));
  };
  return Keys{hash("p", username, client_key), hash("c", client_key), hash("a", username)};
}

SignInLimiter::Keys SignInLimiter::SharedKeysFor(std::string_view username,
                                                 std::string_view client_key) const {
  return KeysUnder("sign-in:" + limits_.shared_key, username, client_key);
}

std::optional<core::UnixMillis> SignInLimiter::SharedWaitFor(const std::string& key,
                                                             std::size_t limit,
                                                             core::UnixMillis now) {
  auto attempts = shared_->SignInFailures(key, now - limits_.window_ms);
  if (!attempts) {
    core::Log(core::LogLevel::warn, "auth.throttle_store_failed",
              {{"code", core::ErrcName(attempts.error().code)}});
    return std::nullopt;
  }
  if (attempts->size() < limit) return std::nullopt;
  const core::UnixMillis free_at = (*attempts)[attempts->size() - limit] + limits_.window_ms;
  if (free_at <= now) return std::nullopt;
  return free_at - now;
}

std::optional<core::UnixMillis> SignInLimiter::SharedWait(const Keys& keys, core::UnixMillis now) {
  if (shared_ == nullptr) return std::nullopt;
  return Longer(SharedWaitFor(keys.pair, limits_.per_account_and_client, now),
                SharedWaitFor(keys.account, limits_.per_account, now));
}

void SignInLimiter::SharedCount(const Keys& keys, core::UnixMillis now) {
  if (shared_ == nullptr) return;
  for (const std::string* key : {&keys.pair, &keys.account}) {
    if (auto recorded = shared_->RecordSignInFailure(*key, now, now - limits_.window_ms);
        !recorded) {
      core::Log(core::LogLevel::warn, "auth.throttle_store_failed",
                {{"code", core::ErrcName(recorded.error().code)}});
    }
  }
}

std::optional<core::UnixMillis> SignInLimiter::LocalWait(const Keys& keys,
                                                         core::UnixMillis now) const {
  auto wait = WaitFor(keys.pair, limits_.per_account_and_client, now);
  wait = Longer(wait, WaitFor(keys.client, limits_.per_client, now));
  return Longer(wait, WaitFor(keys.account, limits_.per_account, now));
}

std::optional<core::UnixMillis> SignInLimiter::Admit(std::string_view username,
                                                     std::string_view client_key,
                                                     core::UnixMillis now) {
  const Keys keys = KeysUnder(salt_, username, client_key);
  const Keys shared = SharedKeysFor(username, client_key);
  if (auto shared_wait = SharedWait(shared, now)) return shared_wait;
  {
    std::lock_guard lock(mutex_);
    if (auto wait = LocalWait(keys, now)) return wait;
    Count(keys.pair, limits_.per_account_and_client, now);
    Count(keys.client, limits_.per_client, now);
    Count(keys.account, limits_.per_account, now);
  }
  SharedCount(shared, now);
  return std::nullopt;
}

void SignInLimiter::Succeeded(std::string_view username, std::string_view client_key,
                              core::UnixMillis admitted_at) {
  const Keys keys = KeysUnder(salt_, username, client_key);
  // The owner has shown who they are: the account's counts, on every node, start afresh too.
  if (shared_ != nullptr) {
    const Keys shared = SharedKeysFor(username, client_key);
    (void)shared_->ClearSignInFailures(shared.pair);
    (void)shared_->ClearSignInFailures(shared.account);
  }
  std::lock_guard lock(mutex_);
  entries_.erase(keys.pair);
  entries_.erase(keys.account);
  if (auto client = entries_.find(keys.client); client != entries_.end()) {
    Attempts& attempts = client->second;
    if (auto own = std::find(attempts.rbegin(), attempts.rend(), admitted_at);
        own != attempts.rend()) {
      attempts.erase(std::next(own).base());
    }
    if (attempts.empty()) entries_.erase(client);
  }
}

std::optional<core::UnixMillis> SignInLimiter::RetryAfter(std::string_view username,
                                                          std::string_view client_key,
                                                          core::UnixMillis now) {
  const Keys keys = KeysUnder(salt_, username, client_key);
  const auto shared_wait = SharedWait(SharedKeysFor(username, client_key), now);
  std::lock_guard lock(mutex_);
  return Longer(shared_wait, LocalWait(keys, now));
}

std::size_t SignInLimiter::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

std::optional<core::UnixMillis> SignInLimiter::WaitFor(const std::string& key, std::size_t limit,
                                                       core::UnixMillis now) const {
  const auto found = entries_.find(key);
  if (found == entries_.end() || found->second.size() < limit) return std::nullopt;
  const core::UnixMillis free_at = found->second[found->second.size() - limit] + limits_.window_ms;
  if (free_at <= now) return std::nullopt;
  return free_at - now;
}

void SignInLimiter::Count(const std::string& key, std::size_t limit, core::UnixMillis now) {
  auto found = entries_.find(key);
  if (found == entries_.end()) {
    if (entries_.size() >= limits_.max_entries) MakeRoom(now);
    found = entries_.emplace(key, Attempts{}).first;
  }
  Attempts& attempts = found->second;
  std::erase_if(attempts, [&](core::UnixMillis at) { return at + limits_.window_ms <= now; });
  if (attempts.size() >= limit) attempts.erase(attempts.begin());
  attempts.push_back(now);
}

void SignInLimiter::MakeRoom(core::UnixMillis now) {
  std::erase_if(entries_, [&](const auto& entry) {
    return entry.second.empty() || entry.second.back() + limits_.window_ms <= now;
  });
  if (entries_.size() < limits_.max_entries) return;
  // Still full of live entries (a flood of distinct keys): forget the quietest tenth, so that
  // this scan runs once per many insertions rather than on each.
  std::vector<std::pair<core::UnixMillis, std::string>> by_latest;
  by_latest.reserve(entries_.size());
  for (const auto& [key, attempts] : entries_) by_latest.emplace_back(attempts.back(), key);
  const std::size_t drop = std::max<std::size_t>(1, entries_.size() / 10);
  std::nth_element(by_latest.begin(), by_latest.begin() + static_cast<std::ptrdiff_t>(drop - 1),
                   by_latest.end());
  for (std::size_t i = 0; i < drop; ++i) entries_.erase(by_latest[i].second);
}

}  // namespace uitweg::auth
