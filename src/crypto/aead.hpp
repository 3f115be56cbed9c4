#pragma once
// Authenticated encryption with XChaCha20-Poly1305 (IETF construction) under one 32-byte key.
// A sealed value is nonce (24 random bytes) || ciphertext || tag (16 bytes), so the same
// plaintext never seals to the same bytes twice and a random nonce is safe.
//
// Associated data is authenticated, not encrypted: pass what the ciphertext belongs to (e.g.
// the conversation id) so that a value moved to another row fails to open.
//
// Thread safety: const methods may be called from any thread at once. The key is wiped from
// memory when the object is destroyed.

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace uitweg::crypto {

using core::Result;

class Aead {
 public:
  static constexpr std::size_t kKeyBytes = 32;
  static constexpr std::size_t kNonceBytes = 24;
  static constexpr std::size_t kTagBytes = 16;
  static constexpr std::size_t kOverheadBytes = kNonceBytes + kTagBytes;

  // invalid_argument unless `key` is exactly kKeyBytes bytes.
  static Result<Aead> FromKey(std::string_view key);
  // A new random key, e.g. a conversation's data key.
  static Aead Generate();

  Aead(const Aead& other) = default;
  Aead& operator=(const Aead& other) = default;
  ~Aead();

  std::string Seal(std::string_view plaintext, std::string_view associated_data = {}) const;
  // invalid_argument if `sealed` is too short, was made with another key or other associated
  // data, or was changed.
  Result<std::string> Open(std::string_view sealed, std::string_view associated_data = {}) const;

  // The raw key, for wrapping it under another key. Handle with care.
  std::string_view key() const { return {reinterpret_cast<const char*>(key_.data()), key_.size()}; }

 private:
  Aead() = default;

  std::array<unsigned char, kKeyBytes> key_{};
};

}  // namespace uitweg::crypto
