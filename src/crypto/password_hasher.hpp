#pragma once
// Staff password hashing with argon2id (libsodium's crypto_pwhash_str_alg), in the encoded
// string form "$argon2id$v=19$m=...,t=...,p=1$salt$hash" that carries its own parameters.
//
// Each hash costs `memlimit_bytes` of memory and `opslimit` passes, on purpose. A semaphore
// bounds how many hashes run at once so that a burst of sign-ins cannot exhaust memory; callers
// beyond the bound wait. Thread-safe; not copyable or movable (the semaphore is shared by all
// callers of one hasher). Blocking: call from a worker pool, never from an I/O thread.

#include <cstddef>
#include <cstdint>
#include <semaphore>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace uitweg::crypto {

using core::Result;

struct PasswordHashOptions {
  // The OWASP minimum for argon2id: 19 MiB, 2 passes. Lower values are refused.
  static constexpr std::uint64_t kMinOpslimit = 2;
  static constexpr std::size_t kMinMemlimitBytes = 19u * 1024 * 1024;

  std::uint64_t opslimit = kMinOpslimit;
  std::size_t memlimit_bytes = kMinMemlimitBytes;
  // Hashes at once; 0 means one per hardware thread.
  std::size_t max_concurrent = 0;
};

class PasswordHasher {
 public:
  // Throws std::invalid_argument when the options are below the minimum or above libsodium's
  // maximum (a configuration error found at start-up).
  explicit PasswordHasher(PasswordHashOptions options = {});
  PasswordHasher(const PasswordHasher&) = delete;
  PasswordHasher& operator=(const PasswordHasher&) = delete;

  // A fresh salted hash. invalid_argument if the password is empty or longer than 4096 bytes;
  // resource_exhausted if the system cannot provide the memory.
  Result<std::string> Hash(std::string_view password);

  // true if `password` matches `encoded`; false if it does not. invalid_argument if `encoded`
  // is not an argon2id hash string.
  Result<bool> Verify(std::string_view encoded, std::string_view password);

  // true when `encoded` was made with other parameters than this hasher's (or is not a valid
  // argon2id string), so it should be replaced after the next successful Verify.
  bool NeedsRehash(std::string_view encoded) const;

  std::size_t max_concurrent() const { return max_concurrent_; }

 private:
  static constexpr std::size_t kMaxPasswordBytes = 4096;

  PasswordHashOptions options_;
  std::size_t max_concurrent_;
  std::counting_semaphore<> slots_;
};

}  // namespace uitweg::crypto
