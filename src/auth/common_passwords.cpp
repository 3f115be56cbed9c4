#include "auth/common_passwords.hpp"

#include <string>
#include <unordered_set>

#include "auth/account_rules.hpp"

namespace uitweg::auth {
namespace {

const std::unordered_set<std::string_view>& CommonPasswords() {
  static const std::unordered_set<std::string_view> words = [] {
    std::unordered_set<std::string_view> parsed;
    std::string_view text = CommonPasswordsText();
    while (!text.empty()) {
      const std::size_t end = text.find('\n');
      const std::string_view line = text.substr(0, end);
      if (!line.empty() && line.front() != '#') parsed.insert(line);
      if (end == std::string_view::npos) break;
      text.remove_prefix(end + 1);
    }
    return parsed;
  }();
  return words;
}

bool IsLetter(char c) {
  return (c >= 'a' && c <= 'z') || static_cast<unsigned char>(c) >= 0x80;
}

}  // namespace

bool IsCommonPassword(std::string_view password) {
  const std::string lowered = LowerAscii(password);
  const auto& words = CommonPasswords();
  if (words.contains(lowered)) return true;
  // The letters in the middle, without the digits and symbols around them.
  std::size_t begin = 0;
  std::size_t end = lowered.size();
  while (begin < end && !IsLetter(lowered[begin])) ++begin;
  while (end > begin && !IsLetter(lowered[end - 1])) --end;
  const std::string_view core = std::string_view(lowered).substr(begin, end - begin);
  return !core.empty() && words.contains(core);
}

}  // namespace uitweg::auth
