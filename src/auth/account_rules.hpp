#pragma once
// What a staff account's fields may hold. Pure functions; thread-safe.
//
//   username      3-40 characters of [a-z0-9._-]; upper-case ASCII is lower-cased first
//   password      12-200 characters (Unicode code points, valid UTF-8), not on the list of
//                 common and breached passwords (common_passwords.hpp), without the
//                 username, not only digits, and not one or a few characters repeated
//   display name  0-60 characters, valid UTF-8 without control characters, trimmed;
//                 empty means "use the username"
//
// Every error is invalid_argument with a message fit to show the person filling in the form.

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace uitweg::auth {

using core::Result;
using core::Status;

inline constexpr std::size_t kMinUsernameLength = 3;
inline constexpr std::size_t kMaxUsernameLength = 40;
inline constexpr std::size_t kMinPasswordLength = 12;
inline constexpr std::size_t kMaxPasswordLength = 200;
inline constexpr std::size_t kMinDistinctPasswordBytes = 5;
inline constexpr std::size_t kMaxDisplayNameLength = 60;

// ASCII lower-casing; other bytes unchanged.
std::string LowerAscii(std::string_view text);

// The username as stored: lower-cased and checked.
Result<std::string> NormalizeUsername(std::string_view username);

Status CheckPassword(std::string_view password, std::string_view username);

// The display name as stored: trimmed, checked, and the username when empty.
Result<std::string> NormalizeDisplayName(std::string_view display_name, std::string_view username);

}  // namespace uitweg::auth
