#pragma once
// Finds lexicon terms in posts: normalises the text (normaliser.hpp), scans it with one compiled
// Hyperscan block-mode database holding every term, variant and regex of the lexicon, and scores
// the hits (scorer.hpp), entities counting as signals. Literal terms match whole words unless
// the term is a prefix term; matched text is reported in the post's original form.
//
// An Analyzer is immutable after Create and thread-safe; each thread scans with its own Worker
// (Hyperscan scratch space and buffers), which must not outlive the Analyzer. A post without
// any hit costs one normalisation and one scan and allocates nothing once the Worker's buffers
// have grown.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/error.hpp"
#include "outreach/lexicon.hpp"
#include "outreach/normaliser.hpp"
#include "outreach/post.hpp"
#include "outreach/scorer.hpp"

struct hs_database;
struct hs_scratch;

namespace uitweg::outreach {

class Analyzer {
 public:
  // Per-thread state. Not thread-safe.
  class Worker {
   public:
    ~Worker();
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

   private:
    friend class Analyzer;
    struct Hit {
      std::uint32_t pattern;
      std::uint32_t from;  // in normalised text
      std::uint32_t to;
    };
    explicit Worker(hs_scratch* scratch) : scratch_(scratch) {}
    static int OnMatch(unsigned int id, unsigned long long from, unsigned long long to,
                       unsigned int flags, void* context);

    hs_scratch* scratch_;
    Normaliser normaliser_;
    std::vector<Hit> hits_;
    std::vector<TermHit> term_hits_;
  };

  // Errors: invalid_argument when the lexicon cannot be compiled (which Lexicon::Parse rules
  // out), resource_exhausted when Hyperscan cannot allocate.
  static core::Result<std::unique_ptr<Analyzer>> Create(const Lexicon& lexicon);
  ~Analyzer();
  Analyzer(const Analyzer&) = delete;
  Analyzer& operator=(const Analyzer&) = delete;

  // Throws std::bad_alloc when Hyperscan cannot allocate a scratch space.
  std::unique_ptr<Worker> NewWorker() const;
  Finding Analyze(const Post& post, Worker& worker) const;

  double min_score() const { return min_score_; }

 private:
  struct Pattern {
    std::uint32_t term;
    std::uint32_t length;  // normalised literal length; 0 for a regex (start of match reported)
  };
  Analyzer(const Lexicon& lexicon, hs_database* database, hs_scratch* scratch,
           std::vector<Pattern> patterns);

  hs_database* database_;
  hs_scratch* prototype_scratch_;  // cloned for each Worker
  std::vector<Pattern> patterns_;
  Scorer scorer_;
  double min_score_;
};

}  // namespace uitweg::outreach
