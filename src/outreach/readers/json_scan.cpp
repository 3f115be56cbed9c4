#include "outreach/readers/json_scan.hpp"

#include <emmintrin.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace uitweg::outreach::readers::json {
namespace {

bool IsJsonSpace(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Bit i is set where byte i of the 64-byte block equals `c`.
struct BlockMasks {
  std::uint64_t quote = 0;
  std::uint64_t backslash = 0;
  std::uint64_t open = 0;   // '{' or '['
  std::uint64_t close = 0;  // '}' or ']'
};

__attribute__((always_inline)) inline BlockMasks Classify(const char* block) {
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i open = _mm_set1_epi8('{');   // '[' | 0x20 == '{'
  const __m128i close = _mm_set1_epi8('}');  // ']' | 0x20 == '}'
  const __m128i case_bit = _mm_set1_epi8(0x20);
  BlockMasks m;
  for (int i = 0; i < 4; ++i) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * i));
    __m128i folded = _mm_or_si128(v, case_bit);
    auto bits = [](__m128i eq) {
      return static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(eq)));
    };
    const int shift = 16 * i;
    m.quote |= bits(_mm_cmpeq_epi8(v, quote)) << shift;
    m.backslash |= bits(_mm_cmpeq_epi8(v, backslash)) << shift;
    m.open |= bits(_mm_cmpeq_epi8(folded, open)) << shift;
    m.close |= bits(_mm_cmpeq_epi8(folded, close)) << shift;
  }
  return m;
}

// Characters escaped by a backslash, carrying an odd run of backslashes across blocks
// (the technique of simdjson's string scanner).
__attribute__((always_inline)) inline std::uint64_t FindEscaped(std::uint64_t backslash,
                                                                std::uint64_t& prev_escaped) {
  backslash &= ~prev_escaped;
  const std::uint64_t follows_escape = backslash << 1 | prev_escaped;
  const std::uint64_t even_bits = 0x5555555555555555ULL;
  const std::uint64_t odd_sequence_starts = backslash & ~even_bits & ~follows_escape;
  std::uint64_t sequences_starting_on_even_bits = 0;
  prev_escaped =
      __builtin_add_overflow(odd_sequence_starts, backslash, &sequences_starting_on_even_bits) ? 1
                                                                                               : 0;
  const std::uint64_t invert_mask = sequences_starting_on_even_bits << 1;
  return (even_bits ^ invert_mask) & follows_escape;
}

__attribute__((always_inline)) inline std::uint64_t PrefixXor(std::uint64_t x) {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}

}  // namespace

std::size_t SkipWhitespace(const char* data, std::size_t size, std::size_t pos) {
  if (pos == 0 && size >= 3 && std::memcmp(data, "\xEF\xBB\xBF", 3) == 0) pos = 3;
  while (pos < size && IsJsonSpace(data[pos])) ++pos;
  return pos;
}

std::size_t StringEnd(const char* data, std::size_t size, std::size_t pos) {
  std::size_t at = pos + 1;
  while (at < size) {
    const void* q = std::memchr(data + at, '"', size - at);
    if (q == nullptr) return kNotFound;
    std::size_t quote = static_cast<std::size_t>(static_cast<const char*>(q) - data);
    std::size_t backslashes = 0;
    while (quote - backslashes > pos + 1 && data[quote - backslashes - 1] == '\\') ++backslashes;
    if (backslashes % 2 == 0) return quote + 1;
    at = quote + 1;
  }
  return kNotFound;
}

// How far ahead of the block being classified the scan asks for memory. A container as long as a
// Telegram export's message list is read from memory, not from a cache, in 4 KiB pages that are
// scattered in physical memory; the CPU's own prefetcher stops at each page's end, so the scan
// would wait for the first lines of every page. Asking a page ahead made the cutting of the
// benchmark's 1.1 GB export a fifth faster (bench/scan, scan-bench-read).
constexpr std::size_t kPrefetchDistance = 4096;

