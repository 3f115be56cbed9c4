#include "auth/sign_in_limiter.hpp"

#include <algorithm>

#include "core/log.hpp"
#include "crypto/random.hpp"

namespace uitweg::auth {

SignInLimiter::SignInLimiter(SignInLimits limits, store::AccountStore* shared)
    : limits_{std::max<std::size_t>(1, limits.max_failures), limits.window_ms,
              std::max<std::size_t>(2, limits.max_entries)},
      shared_(shared),
      salt_(crypto::RandomBytes(32)) {}

std::string SignInLimiter::SharedKey(std::string_view username) {
  return crypto::HashToken(std::string("sign-in:") + std::string(username));
}

std::optional<core::UnixMillis> SignInLimiter::SharedWait(std::string_view username,
                                                          core::UnixMillis now) {
  if (shared_ == nullptr) return std::nullopt;
  auto failures = shared_->SignInFailures(SharedKey(username), now - limits_.window_ms);
  if (!failures) {
    core::Log(core::LogLevel::warn, "auth.throttle_store_failed",
              {{"code", core::ErrcName(failures.error().code)}});
    return std::nullopt;
  }
  if (failures->size() < limits_.max_failures) return std::nullopt;
  // Free once the oldest of the last max_failures is a window old.
  const core::UnixMillis free_at =
      (*failures)[failures->size() - limits_.max_failures] + limits_.window_ms;
  if (free_at <= now) return std::nullopt;
  return free_at - now;
}

std::string SignInLimiter::Key(char kind, std::string_view value) const {
  std::string tagged(1, kind);
  tagged += ':';
  tagged += value;
  return crypto::KeyedHash(salt_, tagged);
}

std::optional<core::UnixMillis> SignInLimiter::RetryAfter(std::string_view username,
                                                          std::string_view client_key,
                                                          core::UnixMillis now) {
  const std::string user_key = Key('u', username);
  const std::string client = client_key.empty() ? std::string() : Key('c', client_key);
  std::optional<core::UnixMillis> wait = SharedWait(username, now);
  std::lock_guard lock(mutex_);
  if (auto user_wait = WaitFor(user_key, now)) wait = std::max(wait.value_or(0), *user_wait);
  if (!client.empty()) {
    if (auto client_wait = WaitFor(client, now)) wait = std::max(wait.value_or(0), *client_wait);
  }
  return wait;
}

void SignInLimiter::RecordFailure(std::string_view username, std::string_view client_key,
                                  core::UnixMillis now) {
  const std::string user_key = Key('u', username);
  const std::string client = client_key.empty() ? std::string() : Key('c', client_key);
  if (shared_ != nullptr) {
    if (auto recorded =
            shared_->RecordSignInFailure(SharedKey(username), now, now - limits_.window_ms);
        !recorded) {
      core::Log(core::LogLevel::warn, "auth.throttle_store_failed",
                {{"code", core::ErrcName(recorded.error().code)}});
    }
  }
  std::lock_guard lock(mutex_);
  Fail(user_key, now);
  if (!client.empty()) Fail(client, now);
}

void SignInLimiter::RecordSuccess(std::string_view username, std::string_view client_key) {
  const std::string user_key = Key('u', username);
  const std::string client = client_key.empty() ? std::string() : Key('c', client_key);
  if (shared_ != nullptr) (void)shared_->ClearSignInFailures(SharedKey(username));
  std::lock_guard lock(mutex_);
  entries_.erase(user_key);
  if (!client.empty()) entries_.erase(client);
}

std::size_t SignInLimiter::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

std::optional<core::UnixMillis> SignInLimiter::WaitFor(const std::string& key,
                                                       core::UnixMillis now) const {
  const auto found = entries_.find(key);
  if (found == entries_.end() || found->second.size() < limits_.max_failures) return std::nullopt;
  const core::UnixMillis free_at = found->second.front() + limits_.window_ms;
  if (free_at <= now) return std::nullopt;
  return free_at - now;
}

void SignInLimiter::Fail(const std::string& key, core::UnixMillis now) {
  auto found = entries_.find(key);
  if (found == entries_.end()) {
    if (entries_.size() >= limits_.max_entries) MakeRoom(now);
    found = entries_.emplace(key, Failures{}).first;
  }
  Failures& failures = found->second;
  std::erase_if(failures, [&](core::UnixMillis at) { return at + limits_.window_ms <= now; });
  if (failures.size() >= limits_.max_failures) failures.erase(failures.begin());
  failures.push_back(now);
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
  for (const auto& [key, failures] : entries_) by_latest.emplace_back(failures.back(), key);
  const std::size_t drop = std::max<std::size_t>(1, entries_.size() / 10);
  std::nth_element(by_latest.begin(), by_latest.begin() + static_cast<std::ptrdiff_t>(drop - 1),
                   by_latest.end());
  for (std::size_t i = 0; i < drop; ++i) entries_.erase(by_latest[i].second);
}

}  // namespace uitweg::auth
