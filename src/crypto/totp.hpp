#pragma once
// Time-based one-time passwords (RFC 6238 over RFC 4226): HMAC-SHA1, 30-second steps, 6 digits,
// the settings every authenticator app uses by default. Also the text forms an app needs: the
// secret in base32 (RFC 4648, unpadded) and the otpauth:// URI that QR codes carry.
//
// Pure functions; thread-safe. "Accepted once only" is the caller's job: MatchTotp says which
// step a code belongs to, and the caller refuses a step at or below the last one it accepted.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace uitweg::crypto {

inline constexpr std::size_t kTotpSecretBytes = 20;  // 160 bits, as RFC 4226 recommends
inline constexpr std::int64_t kTotpStepMillis = 30'000;
inline constexpr int kTotpDigits = 6;

// A fresh random secret of kTotpSecretBytes bytes.
std::string NewTotpSecret();

// The time step that `now` falls in.
std::int64_t TotpStep(core::UnixMillis now);

// The code for `step`, as exactly `digits` decimal digits (leading zeros kept).
std::string TotpCode(std::string_view secret, std::int64_t step, int digits = kTotpDigits);

// The step in [step(now) - window, step(now) + window] whose code is `code`, latest first;
// nullopt if none. `code` must be exactly kTotpDigits digits (use ParseTotpCode first).
std::optional<std::int64_t> MatchTotp(std::string_view secret, std::string_view code,
                                      core::UnixMillis now, int window = 1);

// What a person typed as a code: spaces and dashes are dropped ("123 456"); nullopt unless the
// rest is exactly kTotpDigits ASCII digits.
std::optional<std::string> ParseTotpCode(std::string_view typed);

// RFC 4648 base32, upper case, without padding.
std::string Base32Encode(std::string_view bytes);
// Accepts upper or lower case, ignores spaces and padding; invalid_argument on anything else.
core::Result<std::string> Base32Decode(std::string_view text);

// otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=ISSUER&algorithm=SHA1&digits=6&period=30
std::string OtpauthUri(std::string_view issuer, std::string_view account, std::string_view secret);

}  // namespace uitweg::crypto
