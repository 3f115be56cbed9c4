#pragma once
// Text as a JSON string literal, for the places that write JSON by hand (log lines, the scan's
// JSON lines) because building a document first would cost more than the line itself.

#include <string>
#include <string_view>

namespace uitweg::core {

// Appends `text` quoted and escaped: quotes, backslashes and control characters (DEL too) are
// escaped, and bytes that are not valid UTF-8 become U+FFFD, so the result is always valid JSON.
void AppendJsonString(std::string& out, std::string_view text);

}  // namespace uitweg::core
