#pragma once
// Changes to the recruitment lexicon's TOML (docs/lexicon.md) as the review console makes them:
// a term is added as a [[term]] block at the end, and retired by taking its block out. The rest
// of the text stays byte for byte, comments and layout included, so that one version differs
// from the one before only where the analyst changed it. Whether the result is a lexicon is the
// caller's to check (outreach::Lexicon::Parse, Analyzer::Create).
//
// Pure functions; thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace uitweg::api {

struct TermDraft {
  std::string text = {};
  std::string category = {};
  double weight = 0;
  std::vector<std::string> variants = {};
};

// The term as a [[term]] block: header, text, category, weight and (if any) variants, each line
// ended by '\n'. invalid_argument for a weight that is not a finite number.
core::Result<std::string> TermBlock(const TermDraft& term);

// `toml` with the term's block appended, after a blank line.
core::Result<std::string> WithTerm(std::string_view toml, const TermDraft& term);

// `toml` without the block of the [[term]] whose text is `term`: from its header to the last
// line of its values, and the blank lines after it (comments before the next table are about
// that one, and stay). invalid_argument when `toml` is not TOML, not_found when no term has that
// text.
core::Result<std::string> WithoutTerm(std::string_view toml, std::string_view term);

// A lexicon of this term alone, for trying a term before adding it.
core::Result<std::string> OneTermLexicon(const TermDraft& term);

}  // namespace uitweg::api
