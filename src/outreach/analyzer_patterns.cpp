#include "outreach/analyzer_patterns.hpp"

#include <hs.h>

namespace uitweg::outreach::patterns {
namespace {

bool IsWordByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

// Normalised text is lowercase; literals need no flags and report their start as end - length,
// which is cheaper than SOM_LEFTMOST. Regexes are written by people, so they get case folding
// and UTF-8 semantics, and SOM_LEFTMOST for where the match starts.
unsigned int LiteralFlags() { return 0; }
unsigned int RegexFlags() { return HS_FLAG_CASELESS | HS_FLAG_UTF8 | HS_FLAG_SOM_LEFTMOST; }

std::string LiteralPattern(std::string_view normalised, bool prefix) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string pattern;
  pattern.reserve(normalised.size() * 4 + 4);
  if (!normalised.empty() && IsWordByte(normalised.front())) pattern += "\\b";
  for (const char c : normalised) {
    const auto byte = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      pattern += c;
    } else {
      pattern += "\\x";
      pattern += kHex[byte >> 4];
      pattern += kHex[byte & 0xF];
    }
  }
  if (!prefix && !normalised.empty() && IsWordByte(normalised.back())) pattern += "\\b";
  return pattern;
}

core::Status CheckRegex(const std::string& regex) {
  hs_database_t* database = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_compile(regex.c_str(), RegexFlags(), HS_MODE_BLOCK, nullptr, &database, &error) ==
      HS_SUCCESS) {
    hs_free_database(database);
    return {};
  }
  std::string message = error != nullptr && error->message != nullptr ? error->message
                                                                       : "cannot compile";
  hs_free_compile_error(error);
  return core::Fail(core::Errc::invalid_argument, std::move(message));
}

}  // namespace uitweg::outreach::patterns
