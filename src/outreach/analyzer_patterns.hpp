#pragma once
// How lexicon entries become Hyperscan patterns, shared by the lexicon parser (which checks
// regexes) and the Analyzer (which compiles them all). Internal to the outreach module.

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

// The regex anchored at the start of the data, to find where a match starts.
std::string AnchoredPattern(const std::string& regex);

// Checks that `regex`, alone and anchored, is one Hyperscan supports with RegexFlags(regex) and
// that it cannot match the empty text; the error carries Hyperscan's message.
core::Status CheckRegex(const std::string& regex);

}  // namespace uitweg::outreach::patterns
