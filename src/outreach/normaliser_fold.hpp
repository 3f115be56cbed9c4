#pragma once
// The per-character half of the normaliser: UTF-8 decoding with repair, and what one code point
// becomes (lowercase ASCII letters, a digit, a space, nothing, or itself). Pure functions.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace uitweg::outreach::fold {

struct Decoded {
  char32_t code_point;  // U+FFFD when the bytes were not valid UTF-8
  std::size_t length;   // bytes consumed, at least 1
};

// Decodes the non-ASCII sequence at text[at] (text[at] >= 0x80). Overlong forms, surrogates,
// code points above U+10FFFF and truncated sequences consume one byte and yield U+FFFD.
Decoded DecodeAt(std::string_view text, std::size_t at);

enum class Kind : std::uint8_t {
  keep,     // an ordinary non-letter (emoji, symbol, other script): copied as it is
  letters,  // folds to 1..3 lowercase ASCII letters
  digit,    // folds to one ASCII digit
  space,    // whitespace
  removed,  // invisible: zero-width, bidi controls, combining marks, variation selectors
  euro,     // '€', which leetspeak reads as 'e'
};

struct Folded {
  Kind kind = Kind::keep;
  std::uint8_t count = 0;  // letters/digit: how many bytes of `text`
  char text[3] = {};
};

// What a non-ASCII code point becomes.
Folded FoldCodePoint(char32_t code_point);

}  // namespace uitweg::outreach::fold
