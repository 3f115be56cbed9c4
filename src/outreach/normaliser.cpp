#include "outreach/normaliser.hpp"

#include <emmintrin.h>

#include <array>
#include <bit>
#include <cstring>

#include "outreach/normaliser_fold.hpp"

namespace uitweg::outreach {
namespace {

enum Class : std::uint8_t {
  kLetter,
  kDigit,
  kSpace,   // whitespace, control characters and '_'
  kSymbol,  // '@', '$', '!': letters in leetspeak, punctuation otherwise
  kPunct,   // any other ASCII character, kept as it is
  kNonAscii,
};

constexpr std::array<Class, 256> MakeClasses() {
  std::array<Class, 256> classes{};
  for (int c = 0; c < 256; ++c) {
    if (c >= 0x80) {
      classes[c] = kNonAscii;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      classes[c] = kLetter;
    } else if (c >= '0' && c <= '9') {
      classes[c] = kDigit;
    } else if (c <= ' ' || c == 0x7F || c == '_') {
      classes[c] = kSpace;
    } else if (c == '@' || c == '$' || c == '!') {
      classes[c] = kSymbol;
    } else {
      classes[c] = kPunct;
    }
  }
  return classes;
}
constexpr std::array<Class, 256> kClasses = MakeClasses();

// Leetspeak, applied only to digits and symbols inside words that contain a letter.
constexpr char Leet(char c) {
  switch (c) {
    case '0': return 'o';
    case '1': return 'i';
    case '3': return 'e';
    case '4': return 'a';
    case '5': return 's';
    case '7': return 't';
    case '8': return 'b';
    case '2': return 'z';
    case '6': return 'g';
    case '9': return 'g';
    case '@': return 'a';
    case '$': return 's';
    case '!': return 'i';
    default: return c;
  }
}

bool IsLowerLetter(char c) {
  return c >= 'a' && c <= 'z';
}

bool IsLowerAlnum(char c) {
  return IsLowerLetter(c) || (c >= '0' && c <= '9');
}

// The characters that may join single letters into one word: "b.a.n.k", "b-a-n-k", and a
// space ("b a n k").
bool IsJoinerMark(char c) {
  switch (c) {
    case '.':
    case '-':
    case '*':
    case '/':
    case '|':
    case '+':
    case '~':
    case '\'':
    case '`':
    case ',':
    case ':':
    case ';':
    case '=': return true;
    default: return false;
  }
}

// Marks may mix ("g.e.l.d-e.z.e.l"); a space joins only with spaces, so that "z'n p.a.s" stays
// two words.
enum class Joiner : std::uint8_t { none, space, mark };

// The longest emoji that joins letters ("r🔥e🔥k"): a few code points once invisible ones are gone.
constexpr std::size_t kMaxEmojiJoiner = 8;

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

// The plain-text fast path works on blocks of this many bytes, one bit per byte.
constexpr std::size_t kBlock = 16;
// A plain part shorter than this is left to the long way, which is as fast for so few bytes.
constexpr std::size_t kMinPrefix = 2;

}  // namespace

// One normalisation of one text. Writes into the Normaliser's buffers, which Reserve has grown
// to the worst case (an invalid byte becomes the three bytes of U+FFFD), so that the hot loop
// needs no bounds checks.
template <bool kOffsets>
class Normaliser::Pass {
 public:
  Pass(Normaliser& n, std::string_view text)
      : in_(reinterpret_cast<const unsigned char*>(text.data())),
        n_(text.size()),
        text_(text),
        out_(n.out_.get()),
        begin_(n.begin_.get()),
        end_(n.end_.get()) {}

