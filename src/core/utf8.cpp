#include "core/utf8.hpp"

namespace uitweg::core {

std::size_t DecodeUtf8(std::string_view text, char32_t& code_point) {
  if (text.empty()) return 0;
  const auto lead = static_cast<unsigned char>(text[0]);
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  }
  std::size_t length = 0;
  char32_t min = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    min = 0x10000;
  } else {
    return 0;
  }
  if (length > text.size()) return 0;
  char32_t code = lead & (0x7F >> length);
  for (std::size_t k = 1; k < length; ++k) {
    const auto next = static_cast<unsigned char>(text[k]);
    if ((next & 0xC0) != 0x80) return 0;
    code = (code << 6) | (next & 0x3F);
  }
  if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  code_point = code;
  return length;
}

std::size_t InvalidUtf8Offset(std::string_view text) {
  std::size_t i = 0;
  char32_t code_point = 0;
  while (i < text.size()) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    const std::size_t length = DecodeUtf8(text.substr(i), code_point);
    if (length == 0) return i;
    i += length;
  }
  return text.size();
}

std::optional<std::size_t> CountCodePoints(std::string_view text) {
  std::size_t count = 0;
  char32_t code_point = 0;
  for (std::size_t i = 0; i < text.size(); ++count) {
    const std::size_t length = DecodeUtf8(text.substr(i), code_point);
    if (length == 0) return std::nullopt;
    i += length;
  }
  return count;
}

bool IsControlOrFormat(char32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0xAD || c == 0x061C || c == 0x180E ||
         (c >= 0x200B && c <= 0x200F) || (c >= 0x2028 && c <= 0x202E) ||
         (c >= 0x2060 && c <= 0x206F) || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFB) ||
         c == 0xE0001 || (c >= 0xE0020 && c <= 0xE007F);
}

bool HasControlOrFormat(std::string_view text) {
  std::size_t i = 0;
  char32_t code_point = 0;
  while (i < text.size()) {
    const std::size_t len = DecodeUtf8(text.substr(i), code_point);
    if (len == 0 || IsControlOrFormat(code_point)) return true;
    i += len;
  }
  return false;
}

std::string_view ValidUtf8Prefix(std::string_view text) {
  return text.substr(0, InvalidUtf8Offset(text));
}

}  // namespace uitweg::core
