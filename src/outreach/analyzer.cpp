#include "outreach/analyzer.hpp"

#include <fmt/format.h>
#include <hs.h>

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <mutex>
#include <new>
#include <optional>
#include <set>
#include <string>

#include "outreach/analyzer_patterns.hpp"

namespace uitweg::outreach {
namespace {

// An inflected form is at most this many letters longer than the stem ("rekeningetjes").
constexpr std::size_t kMaxInflection = 8;
// Words shorter than this are not matched by their stem: short stems mean other words.
constexpr std::size_t kMinStem = 4;

bool IsLowerLetter(char c) {
  return c >= 'a' && c <= 'z';
}

// Where the literal's last word starts, when that word is all letters and long enough to stem.
std::optional<std::size_t> StemmableLastWord(std::string_view literal) {
  const std::size_t space = literal.rfind(' ');
  const std::size_t start = space == std::string_view::npos ? 0 : space + 1;
  if (literal.size() - start < kMinStem) return std::nullopt;
  for (std::size_t k = start; k < literal.size(); ++k) {
    if (!IsLowerLetter(literal[k])) return std::nullopt;
  }
  return start;
}

// How far back from its end a regex match is looked for when its pattern has no bound.
constexpr std::uint32_t kMaxRegexSpan = 512;
// Hits of one regex whose start is looked for, per post. Each look costs up to kMaxRegexSpan
// anchored scans, whether it finds a start or not (a match off a word boundary), and a post
// that repeats a match this often gains nothing more by it (each hit of a term counts half the
// one before), so that a long post of repeats or near-misses cannot cost seconds.
constexpr std::uint32_t kMaxRegexTriesPerPost = 32;

// Hyperscan takes 32-bit lengths, and so do the normaliser's offsets; a post beyond 1 GiB (which
// no chat message is) is analysed in its first GiB only.
constexpr std::size_t kMaxText = std::size_t{1} << 30;

// AnalyzeBatch scans runs of posts of about this much normalised text: long enough that the set-up
// of a Hyperscan call no longer counts, short enough to stay in the L2 cache.
constexpr std::size_t kBatchText = 128 * 1024;
// Joins the normalised texts of a batch. The normaliser turns every control character into a
// space, so no literal holds it; it is no word byte, so word boundaries hold at a post's edges.
constexpr char kPostSeparator = '\n';

std::string_view Capped(std::string_view text) {
  return text.size() > kMaxText ? text.substr(0, kMaxText) : text;
}

struct CompileError {
  hs_compile_error_t* error = nullptr;
  ~CompileError() { hs_free_compile_error(error); }
  std::string Message() const {
    return error != nullptr && error->message != nullptr ? error->message : "cannot compile";
  }
};

int StopAtEnd(unsigned int, unsigned long long, unsigned long long to, unsigned int,
              void* context) {
  auto* end = static_cast<std::uint32_t*>(context);
  if (to == *end) {
    *end = 0;
    return 1;
  }
  return 0;
}

// What a compiled database depends on: Hyperscan's version, the CPU it is compiled for, and each
// pattern with its flags, in order (a pattern's id is its index).
std::string CacheKey(const std::vector<std::string>& expressions,
                     const std::vector<unsigned int>& flags) {
  std::string key = fmt::format("hyperscan {}\n", hs_version());
  hs_platform_info_t platform{};
  if (hs_populate_platform(&platform) == HS_SUCCESS) {
    key += fmt::format("platform {} {}\n", platform.tune, platform.cpu_features);
  }
  for (std::size_t i = 0; i < expressions.size(); ++i) {
    key += fmt::format("{} {} {}\n", flags[i], expressions[i].size(), expressions[i]);
  }
  return key;
}

}  // namespace

Analyzer::Worker::~Worker() {
  hs_free_scratch(scratch_);
}

int Analyzer::Worker::OnMatch(unsigned int id, unsigned long long from, unsigned long long to,
                              unsigned int, void* context) {
  auto* worker = static_cast<Worker*>(context);
  const Pattern& pattern = worker->analyzer_.patterns_[id];
  if (pattern.length != 0) {
    from = to - pattern.length;
    const std::string_view text = worker->text_;
    if (pattern.boundary_before && from > 0 && patterns::IsWordByte(text[from - 1])) return 0;
    if (pattern.boundary_after && to < text.size() && patterns::IsWordByte(text[to])) return 0;
    if (pattern.stem != 0) {
      std::size_t end = to;
      while (end < text.size() && end - to <= kMaxInflection && IsLowerLetter(text[end])) ++end;
      if (end - to > kMaxInflection) return 0;
      const std::size_t word = to - pattern.stem_shared;
      if (worker->stems_.StemKey(text.substr(word, end - word)) != pattern.stem) return 0;
      to = end;
    }
  }
  worker->hits_.push_back({id, static_cast<std::uint32_t>(from), static_cast<std::uint32_t>(to)});
  return 0;
}

core::Result<std::unique_ptr<Analyzer>> Analyzer::Create(const Lexicon& lexicon,
                                                         std::shared_ptr<const TextModel> model,
                                                         const CompiledCache* cache) {
  std::unique_ptr<Analyzer> analyzer(new Analyzer(lexicon, std::move(model)));
  UITWEG_TRY(analyzer->Compile(lexicon, cache));
  return analyzer;
}

Analyzer::Analyzer(const Lexicon& lexicon, std::shared_ptr<const TextModel> model)
    : scorer_(lexicon), min_score_(lexicon.min_score()), model_(std::move(model)) {}

core::Status Analyzer::Compile(const Lexicon& lexicon, const CompiledCache* cache) {
  std::vector<std::string> expressions;
  std::vector<unsigned int> flags;
  const auto has_regex = [](const LexiconTerm& term) { return !term.regex.empty(); };
  anchored_ = std::make_unique<Anchored[]>(static_cast<std::size_t>(
      std::count_if(lexicon.terms().begin(), lexicon.terms().end(), has_regex)));
  DutchStemmer stemmer;
  for (std::uint32_t t = 0; t < lexicon.terms().size(); ++t) {
    const LexiconTerm& term = lexicon.terms()[t];
    std::set<std::string> literals;
    literals.insert(Normalise(term.text));
    for (const std::string& variant : term.variants) literals.insert(Normalise(variant));
    std::set<std::string> inflections;
    for (const std::string& literal : literals) {
      if (literal.empty()) continue;
      Pattern pattern;
      pattern.term = t;
      pattern.length = static_cast<std::uint32_t>(literal.size());
      pattern.boundary_before = patterns::IsWordByte(literal.front());
      pattern.boundary_after = !term.prefix && patterns::IsWordByte(literal.back());
      expressions.push_back(patterns::LiteralPattern(literal));
      flags.push_back(patterns::LiteralFlags());
      patterns_.push_back(pattern);
      if (term.prefix || term.exact) continue;
      const std::optional<std::size_t> word = StemmableLastWord(literal);
      if (!word) continue;
      const std::string_view last = std::string_view(literal).substr(*word);
      const std::string stem(stemmer.Stem(last));
      // The pattern holds the word up to two letters before where its stem parts from it, since
      // inflected forms may double a vowel the stem has single ("verhuren", stem "verhur", and
      // "verhuur"); the whole word is stemmed on each hit.
      std::size_t shared = 0;
      while (shared < stem.size() && shared < last.size() && stem[shared] == last[shared]) {
        ++shared;
      }
      if (shared < kMinStem) continue;
      shared = std::max(kMinStem, shared - 2);
      const std::string head = literal.substr(0, *word + shared);
      if (!inflections.insert(head + '\0' + stem).second) continue;
      Pattern inflected = pattern;
      inflected.length = static_cast<std::uint32_t>(head.size());
      inflected.boundary_after = false;
      inflected.stem = StemMemo::Key(stem);
      inflected.stem_shared = static_cast<std::uint32_t>(shared);
      expressions.push_back(patterns::LiteralPattern(head));
      flags.push_back(patterns::LiteralFlags());
      patterns_.push_back(inflected);
    }
    if (!term.regex.empty()) {
      patterns::RegexForms forms = patterns::FormsOf(term.regex);
      Anchored& anchored = anchored_[anchored_count_];
      anchored.expression = std::move(forms.anchored);
      anchored.flags = patterns::RegexFlags(term.regex);
      anchored.boundary_at_start = forms.boundary_at_start;
      anchored.max_width = kMaxRegexSpan;
      hs_expr_info_t* info = nullptr;
      CompileError info_error;
      if (hs_expression_info(term.regex.c_str(), patterns::RegexFlags(term.regex), &info,
                             &info_error.error) == HS_SUCCESS) {
        anchored.min_width = info->min_width;
        anchored.max_width = std::min(info->max_width, kMaxRegexSpan);
        std::free(info);
      }
      ++anchored_count_;
      Pattern pattern;
      pattern.term = t;
      pattern.regex = static_cast<std::uint32_t>(anchored_count_ - 1);
      expressions.push_back(std::move(forms.scanned));
      flags.push_back(patterns::RegexFlags(term.regex));
      patterns_.push_back(pattern);
    }
  }
  if (expressions.empty()) {
    return core::Fail(core::Errc::invalid_argument, lexicon.source_name() + ": no terms to match");
  }
  const std::string cache_key = cache != nullptr ? CacheKey(expressions, flags) : std::string();
  if (cache != nullptr) {
    if (const std::optional<std::string> bytes = cache->Load(cache_key)) {
      loaded_from_cache_ =
          hs_deserialize_database(bytes->data(), bytes->size(), &database_) == HS_SUCCESS;
    }
  }
  if (!loaded_from_cache_) {
    UITWEG_TRY(CompileDatabase(lexicon, expressions, flags, cache, cache_key));
  }
  if (hs_alloc_scratch(database_, &prototype_scratch_) != HS_SUCCESS) {
    return core::Fail(core::Errc::resource_exhausted, "cannot allocate Hyperscan scratch space");
  }
  return {};
}

core::Status Analyzer::CompileDatabase(const Lexicon& lexicon,
                                       const std::vector<std::string>& expressions,
                                       const std::vector<unsigned int>& flags,
                                       const CompiledCache* cache, const std::string& cache_key) {
  std::vector<const char*> pointers;
  std::vector<unsigned int> ids;
  for (std::size_t i = 0; i < expressions.size(); ++i) {
    pointers.push_back(expressions[i].c_str());
    ids.push_back(static_cast<unsigned int>(i));
  }
  CompileError error;
  if (hs_compile_multi(pointers.data(), flags.data(), ids.data(),
                       static_cast<unsigned int>(pointers.size()), HS_MODE_BLOCK, nullptr,
                       &database_, &error.error) != HS_SUCCESS) {
    if (error.error == nullptr || error.error->expression < 0) {
      return core::Fail(core::Errc::invalid_argument,
                        lexicon.source_name() + ": cannot compile the lexicon: " + error.Message());
    }
    const std::size_t expression = static_cast<std::size_t>(error.error->expression);
    const LexiconTerm& term = lexicon.terms()[patterns_[expression].term];
    return core::Fail(
        core::Errc::invalid_argument,
        fmt::format("{}:{}: cannot compile term \"{}\": {} (in \"{}\")", lexicon.source_name(),
                    term.line, term.text, error.Message(), expressions[expression]));
  }
  char* bytes = nullptr;
  std::size_t length = 0;
  if (cache != nullptr && hs_serialize_database(database_, &bytes, &length) == HS_SUCCESS) {
    cache->Store(cache_key, std::string_view(bytes, length));
    std::free(bytes);
  }
  return {};
}

Analyzer::~Analyzer() {
  hs_free_scratch(prototype_scratch_);
  for (std::size_t a = 0; a < anchored_count_; ++a) hs_free_database(anchored_[a].database);
  hs_free_database(database_);
}

std::unique_ptr<Analyzer::Worker> Analyzer::NewWorker() const {
  hs_scratch_t* scratch = nullptr;
  if (hs_clone_scratch(prototype_scratch_, &scratch) != HS_SUCCESS) throw std::bad_alloc();
  std::unique_ptr<Worker> worker(new Worker(*this, scratch));
  worker->scratch_fits_.assign(anchored_count_, false);
  worker->regex_tries_.assign(anchored_count_, 0);
  if (model_) worker->features_ = std::make_unique<FeatureExtractor>(model_->buckets());
  return worker;
}

hs_database* Analyzer::AnchoredDatabase(std::uint32_t regex, Worker& worker) const {
  Anchored& anchored = anchored_[regex];
  std::call_once(anchored.compiled, [&anchored] {
    CompileError error;
    if (hs_compile(anchored.expression.c_str(), anchored.flags, HS_MODE_BLOCK, nullptr,
                   &anchored.database, &error.error) != HS_SUCCESS) {
      anchored.database = nullptr;
    }
  });
  if (anchored.database == nullptr) return nullptr;
  if (!worker.scratch_fits_[regex]) {
    if (hs_alloc_scratch(anchored.database, &worker.scratch_) != HS_SUCCESS) return nullptr;
    worker.scratch_fits_[regex] = true;
  }
  return anchored.database;
}

// The leftmost start from which the anchored regex matches exactly up to `to`; starts inside a
// UTF-8 sequence are skipped (the regex is compiled for UTF-8), and so are starts off a word
// boundary when the regex opens with one. Returns `to` when there is none within reach (a match
// longer than kMaxRegexSpan, or only a superset's match) or the anchored regex cannot be compiled
// (which Lexicon::Parse rules out but for a regex too large), and PlaceRegexHits drops the hit.
std::uint32_t Analyzer::RegexStart(const Pattern& pattern, std::uint32_t to, Worker& worker) const {
  const Anchored& anchored = anchored_[pattern.regex];
  hs_database* const database = AnchoredDatabase(pattern.regex, worker);
  if (database == nullptr) return to;
  const std::string_view text = worker.text_;
  const std::uint32_t first = to > anchored.max_width ? to - anchored.max_width : 0;
  for (std::uint32_t start = first; start + anchored.min_width <= to; ++start) {
    if ((static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) continue;
    if (anchored.boundary_at_start && !patterns::IsBoundary(text, start)) continue;
    std::uint32_t end = to - start;
    if (end == 0) break;
    hs_scan(database, text.data() + start, end, 0, worker.scratch_, StopAtEnd, &end);
    if (end == 0) return start;
  }
  return to;
}

Finding Analyzer::Analyze(const Post& post, Worker& worker) const {
  return Analyze(post, worker, -std::numeric_limits<double>::infinity());
}

Finding Analyzer::Analyze(const Post& post, Worker& worker, double min_score) const {
  const std::string_view text = Capped(post.text);
  worker.hits_.clear();
  worker.text_ = worker.normaliser_.Normalise(text);
  hs_scan(database_, worker.text_.data(), static_cast<unsigned int>(worker.text_.size()), 0,
          worker.scratch_, &Worker::OnMatch, &worker);
  PlaceRegexHits(worker);
  if (worker.hits_.empty() && !scorer_.HasSignal(post.entities)) return {};
  return Finish(post, text, worker, min_score);
}

void Analyzer::AnalyzeBatch(std::span<const Post> posts, Worker& worker, double min_score,
                            std::vector<PostFinding>& out) const {
  std::size_t first = 0;
  while (first < posts.size()) {
    worker.batch_text_.clear();
    worker.batch_starts_.clear();
    std::size_t last = first;
    while (last < posts.size() && worker.batch_text_.size() < kBatchText) {
      worker.batch_starts_.push_back(static_cast<std::uint32_t>(worker.batch_text_.size()));
      worker.batch_text_.append(worker.normaliser_.Normalise(Capped(posts[last].text)));
      worker.batch_text_.push_back(kPostSeparator);
      ++last;
    }
    worker.batch_starts_.push_back(static_cast<std::uint32_t>(worker.batch_text_.size()));
    ScanBatch(posts.subspan(first, last - first), first, worker, min_score, out);
    first = last;
  }
}

void Analyzer::ScanBatch(std::span<const Post> posts, std::size_t first, Worker& worker,
                         double min_score, std::vector<PostFinding>& out) const {
  const std::string_view batch = worker.batch_text_;
  worker.hits_.clear();
  worker.text_ = batch;
  hs_scan(database_, batch.data(), static_cast<unsigned int>(batch.size()), 0, worker.scratch_,
          &Worker::OnMatch, &worker);
  std::swap(worker.hits_, worker.batch_hits_);
  const auto by_end = [](const Worker::Hit& a, const Worker::Hit& b) { return a.to < b.to; };
  if (!std::is_sorted(worker.batch_hits_.begin(), worker.batch_hits_.end(), by_end)) {
    std::sort(worker.batch_hits_.begin(), worker.batch_hits_.end(), by_end);
  }
  auto hit = worker.batch_hits_.cbegin();
  const auto hits_end = worker.batch_hits_.cend();
  for (std::size_t i = 0; i < posts.size(); ++i) {
    const std::uint32_t start = worker.batch_starts_[i];
    const std::uint32_t end = worker.batch_starts_[i + 1] - 1;  // the separator after the post
    worker.hits_.clear();
    for (; hit != hits_end && hit->to <= end; ++hit) {
      const bool literal = patterns_[hit->pattern].length != 0;
      // A match that takes in the separator before the post belongs to no post.
      if (hit->to <= start || (literal && hit->from < start)) continue;
      worker.hits_.push_back({hit->pattern, literal ? hit->from - start : 0, hit->to - start});
    }
    const Post& post = posts[i];
    worker.text_ = batch.substr(start, end - start);
    PlaceRegexHits(worker);
    if (worker.hits_.empty() && !scorer_.HasSignal(post.entities)) continue;
    Finding finding = Finish(post, Capped(post.text), worker, min_score);
    if (finding.score >= min_score && !finding.matches.empty()) {
      out.push_back({first + i, std::move(finding)});
    }
  }
}

void Analyzer::PlaceRegexHits(Worker& worker) const {
  // Cleared as each post begins (a post left half-placed by an exception must not use up the
  // next one's tries), and only after a post that tried a regex.
  if (worker.regex_tried_) {
    std::fill(worker.regex_tries_.begin(), worker.regex_tries_.end(), 0);
    worker.regex_tried_ = false;
  }
  std::size_t kept = 0;
  for (Worker::Hit hit : worker.hits_) {
    const Pattern& pattern = patterns_[hit.pattern];
    if (pattern.length == 0) {
      worker.regex_tried_ = true;
      if (worker.regex_tries_[pattern.regex]++ >= kMaxRegexTriesPerPost) continue;
      hit.from = RegexStart(pattern, hit.to, worker);
      if (hit.from >= hit.to) continue;
    }
    worker.hits_[kept++] = hit;
  }
  worker.hits_.resize(kept);
}

Finding Analyzer::Finish(const Post& post, std::string_view text, Worker& worker,
                         double min_score) const {
  worker.term_hits_.clear();
  // One occurrence per place: leftmost first, longest first; a hit inside an earlier one is the
  // same words seen by a shorter term ("pinpas" inside "pinpas uitlenen") and is dropped.
  std::sort(worker.hits_.begin(), worker.hits_.end(),
            [](const Worker::Hit& a, const Worker::Hit& b) {
              if (a.from != b.from) return a.from < b.from;
              if (a.to != b.to) return a.to > b.to;
              return a.pattern < b.pattern;
            });
  std::uint32_t covered_to = 0;
  for (const Worker::Hit& hit : worker.hits_) {
    if (hit.to <= covered_to) continue;
    covered_to = hit.to;
    worker.term_hits_.push_back({patterns_[hit.pattern].term, hit.from, hit.to});
  }
  const double lexicon = scorer_.Tally(worker.term_hits_, post.entities, worker.scorer_scratch_);
  double model = 0;
  std::vector<ModelWord> model_words;
  if (model_ && lexicon + model_->cap() >= min_score) {
    model = ModelContribution(post, worker, nullptr);
    if (lexicon + model >= min_score) ModelContribution(post, worker, &model_words);
  }
  if (lexicon + model < min_score) {
    Finding finding;
    finding.score = lexicon + model;
    finding.lexicon_score = lexicon;
    finding.model_score = model;
    return finding;
  }
  if (!worker.term_hits_.empty()) {
    worker.normaliser_.NormaliseWithOffsets(text);
    for (TermHit& hit : worker.term_hits_) {
      const auto [begin, end] = worker.normaliser_.OriginalRange(hit.begin, hit.end);
      hit.begin = begin;
      hit.end = end;
    }
  }
  Finding finding = scorer_.Score(text, worker.term_hits_, post.entities, worker.scorer_scratch_);
  finding.lexicon_score = finding.score;
  finding.model_score = model;
  finding.score += model;
  finding.model_words = std::move(model_words);
  return finding;
}

double Analyzer::ModelContribution(const Post& post, Worker& worker,
                                   std::vector<ModelWord>* explain) const {
  const double contribution = model_->Contribution(
      model_->Logit(worker.features_->Sum(worker.text_, post.author, model_->weights())));
  if (explain == nullptr || contribution == 0) return contribution;
  const std::vector<TextFeature>& features = worker.features_->Extract(worker.text_, post.author);
  // Each word's share of the log-odds; the three that pushed furthest the model's way.
  std::vector<ModelWord> words;
  std::vector<std::uint32_t> slot_of;
  for (const TextFeature& feature : features) {
    const double share = model_->weights()[feature.index] * feature.value * model_->scale();
    const std::uint32_t key = feature.word == FeatureExtractor::kAuthorWord ? 0 : feature.word + 1;
    if (key >= slot_of.size()) slot_of.resize(key + 1, 0);
    if (slot_of[key] == 0) {
      words.push_back({std::string(worker.features_->word(feature.word)), 0});
      slot_of[key] = static_cast<std::uint32_t>(words.size());
    }
    words[slot_of[key] - 1].weight += share;
  }
  const double sign = contribution > 0 ? 1 : -1;
  std::erase_if(words, [sign](const ModelWord& word) { return word.weight * sign <= 0; });
  const std::size_t keep = std::min<std::size_t>(3, words.size());
  std::partial_sort(
      words.begin(), words.begin() + static_cast<std::ptrdiff_t>(keep), words.end(),
      [sign](const ModelWord& a, const ModelWord& b) { return a.weight * sign > b.weight * sign; });
  words.resize(keep);
  *explain = std::move(words);
  return contribution;
}

}  // namespace uitweg::outreach
