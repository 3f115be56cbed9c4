#pragma once
// FNV-1a, 64 bit: a fast hash of a few bytes, for caches, fingerprints and feature buckets. Not
// for anything an adversary may choose to collide on purpose.

#include <cstdint>
#include <string_view>

namespace uitweg::core {

inline constexpr std::uint64_t kFnvOffsetBasis = 0xcbf29ce484222325ULL;

// `basis` lets a caller keep hashes of different kinds apart (the default is FNV's own).
inline std::uint64_t Fnv1a64(std::string_view bytes, std::uint64_t basis = kFnvOffsetBasis) {
  std::uint64_t hash = basis;
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace uitweg::core
