#pragma once
// How lexicon entries become Hyperscan patterns, shared by the lexicon parser (which checks
// regexes) and the Analyzer (which compiles them all). Internal to the outreach module.

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace uitweg::outreach::patterns {

// The Hyperscan flags of a literal term and of a regex term.
unsigned int LiteralFlags();
unsigned int RegexFlags();

// The pattern for a normalised literal: escaped byte by byte, with a word boundary at each end
// that is a letter or digit (only at the start for a prefix term).
std::string LiteralPattern(std::string_view normalised, bool prefix);

// Compiles `regex` alone with RegexFlags(); the error carries Hyperscan's message.
core::Status CheckRegex(const std::string& regex);

}  // namespace uitweg::outreach::patterns
