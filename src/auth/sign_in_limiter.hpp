#pragma once
// Slows down password guessing without handing anyone a way to lock a colleague out.
//
// Every attempt is counted when it begins, before the password is checked (Admit), and
// forgotten only when it succeeds (Succeeded): so a hundred attempts sent at once get exactly
// as many password checks as the limit allows, not as many as arrive before the first answer.
// Three counts, each over a sliding `window`:
//   - per account and client together (`per_account_and_client`, 5): the tight limit on one
//     guesser at one account. Failures from one address do not stop the account's owner
//     signing in from another.
//   - per client (`per_client`, 20): one address guessing at many accounts. A success takes
//     only its own attempt off this count: a guesser who signs in to an account of their own
//     from the same address does not win the address twenty more guesses.
//   - per account from every client (`per_account`, 100): a guess spread over many
//     addresses. High on purpose: keeping an owner locked out takes 20 addresses at a time
//     (100 / 5), and the code from the owner's app still stands between any guesser and the
//     account.
// When a count is full, further attempts are refused until its oldest attempt is `window`
// old; RetryAfter and Admit say exactly how long.
//
// Keys are never kept as given: each is a keyed BLAKE2b hash under a random salt made when the
// limiter is created, so the memory holds no usernames or addresses. Memory is bounded: past
// `max_entries` keys, stale entries are pruned and then the least recently failed ones dropped.
//
// With a `shared` store (nodes that share a database), the per-account and the per-account-
// and-client counts are kept there too, under hashes keyed with `shared_key` (the same on
// every node; never a name or an address in the clear), so that an account throttled on one
// node is throttled on all; a success clears them there. Should the store not answer, the
// limiter counts here alone. (The store's check and count are two statements, so nodes racing
// each other may admit a few attempts past a limit; on one node the count is exact, and a node
// keeps its own count for the window even after a success on another.)
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
  std::size_t per_account_and_client = 5;
  std::size_t per_client = 20;
  std::size_t per_account = 100;
  core::UnixMillis window_ms = 15 * 60 * 1000;
  std::size_t max_entries = 100'000;
  std::string shared_key = {};  // keys the shared store's hashes; the same on every node
};

class SignInLimiter {
 public:
  explicit SignInLimiter(SignInLimits limits = {}, store::AccountStore* shared = nullptr);

  // Begins an attempt: nullopt and counts it (as a failure, until Succeeded), or the
  // milliseconds until an attempt may begin, counting nothing. An empty client_key is one
  // client like any other.
  std::optional<core::UnixMillis> Admit(std::string_view username, std::string_view client_key,
                                        core::UnixMillis now);
  // The attempt that Admit admitted at `admitted_at` succeeded: forgets the counts of this
  // account (on every node) and this attempt in the client's count.
  void Succeeded(std::string_view username, std::string_view client_key,
                 core::UnixMillis admitted_at);

  // How long Admit would refuse now; nullopt if it would admit. Counts nothing.
  std::optional<core::UnixMillis> RetryAfter(std::string_view username, std::string_view client_key,
                                             core::UnixMillis now);

  // Keys currently tracked.
  std::size_t size() const;

 private:
  // Attempt times, oldest first, at most the key's limit of them.
  using Attempts = std::vector<core::UnixMillis>;
  struct Keys {
    std::string pair, client, account;
  };

  static Keys KeysUnder(std::string_view salt, std::string_view username,
                        std::string_view client_key);
  // Requires mutex_.
  std::optional<core::UnixMillis> LocalWait(const Keys& keys, core::UnixMillis now) const;
  std::optional<core::UnixMillis> WaitFor(const std::string& key, std::size_t limit,
                                          core::UnixMillis now) const;
  void Count(const std::string& key, std::size_t limit, core::UnixMillis now);
  void MakeRoom(core::UnixMillis now);

  // The shared store's counts: how long to wait by them, and counting an attempt.
  Keys SharedKeysFor(std::string_view username, std::string_view client_key) const;
  std::optional<core::UnixMillis> SharedWait(const Keys& keys, core::UnixMillis now);
  std::optional<core::UnixMillis> SharedWaitFor(const std::string& key, std::size_t limit,
                                                core::UnixMillis now);
  void SharedCount(const Keys& keys, core::UnixMillis now);

  const SignInLimits limits_;
  store::AccountStore* const shared_;
  const std::string salt_;

  // Guarded by mutex_:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Attempts> entries_;
};

}  // namespace uitweg::auth
