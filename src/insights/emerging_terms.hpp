#pragma once
// Words that young people use more and more in the chat: terms whose share of conversations
// rose from a baseline period to a recent one and that the outreach lexicon does not know yet,
// so that staff hear of new slang ("bankapp", "drop") before the lexicon does.
//
// A conversation's text (all its visitor messages) is cut into terms: it is normalised as
// lexicon terms are (outreach/normaliser.hpp: case, diacritics, leetspeak, so "B4NK4PP" is
// "bankapp"); every character other than the letters a-z separates words; the words of 3 to 30
// letters are kept; and every two kept words that follow each other in the text form a pair
// ("bank app"). A word that is not kept (too short, such as "je", or too long) ends a run, so a
// pair never spans it. A term counts once per conversation, however often it is said there.
//
// Only the terms and their counts are kept, never a conversation's text; memory grows with the
// number of distinct terms seen.
//
// Errors: none. Thread safety: Result may run on any number of threads at once, Add on one at a
// time and not alongside Result.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace uitweg::insights {

enum class Window { baseline, recent };

struct EmergingOptions {
  // A term said in fewer recent conversations than this is never shown: pass the suppression
  // threshold.
  std::int64_t min_conversations = 10;
  // How many times its smoothed share of conversations must have grown (see Result).
  double min_ratio = 3.0;
  std::size_t limit = 50;
};

struct EmergingTerm {
  std::string term = {};      // a word, or two words with a space between
  std::int64_t recent = 0;    // conversations in the recent window that used it
  std::int64_t baseline = 0;  // the same in the baseline window; may be under the threshold
  double ratio = 0.0;
};

// Between the messages of one conversation's text: a control character no message holds.
inline constexpr char kMessageSeparator = '\x1e';

// The distinct terms of one conversation's text as Add counts them, sorted (for tests and for
// explaining a term). A pair is two words of one message (kMessageSeparator between messages).
std::vector<std::string> TermsOf(std::string_view text);

class EmergingTerms {
 public:
  // Counts the terms of one conversation in `window`: its messages, kMessageSeparator between.
  void Add(Window window, std::string_view text);

  // The terms that emerge: used in at least min_conversations recent conversations, with
  //   ratio = ((recent + 1) / (recent conversations + 1))
  //         / ((baseline + 1) / (baseline conversations + 1)) >= min_ratio
  // (adding one keeps a term new in the recent window finite and damps rare terms), and not
  // `known` (a predicate over the normalised term, e.g. "is it in the lexicon"; an empty one
  // knows nothing). A pair is left out when one of its words passes the first two tests too,
  // known or not: the word explains the pair's rise ("bankapp geven" rises with "bankapp"), and
  // that word is used in every conversation the pair is. Sorted by ratio, highest first, then
  // by recent count, highest first, then by term; at most `limit`.
  std::vector<EmergingTerm> Result(const EmergingOptions& options,
                                   const std::function<bool(std::string_view)>& known) const;

  std::int64_t conversations(Window window) const;

 private:
  struct Counts {
    std::int64_t baseline = 0;
    std::int64_t recent = 0;
  };

  std::unordered_map<std::string, Counts> counts_;  // term → conversations using it
  std::int64_t baseline_conversations_ = 0;
  std::int64_t recent_conversations_ = 0;
};

}  // namespace uitweg::insights