  std::size_t Run() {
    std::size_t i = 0;
    const std::size_t n = n_;
    std::size_t next_block = 0;
    while (i < n) {
      if constexpr (!kOffsets) {
        if (i >= next_block) {
          const std::size_t done = PutPlainBlock(i);
          if (done == kBlock) {
            i += kBlock;
            continue;
          }
          // The byte after a plain part goes the long way; the next block may start after it.
          // (Trying again at every byte measured faster than skipping ahead on bench text.)
          i += done;
          next_block = i + 1;
          if (i >= n) break;
        }
      }
      const unsigned char c = in_[i];
      const Class c_class = kClasses[c];
      // Letters and single spaces are most of any text: plain branches for them predict better
      // than the jump table of the switch.
      if (c_class == kLetter) {
        i = PutAsciiLetters(i);
        continue;
      }
      if (c == ' ') {
        PutSpace(i, i + 1, false);
        ++i;
        continue;
      }
      switch (c_class) {
        case kLetter: i = PutAsciiLetters(i); break;
        case kDigit:
          PutWordChar(static_cast<char>(c), false, i, i + 1);
          ++i;
          break;
        case kSpace:
          PutSpace(i, i + 1, c == '\n' || c == '\r');
          ++i;
          break;
        case kSymbol:
          PutSymbol(static_cast<char>(c), i, 1);
          ++i;
          break;
        case kPunct:
          // A hyphen after a word of two letters or more joins it to the letters that follow:
          // Dutch writes compounds as one word, so "bank-re-ke-ning" and "geld-ezel" meet the
          // lexicon's spelling. After a single letter it may join a chain ("b-a-n-k").
          if (c == '-' && word_start_ != kNone && j_ - word_start_ >= 2 &&
              IsLowerLetter(out_[j_ - 1]) && NextIsAsciiLetter(i + 1)) {
            ++i;
            break;
          }
          EndWord();
          Put(static_cast<char>(c), i, i + 1);
          ++i;
          break;
        case kNonAscii: i += PutNonAscii(i); break;
      }
    }
    EndWord();
    FlushChain();
    if (j_ > 0 && out_[j_ - 1] == ' ') --j_;
    return j_;
  }

 private:
  void Put(char c, std::size_t from, std::size_t to) {
    out_[j_] = c;
    if constexpr (kOffsets) {
      begin_[j_] = static_cast<std::uint32_t>(from);
      end_[j_] = static_cast<std::uint32_t>(to);
    }
    ++j_;
  }

