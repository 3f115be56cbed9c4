#pragma once
// Small checks on user text: trimming and control characters (UTF-8 is core/utf8.hpp).

#include <cstddef>
#include <string_view>

namespace uitweg::chat {

// Without leading and trailing ASCII whitespace.
std::string_view TrimSpace(std::string_view text);
// True if any C0 control character or DEL appears, other than the ones in `allowed`.
bool HasControlCharacters(std::string_view text, std::string_view allowed);
// Whether `text` is one line as people see it: valid UTF-8 of at most `max_chars` characters
// (code points, as a form's maxlength counts them), with no control or format character.
bool FitsLine(std::string_view text, std::size_t max_chars);

}  // namespace uitweg::chat
