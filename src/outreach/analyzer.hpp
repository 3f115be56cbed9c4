#pragma once
// Finds lexicon terms in posts: normalises the text (normaliser.hpp), scans it with one compiled
// Hyperscan block-mode database holding every term, variant and regex of the lexicon, and scores
// the hits (scorer.hpp), entities counting as signals. A literal also matches inflected forms of
// its last word ("rekeningen" for "rekening", "geldezels" for "geldezel"): forms whose Snowball
// Dutch stem is that of the literal's word, unless the term is `exact`. Literal terms match whole
// words unless the term is a prefix term (the word boundaries are checked on each hit rather than
// compiled into the patterns, which keeps the database fast to build and to scan); matched text is
// reported in the post's original form. Regexes are scanned without start-of-match tracking;
// where a regex match starts is found afterwards, for the few posts that have one, with a small
// anchored database per regex; a regex that opens with \b is scanned without it, and its
// matches are kept where they start at a word boundary (analyzer_patterns.hpp, RegexForms).
//
// An Analyzer is immutable after Create and thread-safe; each thread scans with its own Worker
// (Hyperscan scratch space and buffers), which must not outlive the Analyzer. A post without
// any hit costs one normalisation and one scan and allocates nothing once the Worker's buffers
// have grown. AnalyzeBatch does the same for many posts with one scan over all their normalised
// texts: each Hyperscan call costs a fixed set-up, which dominates a chat message of 60 bytes.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "outreach/compiled_cache.hpp"
#include "outreach/lexicon.hpp"
#include "outreach/normaliser.hpp"
#include "outreach/post.hpp"
#include "outreach/scorer.hpp"
#include "outreach/stemmer.hpp"
#include "outreach/text_features.hpp"
#include "outreach/text_model.hpp"

struct hs_database;
struct hs_scratch;

namespace uitweg::outreach {

// What AnalyzeBatch found in one post of a batch: the post's index in the batch.
struct PostFinding {
  std::size_t post = 0;
  Finding finding;
};

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
    Worker(const Analyzer& analyzer, hs_scratch* scratch)
        : analyzer_(analyzer), scratch_(scratch) {}
    static int OnMatch(unsigned int id, unsigned long long from, unsigned long long to,
                       unsigned int flags, void* context);

