#include "crypto/random.hpp"

#include <sodium.h>

#include <stdexcept>

namespace uitweg::crypto {
namespace {

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

std::string Hex(const unsigned char* bytes, std::size_t size) {
  std::string out(size * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, size);
  out.pop_back();
  return out;
}

std::string Encode(std::string_view bytes, int variant) {
  if (bytes.empty()) return {};
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), Bytes(bytes), bytes.size(), variant);
  out.resize(out.find('\0'));
  return out;
}

Result<std::string> Decode(std::string_view text, int variant) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  std::size_t written = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), " \t\r\n", &written, &end, variant) != 0 ||
      end != text.data() + text.size()) {
    return core::Fail(core::Errc::invalid_argument, "not valid base64");
  }
  out.resize(written);
  return out;
}

}  // namespace

void EnsureInitialized() {
  static const bool initialised = [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    return true;
  }();
  (void)initialised;
}

std::string RandomBytes(std::size_t count) {
  EnsureInitialized();
  std::string out(count, '\0');
  randombytes_buf(out.data(), out.size());
  return out;
}

std::uint32_t RandomBelow(std::uint32_t upper) {
  EnsureInitialized();
  return randombytes_uniform(upper);
}

std::string RandomToken(std::size_t bytes) {
  return Base64UrlEncode(RandomBytes(bytes));
}

std::string RandomId(std::string_view prefix) {
  return std::string(prefix) + Base64UrlEncode(RandomBytes(16));
}

std::string HashToken(std::string_view token) {
  EnsureInitialized();
  unsigned char digest[32];
  crypto_generichash(digest, sizeof digest, Bytes(token), token.size(), nullptr, 0);
  return Hex(digest, sizeof digest);
}

std::string KeyedHash(std::string_view key, std::string_view data) {
  EnsureInitialized();
  unsigned char short_key[crypto_generichash_KEYBYTES_MAX];
  std::size_t key_size = key.size();
  if (key_size > sizeof short_key || key_size == 0) {
    crypto_generichash(short_key, sizeof short_key, Bytes(key), key.size(), nullptr, 0);
    key_size = sizeof short_key;
  } else {
    std::copy(key.begin(), key.end(), short_key);
  }
  unsigned char digest[32];
  crypto_generichash(digest, sizeof digest, Bytes(data), data.size(), short_key, key_size);
  sodium_memzero(short_key, sizeof short_key);
  return Hex(digest, sizeof digest);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  EnsureInitialized();
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string Base64UrlEncode(std::string_view bytes) {
  EnsureInitialized();
  return Encode(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

Result<std::string> Base64UrlDecode(std::string_view text) {
  EnsureInitialized();
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  return Decode(text, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

Result<std::string> Base64Decode(std::string_view text) {
  EnsureInitialized();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ' ||
                           text.back() == '\t' || text.back() == '=')) {
    text.remove_suffix(1);
  }
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\n')) {
    text.remove_prefix(1);
  }
  return Decode(text, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
}

void Wipe(std::string& secret) {
  if (!secret.empty()) sodium_memzero(secret.data(), secret.size());
}

std::string Base64Encode(std::string_view bytes) {
  EnsureInitialized();
  return Encode(bytes, sodium_base64_VARIANT_ORIGINAL);
}

}  // namespace uitweg::crypto
