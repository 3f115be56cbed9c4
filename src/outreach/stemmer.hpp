#pragma once
// Snowball's Dutch stemmer (Debian's libstemmer): "rekeningen" and "rekening" both become
// "reken", "geldezels" "geldezel". Used by the lexicon's matching of inflected forms and by the
// learned scorer's features. Takes lowercase ASCII words, as the normaliser writes them. Not
// thread-safe: one per thread.

#include <cstdint>
#include <string_view>
#include <vector>

struct sb_stemmer;

namespace uitweg::outreach {

class DutchStemmer {
 public:
  // Throws std::bad_alloc when libstemmer cannot allocate.
  DutchStemmer();
  ~DutchStemmer();
  DutchStemmer(const DutchStemmer&) = delete;
  DutchStemmer& operator=(const DutchStemmer&) = delete;

  // The stem of `word`, valid until the next call; `word` itself when it cannot be stemmed.
  std::string_view Stem(std::string_view word);

 private:
  sb_stemmer* stemmer_;
};

// A DutchStemmer that remembers the stems of recently seen words, as 64-bit hashes kept by
// the hash of the word: the words of a channel repeat, and stemming costs far more than a
// lookup. Two words that share a slot are told apart all but never wrongly. One per thread.
class StemMemo {
 public:
  StemMemo();
  // Key(stem of `word`), from memory when `word` was seen lately.
  std::uint64_t StemKey(std::string_view word);
  // A 64-bit hash of a stem, never 0.
  static std::uint64_t Key(std::string_view stem);

 private:
  static constexpr std::size_t kSlots = 1u << 12;
  struct Slot {
    std::uint64_t word = 0;  // 0: empty
    std::uint64_t stem = 0;
  };
  DutchStemmer stemmer_;
  std::vector<Slot> slots_;
};

}  // namespace uitweg::outreach
