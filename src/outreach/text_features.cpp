#include "outreach/text_features.hpp"

#include <cmath>

#include "core/fnv.hpp"

namespace uitweg::outreach {
namespace {

// Feature kinds, mixed into each hash so that a stem and an n-gram of the same bytes differ.
enum Kind : std::uint64_t {
  kStem = 1,
  kNegatedStem = 2,
  kQuotedStem = 3,
  kStemPair = 4,
  kCharGram = 5,
  kAuthorStem = 6,
};

constexpr std::size_t kMinGram = 3;
constexpr std::size_t kMaxGram = 5;
// How many words a negation reaches when no punctuation ends its clause first.
constexpr int kNegationScope = 5;

std::uint64_t Mix(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t HashBytes(std::string_view bytes, std::uint64_t kind) {
  return Mix(core::Fnv1a64(bytes, core::kFnvOffsetBasis ^ (kind * 0x9E3779B97F4A7C15ULL)));
}

bool IsAsciiAlnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool EndsClause(unsigned char c) {
  switch (c) {
    case '.':
    case ',':
    case '!':
    case '?':
    case ';':
    case ':':
    case '\n': return true;
    default: return false;
  }
}

bool IsNegation(std::string_view word) {
  switch (word.size()) {
    case 3: return word == "not";
    case 4: return word == "niet" || word == "geen" || word == "dont";
    case 5: return word == "nooit" || word == "never";
    case 6: return word == "nimmer";
    default: return false;
  }
}

// '"' and the typographic quotes: “ ” „ « » (in UTF-8 after the lead byte).
std::size_t QuoteLength(std::string_view text, std::size_t at) {
  if (text[at] == '"') return 1;
  if (text[at] != '\xE2' && text[at] != '\xC2') return 0;
  const std::string_view rest = text.substr(at);
  for (const std::string_view quote : {"\u201C", "\u201D", "\u201E", "\u00AB", "\u00BB"}) {
    if (rest.starts_with(quote)) return quote.size();
  }
  return 0;
}

std::size_t CodePointLength(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

}  // namespace

FeatureExtractor::FeatureExtractor(std::uint32_t buckets)
    : mask_(buckets - 1), stem_cache_(kStemCacheSlots) {}

std::string_view FeatureExtractor::word(std::uint32_t index) const {
  if (index == kAuthorWord || index >= words_.size()) return "author";
  return text_.substr(words_[index].begin, words_[index].end - words_[index].begin);
}

void FeatureExtractor::Add(std::uint64_t hash, std::uint32_t word) {
  features_.push_back({static_cast<std::uint32_t>(hash) & mask_, 1.0f, word});
}

template <typename AddGram>
void FeatureExtractor::ForEachGram(std::string_view word, AddGram add) {
  const std::size_t padded = word.size() + 2;
  const auto at = [&](std::size_t k) { return k == 0 || k == padded - 1 ? ' ' : word[k - 1]; };
  for (std::size_t from = 0; from + kMinGram <= padded; ++from) {
    std::uint64_t hash = 0xcbf29ce484222325ULL ^ kCharGram;
    for (std::size_t n = 0; n < kMaxGram && from + n < padded; ++n) {
      hash ^= static_cast<unsigned char>(at(from + n));
      hash *= 0x100000001b3ULL;
      if (n + 1 >= kMinGram) add(Mix(hash));
    }
  }
}

// A word of up to eight bytes (most words) is its own key, its bytes side by side: no hash to
// wait for, and no two such words share a key. A longer word's key is its hash with the top bit
// set, which a word of ASCII letters and digits never has. 0 marks an empty slot.
inline std::uint64_t FeatureExtractor::WordKey(std::string_view word) {
  if (word.size() > 8) return HashBytes(word, 0) | (std::uint64_t{1} << 63);
  std::uint64_t key = 0;
  for (std::size_t i = 0; i < word.size(); ++i) {
    key |= std::uint64_t{static_cast<unsigned char>(word[i])} << (8 * i);
  }
  return key;
}

inline FeatureExtractor::CachedStem& FeatureExtractor::CacheSlot(std::string_view word) {
  const std::uint64_t key = WordKey(word);
  CachedStem& cached = stem_cache_[(key * 0x9E3779B97F4A7C15ULL) >> (64 - kStemCacheBits)];
  if (cached.word_key != key) cached = {.word_key = key};
  return cached;
}

// Numbers are one word, whatever their digits; words of letters are stemmed; anything else (an
// emoji, "5k", "ps5") is its own stem. `slot` is the word's cache slot when it is ASCII: it keeps
// the stem's hash, whichever kind the word is, and whether the word is a negation, so that a
// word seen before costs Tokenise no call at all.
std::uint64_t FeatureExtractor::StemHash(std::string_view word, CachedStem* slot) {
  bool digits = true;
  bool letters = true;
  for (const char c : word) {
    digits &= c >= '0' && c <= '9';
    letters &= c >= 'a' && c <= 'z';
  }
  static const std::uint64_t kNumber = HashBytes("<num>", kStem);
  const std::uint64_t stem = digits ? kNumber
                             : letters && word.size() >= 3 && slot != nullptr
                                 ? Stem(word)
                                 : HashBytes(word, kStem);
  if (slot != nullptr) {
    slot->stem_hash = stem;
    slot->has_stem = true;
    slot->negation = IsNegation(word);
  }
  return stem;
}

std::uint64_t FeatureExtractor::Stem(std::string_view word) {
  return HashBytes(stemmer_.Stem(word), kStem);
}

// Walks the words of `text` and hands each feature to `sink`: sink.Feature(hash, word) for
// stems, pairs and marks, sink.Word(token, word, its cache slot) for an ASCII word's n-grams.
template <typename Sink>
void FeatureExtractor::Tokenise(std::string_view text, bool author, Sink& sink) {
  bool quoted = false;
  int negation_left = 0;
  std::uint64_t previous_stem = 0;
  bool has_previous = false;
  std::uint32_t next_word = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    const bool may_quote = c == '"' || c == 0xE2 || c == 0xC2;
    if (const std::size_t quote = may_quote ? QuoteLength(text, i) : 0; quote != 0) {
      quoted = !quoted;
      i += quote;
      continue;
    }
    if (EndsClause(c) || c == ' ') {
      if (EndsClause(c)) {
        negation_left = 0;
        has_previous = false;
      }
      ++i;
      continue;
    }
    std::size_t end = i + 1;
    if (IsAsciiAlnum(c)) {
      while (end < text.size() && IsAsciiAlnum(static_cast<unsigned char>(text[end]))) ++end;
    } else if (c >= 0x80) {
      end = std::min(text.size(), i + CodePointLength(c));
    } else {
      ++i;  // other punctuation: neither a word nor a clause's end
      continue;
    }
    const std::string_view token = text.substr(i, end - i);
    CachedStem* slot = IsAsciiAlnum(c) ? &CacheSlot(token) : nullptr;
    const std::uint64_t stem =
        slot != nullptr && slot->has_stem ? slot->stem_hash : StemHash(token, slot);
    if (author) {
      sink.Feature(Mix(stem ^ kAuthorStem), kAuthorWord);
    } else {
      const std::uint32_t index = next_word++;
      sink.Begin(index, i, end);
      const Mark mark = negation_left > 0 ? Mark::negated : (quoted ? Mark::quoted : Mark::none);
      sink.Feature(stem, index);
      if (mark == Mark::negated) sink.Feature(Mix(stem ^ kNegatedStem), index);
      if (mark == Mark::quoted) sink.Feature(Mix(stem ^ kQuotedStem), index);
      if (has_previous) sink.Feature(Mix(previous_stem * 31 + stem + kStemPair), index);
      if (slot != nullptr) sink.Word(token, index, *slot);
      if (negation_left > 0) --negation_left;
      if (slot != nullptr && slot->negation) negation_left = kNegationScope;
    }
    previous_stem = stem;
    has_previous = true;
    i = end;
  }
}

const std::vector<TextFeature>& FeatureExtractor::Extract(std::string_view normalised_text,
                                                          std::string_view author) {
  struct ListSink {
    FeatureExtractor& self;
    void Begin(std::uint32_t, std::size_t begin, std::size_t end) {
      self.words_.push_back({static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end)});
    }
    void Feature(std::uint64_t hash, std::uint32_t word) { self.Add(hash, word); }
    void Word(std::string_view token, std::uint32_t word, CachedStem&) {
      ForEachGram(token, [&](std::uint64_t hash) { self.Add(hash, word); });
    }
  } sink{*this};
  text_ = normalised_text;
  words_.clear();
  features_.clear();
  Tokenise(normalised_text, false, sink);
  if (!author.empty()) Tokenise(author_normaliser_.Normalise(author), true, sink);
  if (!features_.empty()) {
    const float value = 1.0f / std::sqrt(static_cast<float>(features_.size()));
    for (TextFeature& feature : features_) feature.value = value;
  }
  return features_;
}

FeatureExtractor::WeightSum FeatureExtractor::Sum(std::string_view normalised_text,
                                                  std::string_view author,
                                                  std::span<const float> weights) {
  if (cached_weights_ != weights.data()) {
    for (CachedStem& cached : stem_cache_) cached.gram_count = 0;
    cached_weights_ = weights.data();
  }
  struct SumSink {
    FeatureExtractor& self;
    std::span<const float> weights;
    WeightSum total;
    float Weight(std::uint64_t hash) const {
      return weights[static_cast<std::uint32_t>(hash) & self.mask_];
    }
    void Begin(std::uint32_t, std::size_t, std::size_t) {}
    void Feature(std::uint64_t hash, std::uint32_t) {
      total.sum += Weight(hash);
      ++total.count;
    }
    void Word(std::string_view token, std::uint32_t, CachedStem& cached) {
      if (cached.gram_count == 0) {
        float sum = 0;
        std::uint32_t count = 0;
        ForEachGram(token, [&](std::uint64_t hash) {
          sum += Weight(hash);
          ++count;
        });
        cached.gram_sum = sum;
        cached.gram_count = count;
      }
      total.sum += cached.gram_sum;
      total.count += cached.gram_count;
    }
  } sink{*this, weights, {}};
  Tokenise(normalised_text, false, sink);
  if (!author.empty()) Tokenise(author_normaliser_.Normalise(author), true, sink);
  return sink.total;
}

}  // namespace uitweg::outreach
