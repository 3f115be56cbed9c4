#include "outreach/normaliser_fold.hpp"

namespace uitweg::outreach::fold {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

bool IsContinuation(unsigned char byte) {
  return (byte & 0xC0) == 0x80;
}

// U+00C0..U+017F (Latin-1 Supplement letters and Latin Extended-A) without diacritics; a space
// marks a non-letter (× and ÷), kept as it is.
// clang-format off
constexpr std::string_view kLatin[] = {
    // U+00C0
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", " ", "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", " ", "o", "u", "u", "u", "u", "y", "th", "y",
    // U+0100
    "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",
    "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",
    "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",
    "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",
    "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",
    "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",
    "s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",
    "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",
};
// clang-format on
static_assert(std::size(kLatin) == 0x180 - 0xC0);

// Greek and Cyrillic letters that look like Latin ones, as used to dodge keyword filters.
struct Lookalike {
  char32_t code_point;
  char letter;
};
constexpr Lookalike kLookalikes[] = {
    {0x0391, 'a'}, {0x0392, 'b'}, {0x0395, 'e'}, {0x0396, 'z'}, {0x0397, 'h'}, {0x0399, 'i'},
    {0x039A, 'k'}, {0x039C, 'm'}, {0x039D, 'n'}, {0x039F, 'o'}, {0x03A1, 'p'}, {0x03A4, 't'},
    {0x03A5, 'y'}, {0x03A7, 'x'}, {0x03B1, 'a'}, {0x03B5, 'e'}, {0x03B9, 'i'}, {0x03BA, 'k'},
    {0x03BD, 'v'}, {0x03BF, 'o'}, {0x03C1, 'p'}, {0x03C4, 't'}, {0x03C5, 'u'}, {0x03C7, 'x'},
    {0x0405, 's'}, {0x0406, 'i'}, {0x0408, 'j'}, {0x0410, 'a'}, {0x0412, 'b'}, {0x0415, 'e'},
    {0x041A, 'k'}, {0x041C, 'm'}, {0x041D, 'h'}, {0x041E, 'o'}, {0x0420, 'p'}, {0x0421, 'c'},
    {0x0422, 't'}, {0x0423, 'y'}, {0x0425, 'x'}, {0x0430, 'a'}, {0x0432, 'b'}, {0x0435, 'e'},
    {0x043A, 'k'}, {0x043C, 'm'}, {0x043D, 'h'}, {0x043E, 'o'}, {0x0440, 'p'}, {0x0441, 'c'},
    {0x0442, 't'}, {0x0443, 'y'}, {0x0445, 'x'}, {0x0451, 'e'}, {0x0455, 's'}, {0x0456, 'i'},
    {0x0458, 'j'}, {0x0501, 'd'}, {0x051B, 'q'}, {0x051D, 'w'}, {0x0261, 'g'},
};

Folded Letter(char letter) {
  Folded folded;
  folded.kind = Kind::letters;
  folded.count = 1;
  folded.text[0] = letter;
  return folded;
}

Folded Of(Kind kind) {
  Folded folded;
  folded.kind = kind;
  return folded;
}

bool IsSpace(char32_t c) {
  return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
         c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

bool IsInvisible(char32_t c) {
  return c == 0xAD || (c >= 0x300 && c <= 0x36F) || c == 0x34F || c == 0x61C || c == 0x180E ||
         (c >= 0x1AB0 && c <= 0x1AFF) || (c >= 0x1DC0 && c <= 0x1DFF) ||
         (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2060 && c <= 0x2064) || (c >= 0x2066 && c <= 0x2069) ||
         (c >= 0x20D0 && c <= 0x20FF) || (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFEFF ||
         (c >= 0x1F3FB && c <= 0x1F3FF) || (c >= 0xE0000 && c <= 0xE007F) ||
         (c >= 0xE0100 && c <= 0xE01EF);
}

}  // namespace

Decoded DecodeAt(std::string_view text, std::size_t at) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t left = text.size() - at;
  const unsigned char lead = s[at];
  if (lead >= 0xC2 && lead <= 0xDF) {
    if (left >= 2 && IsContinuation(s[at + 1])) {
      return {static_cast<char32_t>(((lead & 0x1F) << 6) | (s[at + 1] & 0x3F)), 2};
    }
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    if (left >= 3) {
      const unsigned char b1 = s[at + 1];
      const unsigned char lo = lead == 0xE0 ? 0xA0 : 0x80;
      const unsigned char hi = lead == 0xED ? 0x9F : 0xBF;
      if (b1 >= lo && b1 <= hi && IsContinuation(s[at + 2])) {
        return {
            static_cast<char32_t>(((lead & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (s[at + 2] & 0x3F)),
            3};
      }
    }
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    if (left >= 4) {
      const unsigned char b1 = s[at + 1];
      const unsigned char lo = lead == 0xF0 ? 0x90 : 0x80;
      const unsigned char hi = lead == 0xF4 ? 0x8F : 0xBF;
      if (b1 >= lo && b1 <= hi && IsContinuation(s[at + 2]) && IsContinuation(s[at + 3])) {
        return {static_cast<char32_t>(((lead & 0x07) << 18) | ((b1 & 0x3F) << 12) |
                                      ((s[at + 2] & 0x3F) << 6) | (s[at + 3] & 0x3F)),
                4};
      }
    }
  }
  return {kReplacement, 1};
}

Folded FoldCodePoint(char32_t c) {
  if (c >= 0xC0 && c < 0x180) {
    const std::string_view base = kLatin[c - 0xC0];
    if (base == " ") return Of(Kind::keep);
    Folded folded;
    folded.kind = Kind::letters;
    folded.count = static_cast<std::uint8_t>(base.size());
    for (std::size_t k = 0; k < base.size(); ++k) folded.text[k] = base[k];
    return folded;
  }
  if (IsSpace(c)) return Of(Kind::space);
  if (IsInvisible(c)) return Of(Kind::removed);
  if (c == 0x20AC) return Of(Kind::euro);
  if (c >= 0x370 && c < 0x530) {
    for (const Lookalike& l : kLookalikes) {
      if (l.code_point == c) return Letter(l.letter);
    }
    return Of(Kind::keep);
  }
  if (c == 0x261) return Letter('g');
  // Fullwidth forms.
  if (c >= 0xFF21 && c <= 0xFF3A) return Letter(static_cast<char>('a' + (c - 0xFF21)));
  if (c >= 0xFF41 && c <= 0xFF5A) return Letter(static_cast<char>('a' + (c - 0xFF41)));
  if (c >= 0xFF10 && c <= 0xFF19) {
    Folded folded = Letter(static_cast<char>('0' + (c - 0xFF10)));
    folded.kind = Kind::digit;
    return folded;
  }
  // Circled letters.
  if (c >= 0x24B6 && c <= 0x24CF) return Letter(static_cast<char>('a' + (c - 0x24B6)));
  if (c >= 0x24D0 && c <= 0x24E9) return Letter(static_cast<char>('a' + (c - 0x24D0)));
  // Mathematical alphanumerics (bold, italic, script, fraktur, double-struck, sans, mono).
  if (c >= 0x1D400 && c <= 0x1D6A3) {
    return Letter(static_cast<char>('a' + (c - 0x1D400) % 52 % 26));
  }
  if (c >= 0x1D7CE && c <= 0x1D7FF) {
    Folded folded = Letter(static_cast<char>('0' + (c - 0x1D7CE) % 10));
    folded.kind = Kind::digit;
    return folded;
  }
  // Squared, negative circled and negative squared Latin capitals.
  if (c >= 0x1F130 && c <= 0x1F149) return Letter(static_cast<char>('a' + (c - 0x1F130)));
  if (c >= 0x1F150 && c <= 0x1F169) return Letter(static_cast<char>('a' + (c - 0x1F150)));
  if (c >= 0x1F170 && c <= 0x1F189) return Letter(static_cast<char>('a' + (c - 0x1F170)));
  return Of(Kind::keep);
}

}  // namespace uitweg::outreach::fold
