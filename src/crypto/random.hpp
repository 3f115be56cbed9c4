#pragma once
// Randomness, digests and comparisons that the rest of Uitweg builds on: session and resume
// tokens, public ids, the hashes under which tokens are stored, and URL-safe base64.
//
// Thread safety: every function may be called from any thread. libsodium is initialised on
// first use; if that fails the process cannot be secure, so it throws std::runtime_error
// (a start-up failure, never an expected one).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace uitweg::crypto {

using core::Result;

// Initialises libsodium once. Called by everything below; call it early at start-up so that a
// broken installation fails there.
void EnsureInitialized();

// `count` bytes from the operating system's secure generator.
std::string RandomBytes(std::size_t count);

// A uniformly distributed number in [0, upper) from the same generator, without modulo bias
// (a random sample for review); 0 when `upper` is below 2.
std::uint32_t RandomBelow(std::uint32_t upper);

// A secret for cookies and resume tokens: `bytes` random bytes as URL-safe base64 without
// padding (32 bytes -> 43 characters).
std::string RandomToken(std::size_t bytes = 32);

// A public, unguessable id: `prefix` followed by 22 URL-safe characters (128 random bits),
// e.g. RandomId("c_") -> "c_3q2-7wEb5qXk4bX0yZr1aQ".
std::string RandomId(std::string_view prefix);

// The lowercase hex BLAKE2b-256 digest of a token (64 characters). Stores keep only this, so a
// leaked database does not hand out live sessions.
std::string HashToken(std::string_view token);

// The lowercase hex BLAKE2b-256 digest of `data` keyed with `key` (1..64 bytes; longer keys are
// first hashed down). Used for salted keys of in-memory counters.
std::string KeyedHash(std::string_view key, std::string_view data);

// Compares in time that depends only on the lengths, never on where the inputs differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Overwrites a secret (a raw key) with zeros, in a way the compiler cannot drop because the
// string is about to be freed.
void Wipe(std::string& secret);

// URL-safe base64 without padding ('-' and '_').
std::string Base64UrlEncode(std::string_view bytes);
// Accepts URL-safe base64 with or without padding; invalid_argument on anything else.
Result<std::string> Base64UrlDecode(std::string_view text);
// Standard base64 ('+' and '/'), with padding; also accepts missing padding and ignores
// surrounding whitespace. invalid_argument on anything else.
Result<std::string> Base64Decode(std::string_view text);
std::string Base64Encode(std::string_view bytes);

}  // namespace uitweg::crypto
