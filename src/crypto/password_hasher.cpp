#include "crypto/password_hasher.hpp"

#include <sodium.h>

#include <stdexcept>
#include <thread>

#include "crypto/random.hpp"

namespace uitweg::crypto {
namespace {

std::size_t ResolveConcurrency(std::size_t requested) {
  if (requested > 0) return requested;
  const unsigned hardware = std::thread::hardware_concurrency();
  return hardware > 0 ? hardware : 1;
}

const PasswordHashOptions& Checked(const PasswordHashOptions& options) {
  EnsureInitialized();
  if (options.opslimit < PasswordHashOptions::kMinOpslimit ||
      options.opslimit > crypto_pwhash_OPSLIMIT_MAX) {
    throw std::invalid_argument("argon2id opslimit must be at least 2");
  }
  if (options.memlimit_bytes < PasswordHashOptions::kMinMemlimitBytes ||
      options.memlimit_bytes > crypto_pwhash_MEMLIMIT_MAX) {
    throw std::invalid_argument("argon2id memory limit must be at least 19 MiB");
  }
  return options;
}

// Holds one of the hasher's slots for the lifetime of a hash or verify.
class Slot {
 public:
  explicit Slot(std::counting_semaphore<>& slots) : slots_(slots) { slots_.acquire(); }
  ~Slot() { slots_.release(); }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

 private:
  std::counting_semaphore<>& slots_;
};

bool LooksLikeArgon2id(std::string_view encoded) {
  return encoded.starts_with(crypto_pwhash_argon2id_STRPREFIX) &&
         encoded.size() < crypto_pwhash_STRBYTES && encoded.find('\0') == std::string_view::npos;
}

}  // namespace

PasswordHasher::PasswordHasher(PasswordHashOptions options)
    : options_(Checked(options)),
      max_concurrent_(ResolveConcurrency(options.max_concurrent)),
      slots_(static_cast<std::ptrdiff_t>(max_concurrent_)) {}

Result<std::string> PasswordHasher::Hash(std::string_view password) {
  if (password.empty() || password.size() > kMaxPasswordBytes) {
    return core::Fail(core::Errc::invalid_argument, "password length is out of range");
  }
  char encoded[crypto_pwhash_STRBYTES];
  int rc;
  {
    Slot slot(slots_);
    rc = crypto_pwhash_str_alg(encoded, password.data(), password.size(), options_.opslimit,
                               options_.memlimit_bytes, crypto_pwhash_ALG_ARGON2ID13);
  }
  if (rc != 0) {
    return core::Fail(core::Errc::resource_exhausted, "not enough memory to hash a password");
  }
  return std::string(encoded);
}

Result<bool> PasswordHasher::Verify(std::string_view encoded, std::string_view password) {
  if (!LooksLikeArgon2id(encoded)) {
    return core::Fail(core::Errc::invalid_argument, "not an argon2id password hash");
  }
  if (password.size() > kMaxPasswordBytes) return false;
  const std::string terminated(encoded);
  Slot slot(slots_);
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

bool PasswordHasher::NeedsRehash(std::string_view encoded) const {
  if (!LooksLikeArgon2id(encoded)) return true;
  const std::string terminated(encoded);
  return crypto_pwhash_str_needs_rehash(terminated.c_str(), options_.opslimit,
                                        options_.memlimit_bytes) != 0;
}

}  // namespace uitweg::crypto
