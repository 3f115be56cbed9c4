#include "outreach/stemmer.hpp"

#include <libstemmer.h>

#include <new>

#include "core/fnv.hpp"

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

StemMemo::StemMemo() : slots_(kSlots) {}

std::uint64_t StemMemo::Key(std::string_view stem) {
  std::uint64_t hash = core::Fnv1a64(stem);
  hash ^= hash >> 31;
  hash *= 0xbf58476d1ce4e5b9ULL;
  return (hash ^ (hash >> 29)) | 1;
}

std::uint64_t StemMemo::StemKey(std::string_view word) {
  const std::uint64_t word_hash = Key(word);
  Slot& slot = slots_[word_hash & (kSlots - 1)];
  if (slot.word != word_hash) {
    slot.word = word_hash;
    slot.stem = Key(stemmer_.Stem(word));
  }
  return slot.stem;
}

}  // namespace uitweg::outreach