  // The fast path: up to sixteen bytes of letters and single spaces that need nothing but
  // lowercasing (no single-letter words, no runs of three, nothing pending) are copied at once:
  // the whole block, or the part before the first byte that is neither (when that part is long
  // enough to pay). Returns how many bytes it copied; the rest goes the long way. Only without
  // offsets, so that the long way (which NormaliseWithOffsets always takes) checks the short
  // one: both must give the same text. SSE2 (part of x86-64) gives one bit per byte for each
  // test; the rest is on those bits.
  std::size_t PutPlainBlock(std::size_t i) {
    if (i + kBlock > n_ || chain_count_ != 0) return 0;
    const std::size_t j = j_;
    char* const out = out_;
    const bool in_word = word_start_ != kNone;
    if (in_word && (j - word_start_ < 2 || has_digit_ || has_run_)) return 0;
    const char before = j > 0 ? out[j - 1] : ' ';
    const bool before_letter = IsLowerLetter(before);
    if (before != ' ' && !before_letter) return 0;

    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in_ + i));
    const __m128i lower = _mm_or_si128(x, _mm_set1_epi8(0x20));
    // Bytes of 0x80 and up are negative here, so they are no letters.
    unsigned letters = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_and_si128(_mm_cmpgt_epi8(lower, _mm_set1_epi8('a' - 1)),
                                        _mm_cmplt_epi8(lower, _mm_set1_epi8('z' + 1)))));
    unsigned spaces =
        static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8(' '))));
    const std::size_t length =
        static_cast<std::size_t>(std::countr_zero(~(letters | spaces) | (1u << kBlock)));
    if (length < kMinPrefix) return 0;
    const unsigned bytes = (1u << length) - 1;
    const unsigned last_byte = 1u << (length - 1);
    letters &= bytes;
    spaces &= bytes;
    // A leading space (dropped) or two spaces (collapsed).
    if ((spaces & 1) != 0 && before == ' ') return 0;
    if ((spaces & (spaces << 1)) != 0) return 0;
    // A single-letter word, which may start a joined chain ("b a n k"). Only an ASCII letter
    // after the block goes on its last word for sure; anything else counts as a word's end.
    const bool after_letter = i + length < n_ && kClasses[in_[i + length]] == kLetter;
    const unsigned boundary_before = (spaces << 1) | (before_letter ? 0 : 1);
    const unsigned boundary_after = (spaces >> 1) | (after_letter ? 0 : last_byte);
    if ((letters & boundary_before & boundary_after) != 0) return 0;
    // Three equal letters in a row, also with the two letters before the block.
    const unsigned same_as_1_before =
        static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(lower, _mm_slli_si128(lower, 1)))) &
        ~1u;
    const unsigned same_as_2_before =
        static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(lower, _mm_slli_si128(lower, 2)))) &
        ~3u;
    if ((same_as_1_before & same_as_2_before & letters) != 0) return 0;
    const char b0 = static_cast<char>(_mm_cvtsi128_si32(lower) & 0xFF);
    const char b1 = static_cast<char>((_mm_cvtsi128_si32(lower) >> 8) & 0xFF);
    if (before_letter && IsLowerLetter(b0) && b0 == before &&
        (length < 2 || b1 == b0 || (j - word_start_ >= 2 && out[j - 2] == b0))) {
      return 0;
    }

    // All sixteen bytes are stored; only `length` of them count (Reserve leaves the room).
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + j), lower);
    j_ = j + length;
    if ((letters & last_byte) != 0) {  // the last byte is a letter: its word goes on
      if (spaces != 0) {
        word_start_ = j + static_cast<std::size_t>(31 - std::countl_zero(spaces)) + 1;
      } else if (!in_word) {
        word_start_ = j;
      }
      has_letter_ = true;
      has_digit_ = false;
      has_run_ = false;
    } else {
      word_start_ = kNone;
    }
    return length;
  }

  // The hot loop: a run of ASCII letters, lowercased. Works on locals, because every store
  // through a char pointer could alias the members and would make the compiler reload them.
  std::size_t PutAsciiLetters(std::size_t i) {
    if (word_start_ == kNone) StartWord();
    has_letter_ = true;
    const unsigned char* const in = in_;
    const std::size_t n = n_;
    char* const out = out_;
    std::uint32_t* const begin = begin_;
    std::uint32_t* const end = end_;
    std::size_t j = j_;
    const std::size_t in_word = j - word_start_;
    char previous = in_word >= 1 ? out[j - 1] : '\0';
    char before_previous = in_word >= 2 ? out[j - 2] : '\0';
    bool run = has_run_;
    unsigned char c = in[i];
    do {
      const char lower = static_cast<char>(c | 0x20);
      run |= (lower == previous) & (lower == before_previous);
      before_previous = previous;
      previous = lower;
      out[j] = lower;
      if constexpr (kOffsets) {
        begin[j] = static_cast<std::uint32_t>(i);
        end[j] = static_cast<std::uint32_t>(i + 1);
      }
      ++j;
      ++i;
    } while (i < n && kClasses[c = in[i]] == kLetter);
    j_ = j;
    has_run_ = run;
    return i;
  }

  void StartWord() {
    word_start_ = j_;
    has_letter_ = has_digit_ = has_run_ = false;
  }

  void PutWordChar(char c, bool letter, std::size_t from, std::size_t to) {
    if (word_start_ == kNone) StartWord();
    if (letter) {
      has_letter_ = true;
      if (j_ - word_start_ >= 2 && out_[j_ - 1] == c && out_[j_ - 2] == c) has_run_ = true;
    } else {
      has_digit_ = true;
    }
    Put(c, from, to);
  }

  // A line break or a second space ends a word spelled out letter by letter, so that
  // "p i n p a s  u i t l e n e n" becomes two words.
  void PutSpace(std::size_t from, std::size_t to, bool line_break) {
    EndWord();
    const bool second = j_ == 0 || out_[j_ - 1] == ' ';
    if (!second) Put(' ', from, to);
    if (second || line_break) FlushChain();
  }

  bool NextIsAsciiLetter(std::size_t at) const { return at < n_ && kClasses[in_[at]] == kLetter; }
  bool NextIsAsciiAlnum(std::size_t at) const {
    return at < n_ && (kClasses[in_[at]] == kLetter || kClasses[in_[at]] == kDigit);
  }

  // '@' and '!' count as letters only between a letter and a letter or digit ("c@sh", so that
  // "@naam" stays a mention and "geld!" an exclamation); '$' and '€' also at the start of a
  // word before a letter ("$nel").
  void PutSymbol(char c, std::size_t at, std::size_t length) {
    const std::size_t next = at + length;
    const bool after_letter = word_start_ != kNone && IsLowerLetter(out_[j_ - 1]);
    bool is_letter = after_letter && NextIsAsciiAlnum(next);
    if (!is_letter && (c == '$' || c == 'E')) {
      is_letter = word_start_ == kNone && NextIsAsciiLetter(next);
    }
    if (is_letter) {
      PutWordChar(c == 'E' ? 'e' : Leet(c), true, at, next);
      return;
    }
    EndWord();
    if (c == 'E') {
      for (std::size_t k = 0; k < length; ++k) Put(static_cast<char>(in_[at + k]), at, next);
    } else {
      Put(c, at, next);
    }
  }

  std::size_t PutNonAscii(std::size_t at) {
    const fold::Decoded decoded = fold::DecodeAt(text_, at);
    const std::size_t next = at + decoded.length;
    if (decoded.code_point == 0xFFFD && decoded.length == 1) {
      EndWord();
      Put('\xEF', at, next);
      Put('\xBF', at, next);
      Put('\xBD', at, next);
      return decoded.length;
    }
    const fold::Folded folded = fold::FoldCodePoint(decoded.code_point);
    switch (folded.kind) {
      case fold::Kind::letters:
        for (std::uint8_t k = 0; k < folded.count; ++k) PutWordChar(folded.text[k], true, at, next);
        break;
      case fold::Kind::digit: PutWordChar(folded.text[0], false, at, next); break;
      case fold::Kind::space: PutSpace(at, next, false); break;
      case fold::Kind::removed: break;
      case fold::Kind::euro: PutSymbol('E', at, decoded.length); break;
      case fold::Kind::keep:
        EndWord();
        for (std::size_t k = at; k < next; ++k) Put(static_cast<char>(in_[k]), at, next);
        break;
    }
    return decoded.length;
  }

  void EndWord() {
    if (word_start_ == kNone) return;
    const std::size_t start = word_start_;
    word_start_ = kNone;
    if ((has_letter_ && has_digit_) || has_run_) FixWord(start, j_, has_letter_);
    const std::size_t length = j_ - start;
    if (length != 1) {
      FlushChain();
      return;
    }
    const bool letter = IsLowerLetter(out_[start]);
    const Joiner joiner = chain_count_ > 0 ? JoinerBetween(chain_end_, start) : Joiner::none;
    if (joiner != Joiner::none) {
      if (chain_count_ == 1 || joiner == chain_joiner_) {
        ++chain_count_;
        chain_letters_ += letter ? 1 : 0;
        chain_end_ = j_;
        chain_joiner_ = joiner;
        return;
      }
      // Another joiner ("z'n p.a.s"): a chain too short to collapse hands its last character
      // to a new chain.
      if (chain_count_ < 3 || chain_letters_ < 2) {
        const std::size_t last = chain_end_ - 1;
        chain_start_ = last;
        chain_end_ = j_;
        chain_count_ = 2;
        chain_letters_ = (IsLowerLetter(out_[last]) ? 1 : 0) + (letter ? 1 : 0);
        chain_joiner_ = joiner;
        return;
      }
    }
    FlushChain();
    chain_start_ = j_ - 1;
    chain_end_ = j_;
    chain_count_ = 1;
    chain_letters_ = letter ? 1 : 0;
  }

  // What joins the single character ending at `from` to the one starting at `to`: one space,
  // one joiner mark, or one emoji (kept bytes of 0x80 and up).
  Joiner JoinerBetween(std::size_t from, std::size_t to) const {
    if (to <= from) return Joiner::none;
    if (to == from + 1) {
      if (out_[from] == ' ') return Joiner::space;
      return IsJoinerMark(out_[from]) ? Joiner::mark : Joiner::none;
    }
    if (to - from > kMaxEmojiJoiner) return Joiner::none;
    for (std::size_t k = from; k < to; ++k) {
      if (static_cast<unsigned char>(out_[k]) < 0x80) return Joiner::none;
    }
    return Joiner::mark;
  }

  // A run of at least three single characters, two of them letters, joined by spaces or by
  // marks and emoji becomes one word: the joiners go, then the word gets its leetspeak and runs
  // fixed. The single characters are the only letters and digits in the run.
  void FlushChain() {
    const std::size_t count = chain_count_;
    chain_count_ = 0;
    if (count < 3 || chain_letters_ < 2) return;
    std::size_t w = chain_start_;
    for (std::size_t k = chain_start_; k < chain_end_; ++k) {
      if (IsLowerAlnum(out_[k])) Move(k, w++);
    }
    Erase(w, chain_end_);
    FixWord(chain_start_, w, true);
  }

  // Undoes leetspeak (when the word mixes digits into letters) and shortens runs of three or
  // more equal letters to one, in out_[start, end); bytes after `end` move up.
  void FixWord(std::size_t start, std::size_t end, bool has_letter) {
    if (has_letter && IsLeet(start, end)) {
      for (std::size_t k = start; k < end; ++k) out_[k] = Leet(out_[k]);
    }
    std::size_t w = start;
    std::size_t k = start;
    while (k < end) {
      std::size_t run_end = k + 1;
      while (run_end < end && out_[run_end] == out_[k]) ++run_end;
      const bool collapse = run_end - k >= 3 && IsLowerLetter(out_[k]);
      const std::size_t keep_end = collapse ? k + 1 : run_end;
      for (std::size_t m = k; m < keep_end; ++m, ++w) Move(m, w);
      if constexpr (kOffsets) {
        if (collapse) end_[w - 1] = end_[run_end - 1];
      }
      k = run_end;
    }
    Erase(w, end);
  }

  // A number with a unit or a name with a number ("5k", "10k", "3e", "100euro", "ps5",
  // "covid19") is not leetspeak: one digit run next to one letter run is read as leetspeak only
  // when the digit run is a single digit and the letters are at least three ("0pslag").
  bool IsLeet(std::size_t start, std::size_t end) const {
    std::size_t runs = 0;
    std::size_t digits = 0;
    bool previous_digit = false;
    for (std::size_t k = start; k < end; ++k) {
      const bool digit = out_[k] >= '0' && out_[k] <= '9';
      if (k == start || digit != previous_digit) ++runs;
      digits += digit ? 1 : 0;
      previous_digit = digit;
    }
    if (runs != 2) return true;
    return digits == 1 && end - start - digits >= 3;
  }

  void Move(std::size_t from, std::size_t to) {
    out_[to] = out_[from];
    if constexpr (kOffsets) {
      begin_[to] = begin_[from];
      end_[to] = end_[from];
    }
  }

  // Removes out_[from, to), moving what follows up.
  void Erase(std::size_t from, std::size_t to) {
    if (from == to) return;
    const std::size_t tail = j_ - to;
    std::memmove(out_ + from, out_ + to, tail);
    if constexpr (kOffsets) {
      std::memmove(begin_ + from, begin_ + to, tail * sizeof(std::uint32_t));
      std::memmove(end_ + from, end_ + to, tail * sizeof(std::uint32_t));
    }
    j_ -= to - from;
  }

  const unsigned char* in_;
  std::size_t n_;
  std::string_view text_;
  char* out_;
  std::uint32_t* begin_;
  std::uint32_t* end_;
  std::size_t j_ = 0;

  std::size_t word_start_ = kNone;
  bool has_letter_ = false;
  bool has_digit_ = false;
  bool has_run_ = false;

  std::size_t chain_start_ = 0;
  std::size_t chain_end_ = 0;
  std::size_t chain_count_ = 0;
  std::size_t chain_letters_ = 0;
  Joiner chain_joiner_ = Joiner::none;
};

