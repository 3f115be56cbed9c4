#pragma once
// Snowball's Dutch stemmer (Debian's libstemmer): "rekeningen" and "rekening" both become
// "reken", "geldezels" "geldezel". Used by the lexicon's matching of inflected forms and by the
// learned scorer's features. Takes lowercase ASCII words, as the normaliser writes them. Not
// thread-safe: one per thread.

#include <string_view>

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

}  // namespace uitweg::outreach
