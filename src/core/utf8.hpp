#pragma once
// UTF-8 as the standard defines it: no overlong forms, no surrogates, nothing past U+10FFFF.

#include <cstddef>
#include <optional>
#include <string_view>

namespace uitweg::core {

// Decodes the code point at the start of `text`. Returns its length in bytes (1-4) and sets
// `code_point`, or returns 0 when `text` is empty or does not start with valid UTF-8.
std::size_t DecodeUtf8(std::string_view text, char32_t& code_point);

// The offset of the first byte that is not part of valid UTF-8, or text.size().
std::size_t InvalidUtf8Offset(std::string_view text);

// The longest start of `text` that is valid UTF-8: what is left of a text cut at a byte count
// that may have split a character, or that holds invalid bytes.
std::string_view ValidUtf8Prefix(std::string_view text);

// The number of code points in `text`, or nullopt if it is not valid UTF-8.
std::optional<std::size_t> CountCodePoints(std::string_view text);

// Characters that are not seen but change what is seen: C0 and C1 controls, DEL, and the
// format characters people use to disguise a name (bidi overrides and isolates, zero-width
// spaces and joiners, soft hyphens, word joiners, the byte-order mark, interlinear annotation,
// tag characters).
bool IsControlOrFormat(char32_t code_point);
// Whether valid UTF-8 `text` holds such a character; also true for invalid UTF-8. Emoji that
// are drawn with such characters are seen, and pass: a zero-width joiner between two emoji
// (a shrugging man, a rainbow flag), and the flags of England, Scotland and Wales (tags after a
// black flag). So is a zero-width non-joiner where it changes how the letters around it are
// drawn, as Persian, Urdu and the scripts of India spell words with it: between two Arabic-script
// letters that would join otherwise, or after a virama before a letter of the same script.
bool HasControlOrFormat(std::string_view text);

// U+FFFD, what stands in for a byte that is not valid UTF-8.
inline constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

// Calls emit(piece) with each valid code point's bytes in turn, and with kReplacementCharacter
// for each byte that is not valid UTF-8.
template <class Emit>
void ForEachCodePoint(std::string_view text, Emit&& emit) {
  std::size_t i = 0;
  char32_t code_point = 0;
  while (i < text.size()) {
    const std::size_t len = DecodeUtf8(text.substr(i), code_point);
    if (len == 0) {
      emit(kReplacementCharacter);
      ++i;
    } else {
      emit(text.substr(i, len));
      i += len;
    }
  }
}

}  // namespace uitweg::core
