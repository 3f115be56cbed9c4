#pragma once
// Fast structural scanning of JSON text held in a buffer followed by kInputPadding readable
// bytes: finding where a value ends without parsing it, so that a huge export can be cut into
// independent pieces. Lenient by design: it checks only what it needs (string and bracket
// nesting); the pieces are validated when they are parsed. All positions are byte offsets into
// [data, data + size); kNotFound means the input ended first.

#include <cstddef>
#include <string>
#include <string_view>

namespace uitweg::outreach::readers::json {

inline constexpr std::size_t kNotFound = static_cast<std::size_t>(-1);

// The first offset at or after `pos` that is not JSON whitespace (or a UTF-8 byte order mark
// when pos is 0), or `size`.
std::size_t SkipWhitespace(const char* data, std::size_t size, std::size_t pos);

// `pos` is at an opening quote; returns one past the closing quote.
std::size_t StringEnd(const char* data, std::size_t size, std::size_t pos);

// `pos` is at '{' or '['; returns one past the bracket that closes it (any closing bracket
// type counts). Vectorised: several GB/s on text-heavy JSON.
std::size_t ContainerEnd(const char* data, std::size_t size, std::size_t pos);

// Any value at `pos` (string, container, number, literal); returns one past its end.
std::size_t ValueEnd(const char* data, std::size_t size, std::size_t pos);

// Appends `text` to `out`, rewriting the exporter's non-standard "\xNN" escapes as "\u00NN"
// so that a strict parser accepts them. Escaped backslashes ("\\x41") are left alone.
void AppendRewritingHexEscapes(std::string_view text, std::string& out);

}  // namespace uitweg::outreach::readers::json
