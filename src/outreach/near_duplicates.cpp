#include "outreach/near_duplicates.hpp"

#include <algorithm>
#include <bit>
#include <string>

#include "outreach/normaliser.hpp"

namespace uitweg::outreach {
namespace {

std::uint64_t Mix(std::uint64_t x) {  // splitmix64's finaliser
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

std::uint64_t HashWord(std::string_view word) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a
  for (const char c : word) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return Mix(hash);
}

// Word bytes of normalised text: ASCII letters and digits, and the lead and continuation bytes
// of letters in other scripts. Symbols, dingbats and emoji (U+2000..U+2BFF and the supplementary
// planes, lead bytes 0xE2 and 0xF0..0xF4) are not words.
bool IsWordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 0x80 && c != 0xE2 && c < 0xF0);
}

// The words of `normalised` that say what a post is: not numbers or words with digits (phone
// numbers, prices, handles change between reposts), not mentions, not emoji.
void Words(std::string_view normalised, std::vector<std::uint64_t>& words) {
  std::size_t i = 0;
  const std::size_t n = normalised.size();
  while (i < n) {
    auto c = static_cast<unsigned char>(normalised[i]);
    if (!IsWordByte(c)) {
      if (c >= 0xE2) {  // skip a whole symbol or emoji sequence
        ++i;
        while (i < n && (static_cast<unsigned char>(normalised[i]) & 0xC0) == 0x80) ++i;
      } else {
        ++i;
      }
      continue;
    }
    const std::size_t start = i;
    bool has_digit = false;
    while (i < n && IsWordByte(c = static_cast<unsigned char>(normalised[i]))) {
      has_digit = has_digit || (c >= '0' && c <= '9');
      ++i;
    }
    const bool mention = start > 0 && normalised[start - 1] == '@';
    if (!has_digit && !mention) words.push_back(HashWord(normalised.substr(start, i - start)));
  }
}

}  // namespace

std::uint64_t Fingerprint(std::string_view text) {
  thread_local Normaliser normaliser;
  thread_local std::vector<std::uint64_t> words;
  words.clear();
  Words(normaliser.Normalise(text), words);
  if (words.empty()) return 0;

  int counts[64] = {};
  auto add = [&counts](std::uint64_t feature) {
    for (int bit = 0; bit < 64; ++bit) counts[bit] += ((feature >> bit) & 1) != 0 ? 1 : -1;
  };
  constexpr std::size_t kShingle = 3;
  if (words.size() < kShingle) {
    std::uint64_t feature = 0;
    for (const std::uint64_t word : words) feature = Mix(feature * 31 + word);
    add(feature);
  } else {
    for (std::size_t k = 0; k + kShingle <= words.size(); ++k) {
      add(Mix(Mix(Mix(words[k]) + words[k + 1]) + words[k + 2]));
    }
  }
  std::uint64_t fingerprint = 0;
  for (int bit = 0; bit < 64; ++bit) {
    if (counts[bit] > 0) fingerprint |= std::uint64_t{1} << bit;
  }
  return fingerprint;
}

NearDuplicateClusters::NearDuplicateClusters(int max_hamming_distance)
    : max_distance_(std::clamp(max_hamming_distance, 0, 63)),
      bands_(max_distance_ + 1),
      index_(static_cast<std::size_t>(bands_)) {}

// Band b covers bits [64*b/bands, 64*(b+1)/bands).
std::uint64_t NearDuplicateClusters::BandKey(int band, std::uint64_t fingerprint) const {
  const int from = 64 * band / bands_;
  const int to = 64 * (band + 1) / bands_;
  const int width = to - from;
  const std::uint64_t mask = width >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << width) - 1;
  return (fingerprint >> from) & mask;
}

std::uint32_t NearDuplicateClusters::Assign(std::uint64_t fingerprint) {
  if (const auto it = cluster_of_.find(fingerprint); it != cluster_of_.end()) return it->second;
  std::uint32_t cluster = 0;
  for (int band = 0; band < bands_; ++band) {
    const auto it = index_[band].find(BandKey(band, fingerprint));
    if (it == index_[band].end()) continue;
    for (const std::uint64_t other : it->second) {
      if (std::popcount(other ^ fingerprint) > max_distance_) continue;
      const std::uint32_t other_cluster = cluster_of_.at(other);
      if (cluster == 0 || other_cluster < cluster) cluster = other_cluster;
    }
  }
  if (cluster == 0) cluster = next_cluster_++;
  cluster_of_.emplace(fingerprint, cluster);
  for (int band = 0; band < bands_; ++band) {
    index_[band][BandKey(band, fingerprint)].push_back(fingerprint);
  }
  return cluster;
}

}  // namespace uitweg::outreach