// The scan itself, inlined into one wrapper compiled for the baseline CPU and one that may use
// the POPCNT instruction (without it, every popcount is a library call).
__attribute__((always_inline)) inline std::size_t ContainerEndBody(const char* data,
                                                                   std::size_t size,
                                                                   std::size_t pos) {
  std::uint64_t prev_escaped = 0;
  std::uint64_t prev_in_string = 0;
  std::int64_t depth = 0;
  for (std::size_t block = pos; block < size; block += 64) {
    __builtin_prefetch(data + std::min(block + kPrefetchDistance, size));
    BlockMasks m = Classify(data + block);
    const std::uint64_t escaped = FindEscaped(m.backslash, prev_escaped);
    const std::uint64_t quotes = m.quote & ~escaped;
    const std::uint64_t in_string = PrefixXor(quotes) ^ prev_in_string;
    prev_in_string = static_cast<std::uint64_t>(static_cast<std::int64_t>(in_string) >> 63);
    std::uint64_t open = m.open & ~in_string;
    std::uint64_t close = m.close & ~in_string;
    if (size - block < 64) {
      const std::uint64_t valid = (std::uint64_t{1} << (size - block)) - 1;
      open &= valid;
      close &= valid;
    }
    const int closes = __builtin_popcountll(close);
    if (depth > closes) {
      // No closer in this block can bring the depth back to zero.
      depth += __builtin_popcountll(open) - closes;
      continue;
    }
    std::uint64_t brackets = open | close;
    while (brackets != 0) {
      const int bit = __builtin_ctzll(brackets);
      if ((open >> bit) & 1) {
        ++depth;
      } else if (--depth == 0) {
        return block + static_cast<std::size_t>(bit) + 1;
      }
      brackets &= brackets - 1;
    }
  }
  return kNotFound;
}

namespace {

std::size_t ContainerEndBaseline(const char* data, std::size_t size, std::size_t pos) {
  return ContainerEndBody(data, size, pos);
}

__attribute__((target("popcnt"))) std::size_t ContainerEndPopcnt(const char* data, std::size_t size,
                                                                 std::size_t pos) {
  return ContainerEndBody(data, size, pos);
}

}  // namespace

std::size_t ContainerEnd(const char* data, std::size_t size, std::size_t pos) {
  static const bool has_popcnt = __builtin_cpu_supports("popcnt");
  return has_popcnt ? ContainerEndPopcnt(data, size, pos) : ContainerEndBaseline(data, size, pos);
}

std::size_t ValueEnd(const char* data, std::size_t size, std::size_t pos) {
  if (pos >= size) return kNotFound;
  const char c = data[pos];
  if (c == '"') return StringEnd(data, size, pos);
  if (c == '{' || c == '[') return ContainerEnd(data, size, pos);
  std::size_t end = pos;
  while (end < size) {
    const char d = data[end];
    if (d == ',' || d == '}' || d == ']' || d == ':' || d == '"' || IsJsonSpace(d)) break;
    ++end;
  }
  return end == pos ? kNotFound : end;
}

void AppendRewritingHexEscapes(std::string_view text, std::string& out) {
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    const void* found = std::memchr(p, '\\', static_cast<std::size_t>(end - p));
    if (found == nullptr) break;
    const char* bs = static_cast<const char*>(found);
    out.append(p, bs);
    if (end - bs >= 4 && bs[1] == 'x' && IsHex(bs[2]) && IsHex(bs[3])) {
      out.append("\\u00", 4);
      out.append(bs + 2, 2);
      p = bs + 4;
    } else {
      // Any other escape is copied as a pair so that "\\x" stays an escaped backslash.
      const char* pair_end = end - bs >= 2 ? bs + 2 : end;
      out.append(bs, pair_end);
      p = pair_end;
    }
  }
  out.append(p, end);
}

}  // namespace uitweg::outreach::readers::json
