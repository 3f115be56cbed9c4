#include "core/json_text.hpp"

#include <fmt/format.h>

#include "core/utf8.hpp"

namespace uitweg::core {

void AppendJsonString(std::string& out, std::string_view text) {
  out.push_back('"');
  ForEachCodePoint(text, [&](std::string_view piece) {
    if (piece.size() > 1) {
      out.append(piece);
      return;
    }
    const unsigned char c = static_cast<unsigned char>(piece[0]);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out += fmt::format("\\u{:04x}", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  });
  out.push_back('"');
}

}  // namespace uitweg::core
