#pragma once
// Deterministic synthetic Dutch group-chat text for the scan benchmark: everyday messages
// (including innocent uses of ambiguous words such as "pakketje", "haven", "woning"), and a
// small share of planted recruitment posts, many of them obfuscated reposts (p1npas,
// b.a.n.k.p.a.s, zero-width characters, emoji codes).

#include <cstdint>
#include <string>

namespace uitweg::bench {

// splitmix64: small, fast and the same on every platform.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n).
  std::uint32_t Below(std::uint32_t n) {
    return static_cast<std::uint32_t>((Next() >> 32) * n >> 32);
  }
  bool Chance(double p) { return static_cast<double>(Next() >> 11) * 0x1.0p-53 < p; }

 private:
  std::uint64_t state_;
};

// Appends one everyday chat message (1 to 4 sentences) to `out`.
void AppendInnocentMessage(Random& random, std::string& out);

// Appends one recruitment post to `out`; `obfuscate` picks a disguised spelling.
void AppendRecruitmentPost(Random& random, bool obfuscate, std::string& out);

// A plausible sender name.
const char* SenderName(Random& random);

}  // namespace uitweg::bench
