#include "outreach/stemmer.hpp"

#include <libstemmer.h>

#include <new>

namespace uitweg::outreach {

DutchStemmer::DutchStemmer() : stemmer_(sb_stemmer_new("dutch", "UTF_8")) {
  if (stemmer_ == nullptr) throw std::bad_alloc();
}

DutchStemmer::~DutchStemmer() {
  sb_stemmer_delete(stemmer_);
}

std::string_view DutchStemmer::Stem(std::string_view word) {
  const sb_symbol* stem = sb_stemmer_stem(stemmer_, reinterpret_cast<const sb_symbol*>(word.data()),
                                          static_cast<int>(word.size()));
  if (stem == nullptr) return word;
  return {reinterpret_cast<const char*>(stem),
          static_cast<std::size_t>(sb_stemmer_length(stemmer_))};
}

}  // namespace uitweg::outreach
