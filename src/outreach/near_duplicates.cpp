#include "outreach/near_duplicates.hpp"

#include <algorithm>
#include <limits>

#include "core/fnv.hpp"
#include "outreach/normaliser.hpp"

namespace uitweg::outreach {
namespace {

constexpr std::string_view kNumber = "#";
constexpr std::string_view kMention = "@";
constexpr std::string_view kEuro = "euro";

// One spelling for what reposts write in many ways. `words` are canonical words as the tokeniser
// cuts them ("p/w" and "p.w." are both "p" "w"); the longest match wins. `after_amount`, when
// set, is the meaning right after a number or "euro" ("50 pm" is per month, "stuur pm" is a
// private message).
struct Abbreviation {
  std::array<std::string_view, 3> words = {};
  std::string_view canonical = {};
  std::string_view after_amount = {};
};

constexpr Abbreviation kAbbreviations[] = {
    {{"p", "w"}, "perweek"},
    {{"pw"}, "perweek"},
    {{"per", "week"}, "perweek"},
    {{"in", "de", "week"}, "perweek"},
    {{"p", "d"}, "perdag"},
    {{"pd"}, "perdag"},
    {{"per", "dag"}, "perdag"},
    {{"p", "m"}, "permaand"},
    {{"per", "maand"}, "permaand"},
    {{"pm"}, "dm", "permaand"},
    {{"inbox"}, "dm"},
    {{"prive"}, "dm"},
    {{"pv"}, "dm"},
    {{"pb"}, "dm"},
    {{"eu"}, kEuro},
    {{"snl"}, "snel"},
    {{"jij"}, "je"},
    {{"jy"}, "je"},
    {{"u"}, "je"},
};

std::uint64_t Mix(std::uint64_t x) {  // splitmix64's finaliser
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

std::uint64_t HashWord(std::string_view word) {
  return Mix(core::Fnv1a64(word));
}

// Hash function i of the signature is (a[i] * x + b[i]) >> 32 over the 64-bit shingle hash x:
// multiply-add-shift, cheap and enough once x is well mixed.
struct Seeds {
  std::array<std::uint64_t, kMinHashSize> a = {};
  std::array<std::uint64_t, kMinHashSize> b = {};
};

constexpr Seeds MakeSeeds() {
  Seeds seeds;
  std::uint64_t state = 0x5eed'0f'ad'5ULL;
  auto next = [&state] {
    state += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  };
  for (int i = 0; i < kMinHashSize; ++i) {
    seeds.a[i] = next() | 1;
    seeds.b[i] = next();
  }
  return seeds;
}

constexpr Seeds kSeeds = MakeSeeds();

std::size_t CodePointLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  return 4;
}

// Whether the code point with this lead byte is part of a word in normalised text: ASCII letters
// and digits, and letters of other scripts. Not: U+0080..U+00BF (Latin-1 punctuation), lead 0xE2
// (U+2000..U+2FFF: punctuation, currency, symbols, dingbats), lead 0xEF (presentation forms and
// U+FFFD) and the supplementary planes (emoji).
bool IsWordStart(unsigned char lead) {
  return (lead >= 'a' && lead <= 'z') || (lead >= '0' && lead <= '9') ||
         (lead >= 0xC3 && lead < 0xF0 && lead != 0xE2 && lead != 0xEF);
}

// Cuts normalised text into words: numbers (and runs of them) become "#", mentions "@", "€"
// becomes "euro"; everything else that is not a word is dropped.
void Tokenise(std::string_view text, std::vector<std::string_view>& tokens) {
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (!IsWordStart(lead)) {
      if (text.substr(i, 3) == "€") tokens.push_back(kEuro);
      i += CodePointLength(lead);
      continue;
    }
    const std::size_t start = i;
    bool has_digit = false;
    while (i < n && IsWordStart(static_cast<unsigned char>(text[i]))) {
      const auto c = static_cast<unsigned char>(text[i]);
      has_digit = has_digit || (c >= '0' && c <= '9');
      i += CodePointLength(c);
    }
    i = std::min(i, n);
    if (start > 0 && text[start - 1] == '@') {
      tokens.push_back(kMention);
    } else if (has_digit) {
      if (tokens.empty() || tokens.back() != kNumber) tokens.push_back(kNumber);
    } else {
      tokens.push_back(text.substr(start, i - start));
    }
  }
}

// Replaces abbreviations by their canonical spelling, and writes an amount as "# euro" whichever
// side the currency stands on.
void Canonicalise(const std::vector<std::string_view>& tokens,
                  std::vector<std::string_view>& words) {
  for (std::size_t i = 0; i < tokens.size();) {
    const Abbreviation* best = nullptr;
    std::size_t best_length = 0;
    for (const Abbreviation& abbreviation : kAbbreviations) {
      std::size_t length = 0;
      while (length < abbreviation.words.size() && !abbreviation.words[length].empty() &&
             i + length < tokens.size() && tokens[i + length] == abbreviation.words[length]) {
        ++length;
      }
      const bool whole = length == abbreviation.words.size() || abbreviation.words[length].empty();
      if (whole && length > best_length) {
        best = &abbreviation;
        best_length = length;
      }
    }
    if (best == nullptr) {
      words.push_back(tokens[i]);
      ++i;
      continue;
    }
    const bool after_amount = !words.empty() && (words.back() == kNumber || words.back() == kEuro);
    words.push_back(after_amount && !best->after_amount.empty() ? best->after_amount
                                                                : best->canonical);
    i += best_length;
  }
  // "€500" → "# euro"; but in "500 euro 0612345678" the euro stays with the 500.
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    if (words[i] == kEuro && words[i + 1] == kNumber && (i == 0 || words[i - 1] != kNumber)) {
      std::swap(words[i], words[i + 1]);
    }
  }
}

