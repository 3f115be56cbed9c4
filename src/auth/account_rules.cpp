#include "auth/account_rules.hpp"

#include <optional>
#include <set>

#include "auth/common_passwords.hpp"
#include "core/utf8.hpp"

namespace uitweg::auth {
namespace {

core::Error Invalid(std::string message) {
  return core::Fail(core::Errc::invalid_argument, std::move(message));
}

std::string_view Trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  const auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

}  // namespace

std::string LowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Result<std::string> NormalizeUsername(std::string_view username) {
  std::string lowered = LowerAscii(username);
  if (lowered.size() < kMinUsernameLength || lowered.size() > kMaxUsernameLength) {
    return Invalid("a username has 3 to 40 characters");
  }
  if (lowered.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789._-") != std::string::npos) {
    return Invalid("a username may only hold letters a-z, digits, '.', '_' and '-'");
  }
  return lowered;
}

Status CheckPassword(std::string_view password, std::string_view username) {
  const auto length = core::CountCodePoints(password);
  if (!length) return Invalid("a password must be valid text (UTF-8)");
  if (*length < kMinPasswordLength || *length > kMaxPasswordLength) {
    return Invalid("a password has 12 to 200 characters");
  }
  const std::set<char> distinct(password.begin(), password.end());
  const bool only_digits = password.find_first_not_of("0123456789") == std::string_view::npos;
  if (IsCommonPassword(password) || distinct.size() < kMinDistinctPasswordBytes || only_digits ||
      LowerAscii(password).find(LowerAscii(username)) != std::string::npos) {
    return Invalid(
        "this password is too easy to guess: it is a common one or holds the username; a few "
        "unrelated words make a strong one");
  }
  return {};
}

Result<std::string> NormalizeDisplayName(std::string_view display_name, std::string_view username) {
  const std::string_view trimmed = Trim(display_name);
  if (trimmed.empty()) return std::string(username);
  const auto length = core::CountCodePoints(trimmed);
  if (!length || core::HasControlOrFormat(trimmed)) {
    return Invalid("a display name must be plain text, without control or invisible characters");
  }
  if (*length > kMaxDisplayNameLength) return Invalid("a display name has at most 60 characters");
  return std::string(trimmed);
}

}  // namespace uitweg::auth
