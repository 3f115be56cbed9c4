#include "outreach/scorer.hpp"

#include <algorithm>
#include <map>

namespace uitweg::outreach {
namespace {

std::uint32_t IndexOf(std::map<std::string, std::uint32_t, std::less<>>& index,
                      std::vector<std::string>& names, const std::string& name) {
  const auto [it, inserted] = index.emplace(name, static_cast<std::uint32_t>(names.size()));
  if (inserted) names.push_back(name);
  return it->second;
}

// The weight of the n-th hit (1-based) of one term: w, w/2, w/4, ...
double Diminished(double weight, int nth) {
  return weight / static_cast<double>(1ULL << std::min(nth - 1, 62));
}

}  // namespace

Scorer::Scorer(const Lexicon& lexicon)
    : rule_min_category_score_(lexicon.rule_min_category_score()) {
  std::map<std::string, std::uint32_t, std::less<>> category_index;
  std::map<std::string, std::uint32_t, std::less<>> term_index;
  for (const LexiconTerm& term : lexicon.terms()) {
    term_index.emplace(term.text, static_cast<std::uint32_t>(terms_.size()));
    terms_.push_back({term.text, IndexOf(category_index, categories_, term.category), term.weight});
  }
  for (const LexiconSignal& signal : lexicon.signals()) {
    signals_.push_back(
        {signal.entity_type, IndexOf(category_index, categories_, signal.category), signal.weight});
  }
  for (const LexiconRule& rule : lexicon.rules()) {
    RuleInfo info;
    info.name = rule.name;
    info.boost = rule.boost;
    for (const std::string& category : rule.all_categories) {
      info.categories.push_back(IndexOf(category_index, categories_, category));
    }
    for (const std::string& text : rule.any_terms) {
      if (const auto it = term_index.find(text); it != term_index.end()) {
        info.any_terms.push_back(it->second);
      }
    }
    rules_.push_back(std::move(info));
  }
}

bool Scorer::HasSignal(std::span<const Entity> entities) const {
  for (const Entity& entity : entities) {
    for (const SignalInfo& signal : signals_) {
      if (signal.entity_type == entity.type) return true;
    }
  }
  return false;
}

bool Scorer::RuleFires(const RuleInfo& rule, const Scratch& scratch) const {
  const bool all =
      std::all_of(rule.categories.begin(), rule.categories.end(), [&](std::uint32_t c) {
        return scratch.category_score[c] > 0 &&
               scratch.category_score[c] >= rule_min_category_score_;
      });
  const bool any = rule.any_terms.empty() ||
                   std::any_of(rule.any_terms.begin(), rule.any_terms.end(),
                               [&](std::uint32_t t) { return scratch.term_hits[t] > 0; });
  return all && any;
}

double Scorer::Tally(std::span<const TermHit> hits, std::span<const Entity> entities,
                     Scratch& scratch) const {
  scratch.category_score.assign(categories_.size(), 0.0);
  // term_hits is all zeros between calls: clearing a lexicon's worth of counters for every post
  // with a hit would cost more than the tally.
  if (scratch.term_hits.size() != terms_.size()) scratch.term_hits.assign(terms_.size(), 0);
  scratch.signal_hits.assign(signals_.size(), 0);
  for (const TermHit& hit : hits) {
    const TermInfo& term = terms_[hit.term];
    scratch.category_score[term.category] += Diminished(term.weight, ++scratch.term_hits[hit.term]);
  }
  for (const Entity& entity : entities) {
    for (std::size_t s = 0; s < signals_.size(); ++s) {
      if (signals_[s].entity_type != entity.type) continue;
      scratch.category_score[signals_[s].category] +=
          Diminished(signals_[s].weight, ++scratch.signal_hits[s]);
    }
  }
  double score = 0;
  for (const double value : scratch.category_score) score += value;
  for (const RuleInfo& rule : rules_) {
    if (RuleFires(rule, scratch)) score += rule.boost;
  }
  for (const TermHit& hit : hits) scratch.term_hits[hit.term] = 0;
  return std::max(score, 0.0);
}

Finding Scorer::Score(std::string_view text, std::span<const TermHit> hits,
                      std::span<const Entity> entities) const {
  Scratch scratch;
  return Score(text, hits, entities, scratch);
}

Finding Scorer::Score(std::string_view text, std::span<const TermHit> hits,
                      std::span<const Entity> entities, Scratch& scratch) const {
  Finding finding;
  if (hits.empty() && !HasSignal(entities)) return finding;
  finding.score = Tally(hits, entities, scratch);

  // The matches, each with what it added: the tally's counts are rebuilt in the same order.
  std::fill(scratch.signal_hits.begin(), scratch.signal_hits.end(), 0);
  for (const TermHit& hit : hits) {
    const TermInfo& term = terms_[hit.term];
    const std::size_t begin = std::min(hit.begin, text.size());
    const std::size_t end = std::clamp(hit.end, begin, text.size());
    finding.matches.push_back({term.text, categories_[term.category],
                               std::string(text.substr(begin, end - begin)),
                               Diminished(term.weight, ++scratch.term_hits[hit.term]), begin, end});
  }
  for (const Entity& entity : entities) {
    const std::size_t found = entity.text.empty() ? std::string_view::npos : text.find(entity.text);
    const std::size_t begin = found == std::string_view::npos ? 0 : found;
    const std::size_t end = found == std::string_view::npos ? 0 : found + entity.text.size();
    for (std::size_t s = 0; s < signals_.size(); ++s) {
      const SignalInfo& signal = signals_[s];
      if (signal.entity_type != entity.type) continue;
      finding.matches.push_back({"entity:" + signal.entity_type, categories_[signal.category],
                                 entity.text, Diminished(signal.weight, ++scratch.signal_hits[s]),
                                 begin, end});
    }
  }
  for (const RuleInfo& rule : rules_) {
    if (RuleFires(rule, scratch))
      finding.matches.push_back({"rule:" + rule.name, "", "", rule.boost});
  }
  for (const TermHit& hit : hits) scratch.term_hits[hit.term] = 0;

  std::vector<std::uint32_t> order;
  for (std::uint32_t c = 0; c < categories_.size(); ++c) {
    if (scratch.category_score[c] > 0) order.push_back(c);
  }
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (scratch.category_score[a] != scratch.category_score[b]) {
      return scratch.category_score[a] > scratch.category_score[b];
    }
    return categories_[a] < categories_[b];
  });
  for (const std::uint32_t c : order) finding.categories.push_back(categories_[c]);
  return finding;
}

bool MatchesATerm(const Finding& finding) {
  return std::any_of(finding.matches.begin(), finding.matches.end(), [](const Match& match) {
    return !match.term.starts_with("entity:") && !match.term.starts_with("rule:");
  });
}

}  // namespace uitweg::outreach
