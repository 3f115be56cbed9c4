#pragma once
// Near-duplicate detection for reposted ads: MinHash signatures over word shingles, grouped by
// banded locality-sensitive hashing.
//
// Before shingling a text is made canonical, so that what changes between reposts of one ad
// vanishes: it goes through the Normaliser (case, look-alike letters, leetspeak, invisible
// characters); emoji and punctuation are dropped; every number, or run of numbers such as a
// phone number written in pieces, becomes one token "#"; a mention (@name) becomes "@"; and a
// few common abbreviations take one spelling ("p/w", "pw", "per week" → "perweek"; "pm", "pv",
// "inbox" → "dm"; "€", "eu" → "euro"; see kAbbreviations in the .cpp). The shingles are the
// canonical words and the pairs of neighbouring words, counting the start and the end of the
// text as words for the pairs; a text without words (only emoji, say) has its whole normalised
// text as one shingle.
//
// Errors: none; every text has a signature. Thread safety: Fingerprint and CanonicalText may run
// on any number of threads at once; a NearDuplicateClusters is not thread-safe.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace uitweg::outreach {

// Number of hash functions in a signature; the LSH bands split these.
inline constexpr int kMinHashSize = 128;

// Per hash function, the least hash over the text's shingles.
using MinHashSignature = std::array<std::uint32_t, kMinHashSize>;

// The canonical words of `text` joined by single spaces, as the shingles see them (for tests and
// for explaining a cluster).
std::string CanonicalText(std::string_view text);

// The MinHash signature of `text`. Allocates only while thread-local buffers grow.
MinHashSignature Fingerprint(std::string_view text);

// The share of hash functions on which `a` and `b` agree: an estimate of the Jaccard similarity
// of their shingle sets (standard error about 0.045 at 0.5).
double EstimatedSimilarity(const MinHashSignature& a, const MinHashSignature& b);

struct NearDuplicateOptions {
  // The signature is cut into `bands` bands of `rows` values; two posts are compared when all
  // rows of at least one band agree. Clamped to rows in 1..kMinHashSize and bands in
  // 1..kMinHashSize / rows. Posts of similarity s meet with probability 1 - (1 - s^rows)^bands.
  // The defaults meet pairs of similarity 0.5 with probability 0.996, 0.2 with 0.29, 0.1 with
  // 0.04.
  int bands = 42;
  int rows = 3;
  // Posts that meet join when their estimated similarity is at least this: halfway between
  // reposts of one ad, which score 0.71 or more on the tuning part of
  // tests/outreach_data/near-duplicates.jsonl, and different ads there, 0.29 or less. One word
  // changed in a post of five words scores about 0.57, two about 0.38.
  double min_similarity = 0.5;
};

// Groups posts into clusters: the connected components of the pairs of posts that share a band
// and whose estimated similarity reaches min_similarity. A post may bridge two clusters formed
// before it, so numbers are given only when asked for, by ClusterNumbers.
//
// Memory grows with the posts added (a signature and one bucket entry per band each): feed
// flagged posts only. A bucket keeps its first kBucketLimit posts; a later post that lands in a
// full bucket is still compared with those, so only crowds of near-identical posts are cut
// short. Posts with equal signatures join at once without being indexed again.
class NearDuplicateClusters {
 public:
  static constexpr std::size_t kBucketLimit = 64;

  explicit NearDuplicateClusters(const NearDuplicateOptions& options = {});

  // Adds the next post; posts are numbered 0, 1, 2, ... in the order added.
  void Add(const MinHashSignature& signature);

  // The cluster of every post added so far, indexed by post: 1-based, numbered in order of the
  // first post of each cluster. The same posts added in the same order get the same numbers.
  std::vector<std::uint32_t> ClusterNumbers();

  std::size_t size() const { return signatures_.size(); }

 private:
  std::uint32_t Root(std::uint32_t post);
  void Join(std::uint32_t a, std::uint32_t b);

  NearDuplicateOptions options_;
  std::vector<MinHashSignature> signatures_;  // by post
  std::vector<std::uint32_t> parent_;         // union-find forest, by post
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> buckets_;  // band key → posts
  std::unordered_map<std::uint64_t, std::uint32_t> first_with_hash_;       // whole-signature hash
};

}  // namespace uitweg::outreach
