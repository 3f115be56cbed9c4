#pragma once
// Near-duplicate detection for reposted ads. Fingerprint is a 64-bit SimHash over word
// 3-shingles of the normalised text, leaving out words that contain digits and everything that
// is not a word (emoji, punctuation), so a repost with another phone number, price or emoji
// keeps its fingerprint; other small edits move it by a few bits.

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace uitweg::outreach {

std::uint64_t Fingerprint(std::string_view text);

// Groups fingerprints whose Hamming distance is at most max_hamming_distance (transitively: a
// fingerprint joins the cluster of the first earlier one within reach). The index has
// max_hamming_distance + 1 bands, so by the pigeonhole principle every fingerprint within reach
// shares a whole band with the new one and is found without comparing against all others.
// Not thread-safe; feed flagged posts only (memory grows with the distinct fingerprints).
class NearDuplicateClusters {
 public:
  // max_hamming_distance in 0..63; values outside are clamped.
  explicit NearDuplicateClusters(int max_hamming_distance = 3);
  // The cluster id of `fingerprint`: 1-based, in order of first appearance, stable per run.
  std::uint32_t Assign(std::uint64_t fingerprint);
  std::uint32_t cluster_count() const { return next_cluster_ - 1; }

 private:
  std::uint64_t BandKey(int band, std::uint64_t fingerprint) const;

  int max_distance_;
  int bands_;
  std::uint32_t next_cluster_ = 1;
  std::unordered_map<std::uint64_t, std::uint32_t> cluster_of_;  // distinct fingerprints
  std::vector<std::unordered_map<std::uint64_t, std::vector<std::uint64_t>>> index_;
};

}  // namespace uitweg::outreach
