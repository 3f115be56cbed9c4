#pragma once
// Turns a peer address into an opaque key for in-memory rate limits: a keyed BLAKE2b hash under
// a random salt made at start-up. The salt never leaves memory, so keys cannot be turned back
// into addresses, and they change with every restart. Thread-safe after construction.

#include <string>
#include <string_view>

namespace uitweg::net {

class ClientKeys {
 public:
  ClientKeys();
  // 64 hex characters.
  std::string KeyFor(std::string_view address) const;

 private:
  std::string salt_;
};

}  // namespace uitweg::net
