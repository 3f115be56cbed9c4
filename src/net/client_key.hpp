#pragma once
// Turns a peer address into an opaque key for rate limits: a keyed BLAKE2b hash under a salt
// that never leaves memory, so keys cannot be turned back into addresses. The salt is random,
// made at start-up, unless UseSalt gives one: nodes that share a database give the same salt
// (derived from their shared master key), so that one address has one key on every node and
// the sign-in throttle can count it across nodes. An IPv6 address counts as its /64, which one
// household or phone holds whole and can pick addresses in. Thread-safe after UseSalt.

#include <string>
#include <string_view>
#include <utility>

namespace uitweg::net {

class ClientKeys {
 public:
  ClientKeys();
  // Call before the first KeyFor (before the server accepts connections).
  void UseSalt(std::string salt) { salt_ = std::move(salt); }
  // 64 hex characters; one for all the addresses of an IPv6 /64.
  std::string KeyFor(std::string_view address) const;

 private:
  std::string salt_;
};

}  // namespace uitweg::net