void Normaliser::Reserve(std::size_t input_size, bool offsets) {
  const std::size_t needed = 3 * input_size + 16;
  if (needed > out_capacity_) {
    out_ = std::make_unique_for_overwrite<char[]>(needed);
    out_capacity_ = needed;
  }
  if (offsets && needed > offsets_capacity_) {
    begin_ = std::make_unique_for_overwrite<std::uint32_t[]>(needed);
    end_ = std::make_unique_for_overwrite<std::uint32_t[]>(needed);
    offsets_capacity_ = needed;
  }
}

std::string_view Normaliser::Normalise(std::string_view text) {
  Reserve(text.size(), false);
  size_ = Pass<false>(*this, text).Run();
  return {out_.get(), size_};
}

std::string_view Normaliser::NormaliseWithOffsets(std::string_view text) {
  Reserve(text.size(), true);
  size_ = Pass<true>(*this, text).Run();
  return {out_.get(), size_};
}

std::pair<std::size_t, std::size_t> Normaliser::OriginalRange(std::size_t from,
                                                              std::size_t to) const {
  return {begin_[from], end_[to - 1]};
}

std::string Normalise(std::string_view text) {
  Normaliser normaliser;
  return std::string(normaliser.Normalise(text));
}

}  // namespace uitweg::outreach
