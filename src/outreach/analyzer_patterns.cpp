#include "outreach/analyzer_patterns.hpp"

#include <hs.h>

namespace uitweg::outreach::patterns {

// Normalised text is lowercase; literals need no flags and report their start as end - length.
// Regexes are written by people, so they get case folding and UTF-8 semantics. SOM_LEFTMOST
// would slow compiling and scanning down many times over, so starts are found afterwards.
// MULTILINE makes ^ and $ hold at each post of a batch (Analyzer::AnalyzeBatch joins posts with
// '\n', which normalised text never holds otherwise).
unsigned int LiteralFlags() {
  return 0;
}
unsigned int RegexFlags() {
  return HS_FLAG_CASELESS | HS_FLAG_UTF8 | HS_FLAG_MULTILINE;
}

std::string AnchoredPattern(const std::string& regex) {
  return "^(?:" + regex + ")";
}

std::string LiteralPattern(std::string_view normalised) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string pattern;
  pattern.reserve(normalised.size() * 4);
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
  return pattern;
}

core::Status CheckRegex(const std::string& regex) {
  for (const std::string& expression : {regex, AnchoredPattern(regex)}) {
    hs_database_t* database = nullptr;
    hs_compile_error_t* error = nullptr;
    if (hs_compile(expression.c_str(), RegexFlags(), HS_MODE_BLOCK, nullptr, &database, &error) ==
        HS_SUCCESS) {
      hs_free_database(database);
      continue;
    }
    std::string message =
        error != nullptr && error->message != nullptr ? error->message : "cannot compile";
    hs_free_compile_error(error);
    return core::Fail(core::Errc::invalid_argument, std::move(message));
  }
  return {};
}

}  // namespace uitweg::outreach::patterns
