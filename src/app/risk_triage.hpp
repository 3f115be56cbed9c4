#pragma once
// Triage (chat/triage.hpp) by the outreach matcher: a risk lexicon, in the outreach lexicon's
// format (docs/lexicon.md), scores each waiting visitor's message as if it were a post. From the
// lexicon's min_score on a message is urgent; from half of it, raised. The matched words are
// those of terms with a positive weight, as the visitor wrote them.
//
// Thread-safe: Assess borrows a matcher worker from a small pool.

#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "chat/triage.hpp"
#include "core/error.hpp"
#include "outreach/analyzer.hpp"
#include "outreach/lexicon.hpp"

namespace uitweg::app {

// The risk lexicon built into the binary (lexicon/nl-risk.toml).
std::string_view BuiltInRiskLexicon();

class RiskTriage final : public chat::Triage {
 public:
  // The built-in lexicon when `path` is empty; else the file. Errors as Lexicon::Load and
  // Analyzer::Create, naming the file and line.
  static core::Result<std::unique_ptr<RiskTriage>> Load(const std::string& path);
  static core::Result<std::unique_ptr<RiskTriage>> Create(const outreach::Lexicon& lexicon);

  chat::Assessment Assess(std::string_view text) const override;
  // Whether one of the risk lexicon's terms matches `term` standing alone, whatever it weighs
  // (the emerging words leave out what this lexicon knows).
  bool Knows(std::string_view term) const;

 private:
  outreach::Finding Analyze(std::string_view text) const;

  explicit RiskTriage(std::unique_ptr<outreach::Analyzer> analyzer)
      : analyzer_(std::move(analyzer)) {}

  std::unique_ptr<outreach::Analyzer> analyzer_;
  mutable std::mutex mu_;
  mutable std::vector<std::unique_ptr<outreach::Analyzer::Worker>> idle_;  // guarded by mu_
};

}  // namespace uitweg::app