    const Analyzer& analyzer_;
    hs_scratch* scratch_;             // for the main and the anchored databases, one at a time
    std::vector<bool> scratch_fits_;  // per anchored regex: scratch_ has been grown for it
    std::vector<std::uint32_t> regex_tries_;  // per anchored regex: hits tried in this post
    bool regex_tried_ = false;                // regex_tries_ holds counts to clear
    Normaliser normaliser_;
    StemMemo stems_;
    std::unique_ptr<FeatureExtractor> features_;  // with a model only
    std::string_view text_;                       // the normalised text being scanned
    std::vector<Hit> hits_;
    std::vector<TermHit> term_hits_;
    Scorer::Scratch scorer_scratch_;
    // AnalyzeBatch: the normalised texts of a run of posts, each followed by kPostSeparator;
    // where each starts (and one past the last); the hits of the whole run.
    std::string batch_text_;
    std::vector<std::uint32_t> batch_starts_;
    std::vector<Hit> batch_hits_;
  };

  // Errors: invalid_argument "<source>:<line>: cannot compile term ..." when the lexicon cannot
  // be compiled (Lexicon::Parse rules out all but a regex too large for Hyperscan),
  // resource_exhausted when Hyperscan cannot allocate.
  // With a `model`, the learned scorer adds its contribution to the score of every post that
  // has a hit or a signal and could reach min_score with it (the lexicon is the cheap first
  // stage of a cascade).
  // With a `cache`, the lexicon's database is loaded from it when it holds one compiled from the
  // same patterns, and stored in it when compiled.
  static core::Result<std::unique_ptr<Analyzer>> Create(
      const Lexicon& lexicon, std::shared_ptr<const TextModel> model = nullptr,
      const CompiledCache* cache = nullptr);
  ~Analyzer();
  Analyzer(const Analyzer&) = delete;
  Analyzer& operator=(const Analyzer&) = delete;

  // Throws std::bad_alloc when Hyperscan cannot allocate a scratch space.
  std::unique_ptr<Worker> NewWorker() const;
  // Everything about the post: score, categories, matches.
  Finding Analyze(const Post& post, Worker& worker) const;
  // The same score; but a post scoring below `min_score` comes back with its score alone (no
  // categories, no matches), which skips the work of reporting: what a scan wants, since most
  // posts with a hit are innocent ones with an ambiguous word.
  Finding Analyze(const Post& post, Worker& worker, double min_score) const;
  // Analyze(post, worker, min_score) for each post of `posts`, appending to `out`, in batch
  // order, every post that has a match (a term or a signal) and scores at least `min_score`,
  // with its categories and matches. The normalised texts are scanned together, joined by a byte
  // that normalised text never holds; a regex match across that byte counts for no post. Allocates
  // nothing for posts without a hit once the Worker's buffers have grown.
  void AnalyzeBatch(std::span<const Post> posts, Worker& worker, double min_score,
                    std::vector<PostFinding>& out) const;

  double min_score() const { return min_score_; }
  // Whether the lexicon's database came from the cache rather than from compiling.
  bool loaded_from_cache() const { return loaded_from_cache_; }
  const TextModel* model() const { return model_.get(); }

 private:
  struct Pattern {
    std::uint32_t term = 0;
    std::uint32_t length = 0;      // a literal's normalised length; 0 for a regex
    bool boundary_before = false;  // literal: must not follow a letter or digit
    bool boundary_after = false;   // literal: must not precede a letter or digit
    std::uint32_t regex = 0;       // regex: index into anchored_
    // An inflection pattern: the literal's last word cut to where its Snowball stem parts from
    // it; a hit counts when the whole word it starts has that stem (StemMemo::Key of it).
    std::uint64_t stem = 0;         // 0: not an inflection pattern
    std::uint32_t stem_shared = 0;  // how many letters of the word the pattern holds
  };
  // "^(?:regex)" and the longest and shortest text it can match. Compiled the first time a post
  // needs it: compiling is most of the cost of starting a scan, and most regexes of a lexicon
  // match nowhere in a given export.
  struct Anchored {
    std::string expression;
    unsigned int flags = 0;
    std::uint32_t min_width = 0;
    std::uint32_t max_width = 0;
    bool boundary_at_start = false;  // patterns::RegexForms
    std::once_flag compiled;
    hs_database* database = nullptr;  // set under `compiled`; stays null if it cannot compile
  };
  Analyzer(const Lexicon& lexicon, std::shared_ptr<const TextModel> model);
  // The model's contribution for the post whose normalised text is worker.text_; with
  // `explain`, also the words that moved it most.
  double ModelContribution(const Post& post, Worker& worker, std::vector<ModelWord>* explain) const;
  core::Status Compile(const Lexicon& lexicon, const CompiledCache* cache);
  // Compiles database_ from the patterns of the lexicon's terms; stores it in `cache`, if any.
  core::Status CompileDatabase(const Lexicon& lexicon, const std::vector<std::string>& expressions,
                               const std::vector<unsigned int>& flags, const CompiledCache* cache,
                               const std::string& cache_key);
  // Sets where each regex hit of worker.hits_ (in worker.text_) starts; drops those that have no
  // start, so that a post whose only hits they were counts as a post without a hit.
  void PlaceRegexHits(Worker& worker) const;
  // Analyze after the scan: worker.hits_ hold the placed hits in worker.text_, the normalised
  // `text`.
  Finding Finish(const Post& post, std::string_view text, Worker& worker, double min_score) const;
  // Scans worker.batch_text_ and finishes the posts with a hit or a signal.
  void ScanBatch(std::span<const Post> posts, std::size_t first, Worker& worker, double min_score,
                 std::vector<PostFinding>& out) const;
  // The anchored database of regex `regex`, compiled if it is the first use, with the worker's
  // scratch space grown to fit it; null when it cannot be compiled or the scratch not grown.
  hs_database* AnchoredDatabase(std::uint32_t regex, Worker& worker) const;
  // Where the match of regex pattern `pattern` that ends at `to` starts.
  std::uint32_t RegexStart(const Pattern& pattern, std::uint32_t to, Worker& worker) const;

  hs_database* database_ = nullptr;
  std::unique_ptr<Anchored[]> anchored_;  // an array: std::once_flag cannot move
  std::size_t anchored_count_ = 0;
  hs_scratch* prototype_scratch_ = nullptr;  // for the main database; cloned for each Worker
  std::vector<Pattern> patterns_;
  Scorer scorer_;
  double min_score_;
  std::shared_ptr<const TextModel> model_;
  bool loaded_from_cache_ = false;
};

}  // namespace uitweg::outreach
