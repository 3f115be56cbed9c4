#pragma once
// Turns the term hits and entities of one post into a Finding: per category the weights of its
// terms add up, each further hit of the same term counting half as much as the one before
// (w, w/2, w/4, ...), entity signals likewise; a rule adds its boost once when all its
// categories score at least the lexicon's rule_min_category_score (and, if given, one of its
// terms matched). Immutable after construction;
// thread-safe.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "outreach/lexicon.hpp"
#include "outreach/post.hpp"

namespace uitweg::outreach {

struct Match {
  std::string term;          // the lexicon term (its `text`), "entity:<type>" for a signal,
                             // "rule:<name>" for a rule's boost
  std::string category;      // empty for a rule
  std::string matched_text;  // as it appears in the post
  double weight;             // what this hit added to the score
  // Where matched_text is in the post's text, in bytes: [begin, end). For a signal, its first
  // occurrence; begin == end when there is nothing to point at (a rule, an entity not in the
  // text).
  std::size_t begin = 0;
  std::size_t end = 0;
};

// A word of the post and what it added to the learned scorer's contribution (text_model.hpp).
struct ModelWord {
  std::string word;  // as in the normalised text; "author" for the author's name
  double weight = 0;
};

struct Finding {
  double score = 0;                     // lexicon_score + model_score
  double lexicon_score = 0;             // the terms, signals and rules below
  double model_score = 0;               // the learned scorer's contribution; 0 without a model
  std::vector<ModelWord> model_words;   // up to three words that moved the model most its way
  std::vector<std::string> categories;  // distinct, highest contribution first
  std::vector<Match> matches;           // in order of appearance; then signals, then rules
};

// Whether one of the lexicon's terms matched (not only a signal or a rule's boost): what "the
// lexicon knows this text" means.
bool MatchesATerm(const Finding& finding);

// One occurrence of lexicon term number `term` at original bytes [begin, end) of the post text.
struct TermHit {
  std::uint32_t term = 0;
  std::size_t begin = 0;
  std::size_t end = 0;
};

class Scorer {
 public:
  // Buffers that Tally and Score reuse, so that scoring allocates nothing for the tally once
  // they have grown; between calls term_hits holds only zeros. One per thread.
  struct Scratch {
    std::vector<double> category_score;
    std::vector<int> term_hits;
    std::vector<int> signal_hits;
  };

  explicit Scorer(const Lexicon& lexicon);

  // `hits` in order of appearance, indices into lexicon.terms(); their offsets are into `text`.
  Finding Score(std::string_view text, std::span<const TermHit> hits,
                std::span<const Entity> entities) const;
  Finding Score(std::string_view text, std::span<const TermHit> hits,
                std::span<const Entity> entities, Scratch& scratch) const;
  // The score alone, as Score computes it; the hits' offsets are not used.
  double Tally(std::span<const TermHit> hits, std::span<const Entity> entities,
               Scratch& scratch) const;

  // True when some entity type in `entities` is a signal of the lexicon.
  bool HasSignal(std::span<const Entity> entities) const;

 private:
  struct TermInfo {
    std::string text;
    std::uint32_t category = 0;
    double weight = 0;
  };
  struct SignalInfo {
    std::string entity_type;
    std::uint32_t category = 0;
    double weight = 0;
  };
  struct RuleInfo {
    std::string name;
    std::vector<std::uint32_t> categories;
    std::vector<std::uint32_t> any_terms;
    double boost = 0;
  };

  bool RuleFires(const RuleInfo& rule, const Scratch& scratch) const;

  std::vector<std::string> categories_;
  std::vector<TermInfo> terms_;
  std::vector<SignalInfo> signals_;
  std::vector<RuleInfo> rules_;
  double rule_min_category_score_ = 0;
};

}  // namespace uitweg::outreach
