#include "core/utf8.hpp"

#include <algorithm>
#include <iterator>
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

// An Arabic-script letter (not the tatweel, a mark, a digit or a sign).
bool IsArabicLetter(char32_t c) {
  return (c >= 0x0620 && c <= 0x064A && c != 0x0640) || c == 0x066E || c == 0x066F ||
         (c >= 0x0671 && c <= 0x06D3) || c == 0x06D5 || c == 0x06EE || c == 0x06EF ||
         (c >= 0x06FA && c <= 0x06FC) || c == 0x06FF || (c >= 0x0750 && c <= 0x077F) ||
         (c >= 0x08A0 && c <= 0x08C9);
}

// Arabic-script letters that join no other: the hamza, the high hamza, the low alef, the small
// yeh.
bool JoinsNone(char32_t c) {
  return c == 0x0621 || c == 0x0674 || c == 0x08AD || c == 0x08C9;
}

// Arabic-script letters that join to the letter after them (Unicode's dual-joining ones): not
// alef, dal, reh, waw and their kin, which join only the letter before them.
bool JoinsOnward(char32_t c) {
  static constexpr char32_t kOnlyBackward[] = {
      0x0622, 0x0623, 0x0624, 0x0625, 0x0627, 0x0629, 0x062F, 0x0630, 0x0631, 0x0632, 0x0648,
      0x0671, 0x0672, 0x0673, 0x0675, 0x0676, 0x0677, 0x06C0, 0x06CD, 0x06CF, 0x06D2, 0x06D3,
      0x06D5, 0x06EE, 0x06EF, 0x0759, 0x075A, 0x075B, 0x076B, 0x076C, 0x0771, 0x0773, 0x0774,
      0x0778, 0x0779, 0x08AA, 0x08AB, 0x08AC, 0x08AE, 0x08B1, 0x08B2, 0x08B9};
  if (!IsArabicLetter(c) || JoinsNone(c) || (c >= 0x0688 && c <= 0x0699) ||
      (c >= 0x06C3 && c <= 0x06CB)) {
    return false;
  }
  return std::find(std::begin(kOnlyBackward), std::end(kOnlyBackward), c) ==
         std::end(kOnlyBackward);
}

// Arabic vowel signs and other marks drawn on the letter before them.
bool IsArabicMark(char32_t c) {
  return (c >= 0x064B && c <= 0x065F) || c == 0x0670 || (c >= 0x06D6 && c <= 0x06DC) ||
         (c >= 0x06DF && c <= 0x06E4) || c == 0x06E7 || c == 0x06E8 || (c >= 0x06EA && c <= 0x06ED);
}

// The scripts of India (Devanagari to Malayalam, and Sinhala), a block of 128 each: the virama
// that ends a consonant, and the letters.
bool IsIndicVirama(char32_t c) {
  return (c >= 0x0900 && c <= 0x0D7F && (c & 0x7F) == 0x4D) || c == 0x0DCA;
}
bool IsIndicLetter(char32_t c) {
  const char32_t offset = c & 0x7F;
  // Past Malayalam's letters at 0x58 come fractions, past Sinhala's vowel signs.
  return c >= 0x0900 && c <= 0x0DFF &&
         ((offset >= 0x05 && offset <= 0x39) || (c < 0x0D00 && offset >= 0x58 && offset <= 0x61));
}

// Whether the zero-width non-joiner at `i` changes how the letters around it are drawn, as
// Persian, Urdu or Kurdish words and the scripts of India spell with it (the Persian for "I
// want": its yeh does not join the kheh), so that it hides nothing: after an Arabic-script letter
// that would join onward (its vowel signs between) and before one it would join; or after a
// virama and before a letter of the same script.
bool ShapesLetters(const std::vector<char32_t>& code_points, std::size_t i) {
  if (i == 0 || i + 1 >= code_points.size()) return false;
  const char32_t next = code_points[i + 1];
  std::size_t base = i - 1;
  while (base > 0 && IsArabicMark(code_points[base])) --base;
  if (JoinsOnward(code_points[base])) return IsArabicLetter(next) && !JoinsNone(next);
  const char32_t before = code_points[i - 1];
  return IsIndicVirama(before) && IsIndicLetter(next) && (before >> 7) == (next >> 7);
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
    if (c == kZeroWidthNonJoiner && ShapesLetters(code_points, i)) continue;
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
