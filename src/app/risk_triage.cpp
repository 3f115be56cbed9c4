#include "app/risk_triage.hpp"

#include <algorithm>

#include "model/conversation.hpp"

namespace uitweg::app {

core::Result<std::unique_ptr<RiskTriage>> RiskTriage::Load(const std::string& path) {
  core::Result<outreach::Lexicon> lexicon =
      path.empty() ? outreach::Lexicon::Parse(BuiltInRiskLexicon(), "lexicon/nl-risk.toml")
                   : outreach::Lexicon::Load(path);
  if (!lexicon) return lexicon.error();
  return Create(*lexicon);
}

core::Result<std::unique_ptr<RiskTriage>> RiskTriage::Create(const outreach::Lexicon& lexicon) {
  auto analyzer = outreach::Analyzer::Create(lexicon);
  if (!analyzer) return analyzer.error();
  return std::unique_ptr<RiskTriage>(new RiskTriage(std::move(*analyzer)));
}

outreach::Finding RiskTriage::Analyze(std::string_view text) const {
  std::unique_ptr<outreach::Analyzer::Worker> worker;
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      worker = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!worker) worker = analyzer_->NewWorker();
  outreach::Post post;
  post.text = std::string(text);
  const outreach::Finding finding = analyzer_->Analyze(post, *worker);
  {
    std::lock_guard lock(mu_);
    idle_.push_back(std::move(worker));
  }
  return finding;
}

bool RiskTriage::Knows(std::string_view term) const {
  return outreach::MatchesATerm(Analyze(term));
}

chat::Assessment RiskTriage::Assess(std::string_view text) const {
  const outreach::Finding finding = Analyze(text);
  chat::Assessment assessment;
  const double urgent_from = analyzer_->min_score();
  if (finding.score >= urgent_from) {
    assessment.urgency = model::kUrgencyUrgent;
  } else if (finding.score >= urgent_from / 2 && finding.score > 0) {
    assessment.urgency = model::kUrgencyRaised;
  }
  if (assessment.urgency == model::kUrgencyNormal) return assessment;
  for (const outreach::Match& match : finding.matches) {
    if (match.weight <= 0 || match.category.empty()) continue;
    if (std::find(assessment.matched.begin(), assessment.matched.end(), match.matched_text) !=
        assessment.matched.end()) {
      continue;
    }
    assessment.matched.push_back(match.matched_text);
  }
  return assessment;
}

}  // namespace uitweg::app
