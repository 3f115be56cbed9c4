#pragma once
// How lexicon entries become Hyperscan patterns, shared by the lexicon parser (which checks
// regexes) and the Analyzer (which compiles them all). Internal to the outreach module.

#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace uitweg::outreach::patterns {

// The Hyperscan flags of a literal term and of regex term `regex` (also for its anchored form).
unsigned int LiteralFlags();
unsigned int RegexFlags(std::string_view regex);

// The pattern for a normalised literal, escaped byte by byte. Word boundaries are not part of
// it: the Analyzer checks them on each hit (IsWordByte before and after).
std::string LiteralPattern(std::string_view normalised);

// A letter, digit or '_' of normalised text: what a word boundary separates from the rest.
inline bool IsWordByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || (c >= 'A' && c <= 'Z');
}

// Whether a word boundary lies before text[at]: between a word byte and another byte, the
// start and the end of the text counting as non-word. What Hyperscan's \b means in UTF-8 mode.
inline bool IsBoundary(std::string_view text, std::size_t at) {
  const bool word_before = at > 0 && IsWordByte(text[at - 1]);
  const bool word_after = at < text.size() && IsWordByte(text[at]);
  return word_before != word_after;
}

// How a regex term is matched. Hyperscan scans a regex that opens with \b several times slower
// than the same regex without it (`\b\d+ ?per week` costs a third of a whole lexicon's scan), so
// a regex that opens with \b, and has no top-level alternative that might not, is scanned without
// it: the scan finds a superset of its matches, and the Analyzer keeps the matches that start at a
// word boundary (IsBoundary), found with the anchored form, which leaves the \b out as well.
struct RegexForms {
  std::string scanned;   // compiled into the lexicon's database
  std::string anchored;  // anchored at the start of the data, to find where a match starts
  bool boundary_at_start = false;  // the \b taken off both: checked where a match starts
};
RegexForms FormsOf(std::string_view regex);

// Checks that the forms of `regex` (RegexForms) are ones Hyperscan supports with RegexFlags(regex)
// and that it cannot match the empty text; the error carries Hyperscan's message.
core::Status CheckRegex(const std::string& regex);

}  // namespace uitweg::outreach::patterns
