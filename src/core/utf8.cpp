#include "core/utf8.hpp"

#include <string_view>
#include <vector>

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

namespace {

constexpr char32_t kZeroWidthNonJoiner = 0x200C;
constexpr char32_t kZeroWidthJoiner = 0x200D;
constexpr char32_t kEmojiPresentation = 0xFE0F;
constexpr char32_t kBlackFlag = 0x1F3F4;
constexpr char32_t kCancelTag = 0xE007F;
constexpr std::size_t kFlagTags = 5;
// What an emoji sequence joins: pictographs and symbols (with their skin tones).
bool IsPictograph(char32_t c) {
  return (c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x2190 && c <= 0x2BFF) || c == 0x00A9 ||
         c == 0x00AE || c == 0x203C || c == 0x2049 || c == 0x2122 || c == 0x2139;
}

// Letters of the scripts whose words are spelled with a zero-width non-joiner, which there
// changes how the letters are drawn (Persian, Urdu and Kurdish in Arabic script: می‌خواهم;
// the scripts of India after a virama): seen, not hidden. Latin and the like are not among them.
bool SpellsWithNonJoiner(char32_t c) {
  return (c >= 0x0620 && c <= 0x064A) || (c >= 0x066E && c <= 0x06D3) ||
         (c >= 0x06FA && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F) ||
         (c >= 0x08A0 && c <= 0x08C9) || (c >= 0x0900 && c <= 0x0DFF);
}

// The regions whose flags are drawn with tags after a black flag (England, Scotland, Wales):
// the only ones emoji fonts know, and a name can hide no other text in tags.
bool IsFlagRegion(std::u32string_view tags) {
  return tags == U"\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067" ||  // gbeng
         tags == U"\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074" ||  // gbsct
         tags == U"\U000E0067\U000E0062\U000E0077\U000E006C\U000E0073";    // gbwls
}

}  // namespace

bool HasControlOrFormat(std::string_view text) {
  std::vector<char32_t> code_points;
  for (std::size_t i = 0; i < text.size();) {
    char32_t code_point = 0;
    const std::size_t len = DecodeUtf8(text.substr(i), code_point);
    if (len == 0) return true;
    code_points.push_back(code_point);
    i += len;
  }
  // Whether an emoji ends just before position i (a pictograph, perhaps asked for as emoji).
  const auto emoji_before = [&](std::size_t i) {
    if (i == 0) return false;
    if (IsPictograph(code_points[i - 1])) return true;
    return code_points[i - 1] == kEmojiPresentation && i >= 2 && IsPictograph(code_points[i - 2]);
  };
  for (std::size_t i = 0; i < code_points.size(); ++i) {
    const char32_t c = code_points[i];
    // A joiner between two emoji draws one (a shrugging man, a rainbow flag): seen, not hidden.
    if (c == kZeroWidthJoiner && emoji_before(i) && i + 1 < code_points.size() &&
        IsPictograph(code_points[i + 1])) {
      continue;
    }
    if (c == kZeroWidthNonJoiner && i > 0 && i + 1 < code_points.size() &&
        SpellsWithNonJoiner(code_points[i - 1]) && SpellsWithNonJoiner(code_points[i + 1])) {
      continue;
    }
    // A black flag with a region's code in tags, up to a cancel tag, is that region's flag.
    if (c == kBlackFlag) {
      std::size_t end = i + 1;
      while (end < code_points.size() && end - i <= kFlagTags && code_points[end] != kCancelTag) {
        ++end;
      }
      if (end < code_points.size() && code_points[end] == kCancelTag &&
          IsFlagRegion(std::u32string_view(code_points.data() + i + 1, end - i - 1))) {
        i = end;
      }
      continue;
    }
    if (IsControlOrFormat(c)) return true;
  }
  return false;
}

std::string_view ValidUtf8Prefix(std::string_view text) {
  return text.substr(0, InvalidUtf8Offset(text));
}

}  // namespace uitweg::core
