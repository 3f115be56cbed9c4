#pragma once
// What the learned scorer (text_model.hpp) sees of a post: hashed features of its normalised
// text (normaliser.hpp).
//   - character 3- to 5-grams of each word padded with spaces, so that spelling tricks the
//     normaliser does not undo still share most of their n-grams with the plain word;
//   - each word's Snowball Dutch stem (libstemmer), and pairs of neighbouring stems, so that
//     inflected forms ("verhuurt", "verhuren") meet; numbers are one word "<num>"; every emoji
//     is a word of its own ("❄", "💶");
//   - context: a word within a negation's scope (after "nooit", "niet", "geen", "never", "don't"
//     up to the end of the clause) or inside quotation marks gets a second, marked stem feature,
//     so that "verhuur nooit je pas" and a flyer quoting "snel geld" read otherwise than an offer;
//   - the words of the author's name (a police force, a bank, a newspaper) as features of their
//     own.
// Each feature counts once per occurrence; the vector is scaled to unit length, so that a long
// post does not outweigh a short one. Every feature remembers the word it came from, for
// explanations.
//
// A FeatureExtractor holds a stemmer and buffers: one per thread. Extracting allocates only while
// its buffers grow.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "outreach/normaliser.hpp"
#include "outreach/stemmer.hpp"

namespace uitweg::outreach {

struct TextFeature {
  std::uint32_t index = 0;  // into the model's weights, < buckets
  float value = 0;
  std::uint32_t word = 0;  // index into FeatureExtractor::words(); kAuthorWord for the author
};

class FeatureExtractor {
 public:
  static constexpr std::uint32_t kAuthorWord = 0xFFFFFFFF;

  // `buckets` is a power of two (TextModel checks it).
  explicit FeatureExtractor(std::uint32_t buckets);
  FeatureExtractor(const FeatureExtractor&) = delete;
  FeatureExtractor& operator=(const FeatureExtractor&) = delete;

  // The features of a normalised text and its author (raw; normalised here). Valid until the
  // next call.
  const std::vector<TextFeature>& Extract(std::string_view normalised_text,
                                          std::string_view author);
  // The words of the last Extract as they appear in the normalised text.
  std::string_view word(std::uint32_t index) const;

  // What a model's log-odds need without the list: the sum of `weights` over the features
  // Extract would give (each counted once per occurrence) and their number. A word's
  // n-grams are summed once and kept with its stem, so a word seen before costs a lookup.
  // An extractor caches for one `weights` at a time (another one empties the cache).
  struct WeightSum {
    double sum = 0;
    std::uint32_t count = 0;
  };
  WeightSum Sum(std::string_view normalised_text, std::string_view author,
                std::span<const float> weights);

 private:
  enum class Mark : std::uint8_t { none, negated, quoted };
  struct Word {
    std::uint32_t begin = 0;  // in text_
    std::uint32_t end = 0;
  };
  template <typename Sink>
  void Tokenise(std::string_view text, bool author, Sink& sink);
  // The n-grams of a word padded with spaces, each handed to `add` as a hash.
  template <typename Add>
  static void ForEachGram(std::string_view word, Add add);
  std::uint64_t Stem(std::string_view word);  // by Snowball, uncached
  // Stemming is most of the cost of a post's features, and the words of a channel repeat: the
  // stems of recent words are kept by WordKey (the word itself up to eight bytes, else a 64-bit
  // hash, so that two words that share a slot are told apart all but never wrongly).
  struct CachedStem {
    std::uint64_t word_key = 0;  // WordKey
    std::uint64_t stem_hash = 0;
    float gram_sum = 0;  // Sum: the word's n-gram weights, when gram_count != 0
    std::uint32_t gram_count = 0;
    bool has_stem = false;
    bool negation = false;  // "niet", "nooit", "never", ...: with has_stem
  };
  static std::uint64_t WordKey(std::string_view word);  // of an ASCII word, never 0
  CachedStem& CacheSlot(std::string_view word);
  std::uint64_t StemHash(std::string_view word, CachedStem* slot);
  static constexpr int kStemCacheBits = 16;
  static constexpr std::size_t kStemCacheSlots = std::size_t{1} << kStemCacheBits;
  void Add(std::uint64_t hash, std::uint32_t word);

  std::uint32_t mask_;
  DutchStemmer stemmer_;
  std::vector<CachedStem> stem_cache_;
  const float* cached_weights_ = nullptr;  // whose n-gram sums stem_cache_ holds
  std::string_view text_;
  Normaliser author_normaliser_;
  std::vector<Word> words_;
  std::vector<TextFeature> features_;
};

}  // namespace uitweg::outreach
