#include "insights/emerging_terms.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "outreach/normaliser.hpp"

namespace uitweg::insights {
namespace {

constexpr std::size_t kMinWordLength = 3;
constexpr std::size_t kMaxWordLength = 30;

bool IsLetter(char c) {
  return c >= 'a' && c <= 'z';
}

}  // namespace

std::vector<std::string> TermsOf(std::string_view text) {
  std::vector<std::string> terms;
  // Message by message: a pair from the end of one and the start of the next is no phrase.
  while (!text.empty()) {
    const std::size_t end = text.find(kMessageSeparator);
    const std::string normalised = outreach::Normalise(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    std::string_view previous;  // the kept word before this one; empty after a word not kept
    std::size_t i = 0;
    while (i < normalised.size()) {
      if (!IsLetter(normalised[i])) {
        ++i;
        continue;
      }
      const std::size_t start = i;
      while (i < normalised.size() && IsLetter(normalised[i])) ++i;
      const std::string_view word = std::string_view(normalised).substr(start, i - start);
      if (word.size() < kMinWordLength || word.size() > kMaxWordLength) {
        previous = {};
        continue;
      }
      terms.emplace_back(word);
      if (!previous.empty()) {
        std::string pair(previous);
        pair += ' ';
        pair += word;
        terms.push_back(std::move(pair));
      }
      previous = word;
    }
  }
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  return terms;
}

void EmergingTerms::Add(Window window, std::string_view text) {
  const bool recent = window == Window::recent;
  ++(recent ? recent_conversations_ : baseline_conversations_);
  for (std::string& term : TermsOf(text)) {
    Counts& counts = counts_[std::move(term)];
    ++(recent ? counts.recent : counts.baseline);
  }
}

std::int64_t EmergingTerms::conversations(Window window) const {
  return window == Window::recent ? recent_conversations_ : baseline_conversations_;
}

std::vector<EmergingTerm> EmergingTerms::Result(
    const EmergingOptions& options, const std::function<bool(std::string_view)>& known) const {
  auto ratio = [this](const Counts& counts) {
    const double recent_share = (static_cast<double>(counts.recent) + 1.0) /
                                (static_cast<double>(recent_conversations_) + 1.0);
    const double baseline_share = (static_cast<double>(counts.baseline) + 1.0) /
                                  (static_cast<double>(baseline_conversations_) + 1.0);
    return recent_share / baseline_share;
  };
  auto rises = [&](const Counts& counts) {
    return counts.recent >= options.min_conversations && ratio(counts) >= options.min_ratio;
  };
  // Every word of a pair is a term of the same conversations, so it has counts.
  auto word_rises = [&](std::string_view word) {
    const auto found = counts_.find(std::string(word));
    return found != counts_.end() && rises(found->second);
  };

  std::vector<EmergingTerm> emerging;
  for (const auto& [term, counts] : counts_) {
    if (!rises(counts) || (known && known(term))) continue;
    const std::size_t space = term.find(' ');
    if (space != std::string::npos) {
      const std::string_view pair = term;
      if (word_rises(pair.substr(0, space)) || word_rises(pair.substr(space + 1))) continue;
    }
    emerging.push_back({term, counts.recent, counts.baseline, ratio(counts)});
  }
  std::sort(emerging.begin(), emerging.end(), [](const EmergingTerm& a, const EmergingTerm& b) {
    if (a.ratio != b.ratio) return a.ratio > b.ratio;
    if (a.recent != b.recent) return a.recent > b.recent;
    return a.term < b.term;
  });
  if (emerging.size() > options.limit) emerging.resize(options.limit);
  return emerging;
}

}  // namespace uitweg::insights
