#pragma once
// Small checks on user text: UTF-8 validity, counting characters (code points), trimming.

#include <cstddef>
#include <optional>
#include <string_view>

namespace uitweg::chat {

// Code points in `text`, or nullopt when it is not valid UTF-8.
std::optional<std::size_t> CountCodePoints(std::string_view text);
// Without leading and trailing ASCII whitespace.
std::string_view TrimSpace(std::string_view text);
// True if any C0 control character or DEL appears, other than the ones in `allowed`.
bool HasControlCharacters(std::string_view text, std::string_view allowed);

}  // namespace uitweg::chat
