#include "crypto/aead.hpp"

#include <sodium.h>

#include <algorithm>

#include "crypto/random.hpp"

namespace uitweg::crypto {

static_assert(Aead::kKeyBytes == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
static_assert(Aead::kNonceBytes == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
static_assert(Aead::kTagBytes == crypto_aead_xchacha20poly1305_ietf_ABYTES);

namespace {

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

Result<Aead> Aead::FromKey(std::string_view key) {
  EnsureInitialized();
  if (key.size() != kKeyBytes) {
    return core::Fail(core::Errc::invalid_argument, "an encryption key must be 32 bytes");
  }
  Aead aead;
  std::copy(key.begin(), key.end(), aead.key_.begin());
  return aead;
}

Aead Aead::Generate() {
  EnsureInitialized();
  Aead aead;
  crypto_aead_xchacha20poly1305_ietf_keygen(aead.key_.data());
  return aead;
}

Aead::~Aead() {
  sodium_memzero(key_.data(), key_.size());
}

std::string Aead::Seal(std::string_view plaintext, std::string_view associated_data) const {
  std::string sealed(kNonceBytes + plaintext.size() + kTagBytes, '\0');
  auto* out = reinterpret_cast<unsigned char*>(sealed.data());
  randombytes_buf(out, kNonceBytes);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out + kNonceBytes, &written, Bytes(plaintext),
                                             plaintext.size(), Bytes(associated_data),
                                             associated_data.size(), nullptr, out, key_.data());
  sealed.resize(kNonceBytes + written);
  return sealed;
}

Result<std::string> Aead::Open(std::string_view sealed, std::string_view associated_data) const {
  if (sealed.size() < kOverheadBytes) {
    return core::Fail(core::Errc::invalid_argument, "sealed value is too short");
  }
  const std::string_view nonce = sealed.substr(0, kNonceBytes);
  const std::string_view cipher = sealed.substr(kNonceBytes);
  std::string plaintext(cipher.size() - kTagBytes, '\0');
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(plaintext.data()),
                                                 &written, nullptr, Bytes(cipher), cipher.size(),
                                                 Bytes(associated_data), associated_data.size(),
                                                 Bytes(nonce), key_.data()) != 0) {
    return core::Fail(core::Errc::invalid_argument, "sealed value failed authentication");
  }
  plaintext.resize(written);
  return plaintext;
}

}  // namespace uitweg::crypto