struct Buffers {
  Normaliser normaliser;
  std::vector<std::string_view> tokens;
  std::vector<std::string_view> words;
};

// The canonical words of `text`, valid until the next call on this thread.
const std::vector<std::string_view>& CanonicalWords(std::string_view text, Buffers& buffers) {
  buffers.tokens.clear();
  buffers.words.clear();
  Tokenise(buffers.normaliser.Normalise(text), buffers.tokens);
  Canonicalise(buffers.tokens, buffers.words);
  return buffers.words;
}

Buffers& ThreadBuffers() {
  thread_local Buffers buffers;
  return buffers;
}

constexpr std::uint64_t kStartMark = 0x5354415254ULL;  // stand for the edges of the text
constexpr std::uint64_t kEndMark = 0x454e44ULL;

std::uint64_t Pair(std::uint64_t first, std::uint64_t second) {
  return Mix(first * 31 + second);
}

void AddShingle(std::uint64_t shingle, MinHashSignature& signature) {
  for (int i = 0; i < kMinHashSize; ++i) {
    const auto value = static_cast<std::uint32_t>((kSeeds.a[i] * shingle + kSeeds.b[i]) >> 32);
    signature[i] = std::min(signature[i], value);
  }
}

std::uint64_t BandKey(const MinHashSignature& signature, int band, int rows) {
  std::uint64_t key = Mix(static_cast<std::uint64_t>(band) + 1);
  for (int row = band * rows; row < (band + 1) * rows; ++row) key = Mix(key ^ signature[row]);
  return key;
}

std::uint64_t SignatureHash(const MinHashSignature& signature) {
  std::uint64_t hash = 0;
  for (const std::uint32_t value : signature) hash = Mix(hash ^ value);
  return hash;
}

}  // namespace

std::string CanonicalText(std::string_view text) {
  std::string out;
  for (const std::string_view word : CanonicalWords(text, ThreadBuffers())) {
    if (!out.empty()) out.push_back(' ');
    out.append(word);
  }
  return out;
}

MinHashSignature Fingerprint(std::string_view text) {
  MinHashSignature signature;
  signature.fill(std::numeric_limits<std::uint32_t>::max());
  Buffers& buffers = ThreadBuffers();
  const std::vector<std::string_view>& words = CanonicalWords(text, buffers);
  if (words.empty()) {
    AddShingle(HashWord(buffers.normaliser.Normalise(text)), signature);
    return signature;
  }
  // The marks at both ends make the first and last word count twice over, which holds a short
  // post with one word changed together (5 words: 0.57 instead of 0.5).
  std::uint64_t previous = kStartMark;
  for (const std::string_view word : words) {
    const std::uint64_t hash = HashWord(word);
    AddShingle(hash, signature);
    AddShingle(Pair(previous, hash), signature);
    previous = hash;
  }
  AddShingle(Pair(previous, kEndMark), signature);
  return signature;
}

double EstimatedSimilarity(const MinHashSignature& a, const MinHashSignature& b) {
  int equal = 0;
  for (int i = 0; i < kMinHashSize; ++i) equal += a[i] == b[i] ? 1 : 0;
  return static_cast<double>(equal) / kMinHashSize;
}

NearDuplicateClusters::NearDuplicateClusters(const NearDuplicateOptions& options)
    : options_(options) {
  options_.rows = std::clamp(options_.rows, 1, kMinHashSize);
  options_.bands = std::clamp(options_.bands, 1, kMinHashSize / options_.rows);
}

std::uint32_t NearDuplicateClusters::Root(std::uint32_t post) {
  while (parent_[post] != post) {
    parent_[post] = parent_[parent_[post]];  // path halving
    post = parent_[post];
  }
  return post;
}

void NearDuplicateClusters::Join(std::uint32_t a, std::uint32_t b) {
  a = Root(a);
  b = Root(b);
  if (a != b) parent_[std::max(a, b)] = std::min(a, b);
}

void NearDuplicateClusters::Add(const MinHashSignature& signature) {
  const auto post = static_cast<std::uint32_t>(signatures_.size());
  signatures_.push_back(signature);
  parent_.push_back(post);
  const auto [same, inserted] = first_with_hash_.try_emplace(SignatureHash(signature), post);
  if (!inserted && signatures_[same->second] == signature) {
    Join(same->second, post);
    return;
  }
  for (int band = 0; band < options_.bands; ++band) {
    std::vector<std::uint32_t>& bucket = buckets_[BandKey(signature, band, options_.rows)];
    for (const std::uint32_t other : bucket) {
      if (Root(other) == Root(post)) continue;
      if (EstimatedSimilarity(signatures_[other], signature) >= options_.min_similarity) {
        Join(other, post);
      }
    }
    if (bucket.size() < kBucketLimit) bucket.push_back(post);
  }
}

std::vector<std::uint32_t> NearDuplicateClusters::ClusterNumbers() {
  std::vector<std::uint32_t> number_of_root(signatures_.size(), 0);
  std::vector<std::uint32_t> numbers(signatures_.size(), 0);
  std::uint32_t next = 1;
  for (std::uint32_t post = 0; post < signatures_.size(); ++post) {
    std::uint32_t& number = number_of_root[Root(post)];
    if (number == 0) number = next++;
    numbers[post] = number;
  }
  return numbers;
}

}  // namespace uitweg::outreach
