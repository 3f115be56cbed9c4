#pragma once
// Text normalisation applied to lexicon terms and post text alike, so that obfuscated spellings
// meet the lexicon: invalid UTF-8 becomes U+FFFD; letters are case folded and lose their
// diacritics (Latin-1 Supplement, Latin Extended-A, fullwidth, mathematical and circled letters,
// Greek and Cyrillic lookalikes of Latin letters); invisible characters (U+200B..U+200F,
// U+2060..U+2064, U+FEFF, U+00AD, combining marks, variation selectors) vanish, so "❄️" equals
// "❄"; runs of three or more single letters joined by one separator collapse ("b.a.n.k" →
// "bank"); leetspeak (0→o 1→i 3→e 4→a 5→s 7→t 8→b @→a $→s €→e !→i) is undone inside words that
// contain a letter, so "100 euro" stays; runs of three or more equal letters become one
// ("geeeld" → "geld"); whitespace and '_' runs become one space. Other characters (emoji,
// punctuation, other scripts) are kept as they are.
//
// A Normaliser owns its buffers and reuses them, so normalising allocates only while the
// buffers grow. Not thread-safe: one per thread.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace uitweg::outreach {

class Normaliser {
 public:
  // Returns the normalised text, valid until the next call.
  std::string_view Normalise(std::string_view text);
  // As Normalise (same output), and records for every output byte the original bytes it came
  // from, for OriginalRange.
  std::string_view NormaliseWithOffsets(std::string_view text);
  // The original byte range [first, second) that the normalised bytes [from, to) came from,
  // after NormaliseWithOffsets; requires from < to <= size of the normalised text.
  std::pair<std::size_t, std::size_t> OriginalRange(std::size_t from, std::size_t to) const;

 private:
  template <bool kOffsets>
  class Pass;
  void Reserve(std::size_t input_size, bool offsets);

  // Grown, never shrunk: a Normaliser that has seen a post of n bytes normalises posts up to
  // n bytes without allocating.
  std::unique_ptr<char[]> out_;
  std::unique_ptr<std::uint32_t[]> begin_;  // per output byte: its first original byte
  std::unique_ptr<std::uint32_t[]> end_;    // per output byte: one past its last original byte
  std::size_t out_capacity_ = 0;
  std::size_t offsets_capacity_ = 0;
  std::size_t size_ = 0;
};

// Convenience for lexicon terms and tests.
std::string Normalise(std::string_view text);

}  // namespace uitweg::outreach
