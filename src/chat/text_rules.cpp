#include "chat/text_rules.hpp"

#include <optional>

#include "core/utf8.hpp"

namespace uitweg::chat {

std::string_view TrimSpace(std::string_view text) {
  constexpr std::string_view kSpace = " \t\n\r\f\v";
  const std::size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  const std::size_t end = text.find_last_not_of(kSpace);
  return text.substr(begin, end - begin + 1);
}

bool HasControlCharacters(std::string_view text, std::string_view allowed) {
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 || byte == 0x7F) && allowed.find(c) == std::string_view::npos) return true;
  }
  return false;
}

bool FitsLine(std::string_view text, std::size_t max_chars) {
  const std::optional<std::size_t> chars = core::CountCodePoints(text);
  return chars && *chars <= max_chars && !core::HasControlOrFormat(text);
}

}  // namespace uitweg::chat
