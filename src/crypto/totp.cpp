#include "crypto/totp.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <cctype>

#include "crypto/random.hpp"

namespace uitweg::crypto {
namespace {

constexpr std::string_view kBase32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int Base32Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= '2' && c <= '7') return c - '2' + 26;
  return -1;
}

// Percent-encodes everything but RFC 3986's unreserved characters.
std::string UriComponent(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

}  // namespace

std::string NewTotpSecret() {
  return RandomBytes(kTotpSecretBytes);
}

std::int64_t TotpStep(core::UnixMillis now) {
  // Floor division, so that a time before 1970 (a broken clock) still maps to one step.
  return now >= 0 ? now / kTotpStepMillis : -((-now + kTotpStepMillis - 1) / kTotpStepMillis);
}

std::string TotpCode(std::string_view secret, std::int64_t step, int digits) {
  std::array<unsigned char, 8> counter{};
  auto value = static_cast<std::uint64_t>(step);
  for (int i = 7; i >= 0; --i) {
    counter[static_cast<std::size_t>(i)] = static_cast<unsigned char>(value & 0xFF);
    value >>= 8;
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_length = 0;
  ::HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()), counter.data(), counter.size(),
         mac.data(), &mac_length);
  // RFC 4226 section 5.3: dynamic truncation.
  const unsigned offset = mac[mac_length - 1] & 0x0F;
  const std::uint32_t binary = (static_cast<std::uint32_t>(mac[offset] & 0x7F) << 24) |
                               (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                               (static_cast<std::uint32_t>(mac[offset + 2]) << 8) |
                               static_cast<std::uint32_t>(mac[offset + 3]);
  std::uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  std::string code = std::to_string(binary % modulus);
  code.insert(0, static_cast<std::size_t>(digits) - code.size(), '0');
  return code;
}

std::optional<std::int64_t> MatchTotp(std::string_view secret, std::string_view code,
                                      core::UnixMillis now, int window) {
  if (code.size() != static_cast<std::size_t>(kTotpDigits)) return std::nullopt;
  const std::int64_t current = TotpStep(now);
  std::optional<std::int64_t> matched;
  // Every candidate is computed and compared in constant time, so the timing does not say
  // which step (if any) matched.
  for (std::int64_t step = current - window; step <= current + window; ++step) {
    if (ConstantTimeEquals(TotpCode(secret, step), code)) matched = step;
  }
  return matched;
}

std::optional<std::string> ParseTotpCode(std::string_view typed) {
  std::string digits;
  for (const char c : typed) {
    if (c == ' ' || c == '-') continue;
    if (c < '0' || c > '9') return std::nullopt;
    if (digits.size() == static_cast<std::size_t>(kTotpDigits)) return std::nullopt;
    digits.push_back(c);
  }
  if (digits.size() != static_cast<std::size_t>(kTotpDigits)) return std::nullopt;
  return digits;
}

std::string Base32Encode(std::string_view bytes) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const unsigned char byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out.push_back(kBase32Alphabet[(buffer >> (bits - 5)) & 0x1F]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kBase32Alphabet[(buffer << (5 - bits)) & 0x1F]);
  return out;
}

core::Result<std::string> Base32Decode(std::string_view text) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  bool padding = false;
  for (const char c : text) {
    if (c == ' ') continue;
    if (c == '=') {
      padding = true;
      continue;
    }
    const int value = Base32Value(c);
    if (value < 0 || padding) {
      return core::Fail(core::Errc::invalid_argument, "not base32");
    }
    buffer = (buffer << 5) | static_cast<std::uint32_t>(value);
    bits += 5;
    if (bits >= 8) {
      out.push_back(static_cast<char>((buffer >> (bits - 8)) & 0xFF));
      bits -= 8;
    }
  }
  return out;
}

std::string OtpauthUri(std::string_view issuer, std::string_view account, std::string_view secret) {
  const std::string issuer_part = UriComponent(issuer);
  return "otpauth://totp/" + issuer_part + ":" + UriComponent(account) +
         "?secret=" + Base32Encode(secret) + "&issuer=" + issuer_part +
         "&algorithm=SHA1&digits=" + std::to_string(kTotpDigits) +
         "&period=" + std::to_string(kTotpStepMillis / 1000);
}

}  // namespace uitweg::crypto
