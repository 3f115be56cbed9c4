#include "outreach/analyzer_patterns.hpp"

#include <hs.h>

#include <cstdlib>

namespace uitweg::outreach::patterns {

// Normalised text is lowercase; literals need no flags and report their start as end - length.
// Regexes get UTF-8 semantics. SOM_LEFTMOST would slow compiling and scanning down many times
// over, so starts are found afterwards. MULTILINE makes $ hold at the end of each post of a batch
// (Analyzer::AnalyzeBatch joins posts with '\n', which normalised text never holds otherwise).
// CASELESS triples the compile time, and normalised text has no capitals to fold, so a regex gets
// it only when it may spell one: a capital, a non-ASCII character, a POSIX class or an escape
// that names a character by number or property.
unsigned int LiteralFlags() {
  return 0;
}
unsigned int RegexFlags(std::string_view regex) {
  constexpr unsigned int kFlags = HS_FLAG_UTF8 | HS_FLAG_MULTILINE;
  for (std::size_t i = 0; i < regex.size(); ++i) {
    const char c = regex[i];
    if (c == '\\' && i + 1 < regex.size()) {
      const char escaped = regex[++i];
      if (std::string_view("xopPNQc0123456789").find(escaped) != std::string_view::npos) {
        return kFlags | HS_FLAG_CASELESS;
      }
      continue;
    }
    const bool capital = c >= 'A' && c <= 'Z';
    const bool non_ascii = (static_cast<unsigned char>(c) & 0x80) != 0;
    const bool posix_class = c == '[' && i + 1 < regex.size() && regex[i + 1] == ':';
    if (capital || non_ascii || posix_class) return kFlags | HS_FLAG_CASELESS;
  }
  return kFlags;
}

namespace {

std::string Anchored(std::string_view regex) {
  return "^(?:" + std::string(regex) + ")";
}

// Whether `regex` holds a `|` outside every group and class. Gives up (true) on what would take a
// full parser to read right: quoting (\Q...\E) and inline options or comments, "(?" but "(?:".
bool MayHaveTopLevelAlternative(std::string_view regex) {
  int depth = 0;
  for (std::size_t i = 0; i < regex.size(); ++i) {
    const char c = regex[i];
    if (c == '\\') {
      if (i + 1 < regex.size() && regex[i + 1] == 'Q') return true;
      ++i;
    } else if (c == '[') {
      // A class: ']' right after "[" or "[^" is a member, escapes hold, "[:alpha:]" nests.
      std::size_t k = i + 1;
      if (k < regex.size() && regex[k] == '^') ++k;
      if (k < regex.size() && regex[k] == ']') ++k;
      for (; k < regex.size() && regex[k] != ']'; ++k) {
        if (regex[k] == '\\') {
          ++k;
        } else if (regex[k] == '[' && k + 1 < regex.size() && regex[k + 1] == ':') {
          const std::size_t close = regex.find(":]", k + 2);
          if (close == std::string_view::npos) return true;
          k = close + 1;
        }
      }
      i = k;
    } else if (c == '(') {
      if (i + 1 < regex.size() && regex[i + 1] == '?' &&
          (i + 2 >= regex.size() || regex[i + 2] != ':')) {
        return true;
      }
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (c == '|' && depth == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

RegexForms FormsOf(std::string_view regex) {
  // A quantified \b ("\b?") is no boundary that every match must start at.
  const bool opens_with_boundary =
      regex.starts_with("\\b") && regex.size() > 2 &&
      std::string_view("*+?{").find(regex[2]) == std::string_view::npos;
  if (opens_with_boundary && !MayHaveTopLevelAlternative(regex)) {
    const std::string_view rest = regex.substr(2);
    return {std::string(rest), Anchored(rest), true};
  }
  return {std::string(regex), Anchored(regex), false};
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

// Hyperscan's parser and analysis without a compile, which costs more than a hundred times as
// much; it accepts only one thing that a compile rejects, a pattern that can match no text.
core::Status CheckRegex(const std::string& regex) {
  // What the Analyzer compiles: the scanned form and the anchored one.
  const RegexForms forms = FormsOf(regex);
  for (const std::string& expression : {forms.scanned, forms.anchored}) {
    hs_expr_info_t* info = nullptr;
    hs_compile_error_t* error = nullptr;
    if (hs_expression_info(expression.c_str(), RegexFlags(regex), &info, &error) == HS_SUCCESS) {
      const bool matches_empty = info->min_width == 0;
      std::free(info);
      if (matches_empty) return core::Fail(core::Errc::invalid_argument, "it can match no text");
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
