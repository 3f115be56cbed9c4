#include "outreach/analyzer.hpp"

#include <hs.h>

#include <algorithm>
#include <limits>
#include <new>
#include <set>
#include <string>

#include "outreach/analyzer_patterns.hpp"

namespace uitweg::outreach {

Analyzer::Worker::~Worker() { hs_free_scratch(scratch_); }

int Analyzer::Worker::OnMatch(unsigned int id, unsigned long long from, unsigned long long to,
                              unsigned int, void* context) {
  auto* worker = static_cast<Worker*>(context);
  worker->hits_.push_back(
      {id, static_cast<std::uint32_t>(from), static_cast<std::uint32_t>(to)});
  return 0;
}

core::Result<std::unique_ptr<Analyzer>> Analyzer::Create(const Lexicon& lexicon) {
  std::vector<std::string> expressions;
  std::vector<unsigned int> flags;
  std::vector<Pattern> patterns;
  for (std::uint32_t t = 0; t < lexicon.terms().size(); ++t) {
    const LexiconTerm& term = lexicon.terms()[t];
    std::set<std::string> literals;
    literals.insert(Normalise(term.text));
    for (const std::string& variant : term.variants) literals.insert(Normalise(variant));
    for (const std::string& literal : literals) {
      if (literal.empty()) continue;
      expressions.push_back(patterns::LiteralPattern(literal, term.prefix));
      flags.push_back(patterns::LiteralFlags());
      patterns.push_back({t, static_cast<std::uint32_t>(literal.size())});
    }
    if (!term.regex.empty()) {
      expressions.push_back(term.regex);
      flags.push_back(patterns::RegexFlags());
      patterns.push_back({t, 0});
    }
  }
  if (expressions.empty()) {
    return core::Fail(core::Errc::invalid_argument, lexicon.source_name() + ": no terms to match");
  }
  std::vector<const char*> pointers;
  std::vector<unsigned int> ids;
  for (std::size_t i = 0; i < expressions.size(); ++i) {
    pointers.push_back(expressions[i].c_str());
    ids.push_back(static_cast<unsigned int>(i));
  }
  hs_database_t* database = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_compile_multi(pointers.data(), flags.data(), ids.data(),
                       static_cast<unsigned int>(pointers.size()), HS_MODE_BLOCK, nullptr,
                       &database, &error) != HS_SUCCESS) {
    std::string message = lexicon.source_name() + ": cannot compile the lexicon";
    if (error != nullptr && error->message != nullptr) {
      message += ": ";
      message += error->message;
      if (error->expression >= 0) message += " (in \"" + expressions[error->expression] + "\")";
    }
    hs_free_compile_error(error);
    return core::Fail(core::Errc::invalid_argument, std::move(message));
  }
  hs_scratch_t* scratch = nullptr;
  if (hs_alloc_scratch(database, &scratch) != HS_SUCCESS) {
    hs_free_database(database);
    return core::Fail(core::Errc::resource_exhausted, "cannot allocate Hyperscan scratch space");
  }
  return std::unique_ptr<Analyzer>(new Analyzer(lexicon, database, scratch, std::move(patterns)));
}

Analyzer::Analyzer(const Lexicon& lexicon, hs_database* database, hs_scratch* scratch,
                   std::vector<Pattern> patterns)
    : database_(database),
      prototype_scratch_(scratch),
      patterns_(std::move(patterns)),
      scorer_(lexicon),
      min_score_(lexicon.min_score()) {}

Analyzer::~Analyzer() {
  hs_free_scratch(prototype_scratch_);
  hs_free_database(database_);
}

std::unique_ptr<Analyzer::Worker> Analyzer::NewWorker() const {
  hs_scratch_t* scratch = nullptr;
  if (hs_clone_scratch(prototype_scratch_, &scratch) != HS_SUCCESS) throw std::bad_alloc();
  return std::unique_ptr<Worker>(new Worker(scratch));
}

Finding Analyzer::Analyze(const Post& post, Worker& worker) const {
  // Hyperscan takes 32-bit lengths, and so do the normaliser's offsets; a post beyond 1 GiB
  // (which no chat message is) is analysed in its first GiB only.
  constexpr std::size_t kMaxText = std::size_t{1} << 30;
  std::string_view text = post.text;
  if (text.size() > kMaxText) text = text.substr(0, kMaxText);

  worker.hits_.clear();
  const std::string_view normalised = worker.normaliser_.Normalise(text);
  hs_scan(database_, normalised.data(), static_cast<unsigned int>(normalised.size()), 0,
          worker.scratch_, &Worker::OnMatch, &worker);
  if (worker.hits_.empty()) {
    if (!scorer_.HasSignal(post.entities)) return {};
    return scorer_.Score(text, {}, post.entities);
  }

  // Literals report only their end; their start follows from their normalised length.
  for (Worker::Hit& hit : worker.hits_) {
    const Pattern& pattern = patterns_[hit.pattern];
    if (pattern.length != 0) hit.from = hit.to - pattern.length;
  }
  // One occurrence per place: leftmost first, longest first; a hit inside an earlier one is the
  // same words seen by a shorter term ("pinpas" inside "pinpas uitlenen") and is dropped.
  std::sort(worker.hits_.begin(), worker.hits_.end(), [](const Worker::Hit& a, const Worker::Hit& b) {
    if (a.from != b.from) return a.from < b.from;
    if (a.to != b.to) return a.to > b.to;
    return a.pattern < b.pattern;
  });
  worker.normaliser_.NormaliseWithOffsets(text);
  worker.term_hits_.clear();
  std::uint32_t covered_to = 0;
  for (const Worker::Hit& hit : worker.hits_) {
    if (hit.to <= covered_to || hit.from >= hit.to) continue;
    covered_to = hit.to;
    const auto [begin, end] = worker.normaliser_.OriginalRange(hit.from, hit.to);
    worker.term_hits_.push_back({patterns_[hit.pattern].term, begin, end});
  }
  return scorer_.Score(text, worker.term_hits_, post.entities);
}

}  // namespace uitweg::outreach
