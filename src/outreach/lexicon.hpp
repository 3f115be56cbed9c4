#pragma once
// The expert lexicon: terms with their variants, categories and weights, co-occurrence rules and
// entity signals, parsed from TOML (format: docs/lexicon.md). Parse checks everything the
// Analyzer will rely on, so that a Lexicon that parsed compiles, but for a regex too large for
// Hyperscan (only compiling finds that out, and compiling is the Analyzer's, which names the term
// and its line then): every error names the source and the line. Immutable after parsing; safe
// to share between threads.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace uitweg::outreach {

struct LexiconTerm {
  std::string text;  // as the expert wrote it; the name reported in matches
  std::string category;
  double weight = 0;                  // > 0
  std::vector<std::string> variants;  // further spellings that count as this term
  std::string regex;                  // optional Hyperscan pattern, run on normalised text
  bool prefix = false;                // true: may end inside a word ("bijverdien" + "en")
  bool exact = false;                 // true: inflected forms of the last word do not count
  std::string notes;
  std::string source;  // where the expert found it
  int line = 0;        // line of the [[term]] header in the lexicon file
};

// Adds `boost` once when every category in `all_categories` scored at least the lexicon's
// rule_min_category_score, and (if `any_terms` is not empty) one of those terms matched.
struct LexiconRule {
  std::string name;
  std::vector<std::string> all_categories;
  std::vector<std::string> any_terms;
  double boost = 0;
  int line = 0;
};

// An entity type of the export ("bank_card", "phone", ...) that counts as a match in `category`.
struct LexiconSignal {
  std::string entity_type;
  std::string category;
  double weight = 0;
  int line = 0;
};

class Lexicon {
 public:
  // Errors: invalid_argument with "<source_name>:<line>: <what>" for malformed TOML, unknown
  // keys, empty terms, missing categories, weights out of range, duplicate terms (after
  // normalisation) and regexes that Hyperscan cannot parse or that can match no text.
  static core::Result<Lexicon> Parse(std::string_view toml_text, std::string_view source_name);
  // As Parse; not_found when the file cannot be read.
  static core::Result<Lexicon> Load(const std::string& path);

  std::size_t term_count() const { return terms_.size(); }
  const std::vector<LexiconTerm>& terms() const { return terms_; }
  const std::vector<LexiconRule>& rules() const { return rules_; }
  const std::vector<LexiconSignal>& signals() const { return signals_; }

  const std::string& name() const { return name_; }
  const std::string& version() const { return version_; }
  const std::string& language() const { return language_; }
  const std::string& source_name() const { return source_name_; }
  // The score from which a post counts as flagged unless the user says otherwise
  // ([lexicon] min_score; 4 when absent).
  double min_score() const { return min_score_; }
  // What a category must score before rules count it as present, so that one ambiguous word
  // does not set off a boost ([lexicon] rule_min_category_score; 1 when absent).
  double rule_min_category_score() const { return rule_min_category_score_; }

 private:
  std::vector<LexiconTerm> terms_;
  std::vector<LexiconRule> rules_;
  std::vector<LexiconSignal> signals_;
  std::string name_;
  std::string version_;
  std::string language_;
  std::string source_name_;
  double min_score_ = 4;
  double rule_min_category_score_ = 1;
};

// Where Load looks when no --lexicon is given: "lexicon/nl-recruitment.toml" relative to the
// current directory, then relative to the directory above the running binary's directory.
std::string DefaultLexiconPath(std::string_view argv0);
// `relative_path` relative to the current directory if it exists there, else relative to the
// directory above the running binary's directory.
std::string DefaultDataPath(std::string_view relative_path, std::string_view argv0);

}  // namespace uitweg::outreach
