#pragma once
// Staff password hashing with argon2id (libsodium's crypto_pwhash_str_alg), in the encoded
// string form "$argon2id$v=19$m=...,t=...,p=1$salt$hash" that carries its own parameters.
//
// Each hash costs `memlimit_bytes` of memory and `opslimit` passes, on purpose. The hashes run
// on the hasher's own `max_concurrent` threads, so a burst of sign-ins cannot exhaust memory
// (callers beyond the bound wait their turn), and those threads run at the lowest scheduling
// priority (SCHED_IDLE, else nice 19): tens of milliseconds of hashing must never delay the
// chat's I/O and writer threads, which take the processor back the moment they have work.
// Thread-safe; not copyable or movable. Blocking: call from a worker pool, never from an I/O
// thread. Destruction finishes the hashes already asked for, then joins the threads.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

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
  ~PasswordHasher();
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

  // The scheduling policy the hashing threads run at: SCHED_IDLE, or SCHED_OTHER when the
  // system refused it (they are then at nice 19). Asks one of the threads, so it waits for a
  // free one.
  int HashingThreadPolicy();

 private:
  static constexpr std::size_t kMaxPasswordBytes = 4096;

  // Runs `job` on a hashing thread and returns once it has run.
  void RunOnHashingThread(const std::function<void()>& job);
  void HashingLoop();

  PasswordHashOptions options_;
  std::size_t max_concurrent_;
  // Guarded by mu_.
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;

  std::vector<std::thread> threads_;  // last: they start once everything above exists
};

}  // namespace uitweg::crypto
