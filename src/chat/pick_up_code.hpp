#pragma once
// Pick-up codes: what a visitor who left a message writes down to read the answer later, and
// continue. Four made-up words of three syllables each ("bakime-tosira-..."), easy to read out
// and copy by hand: each syllable one of 16 consonants and one of 4 vowels, 6 bits, so 72 bits
// in all. Only the code's hash is stored (crypto::HashToken of the canonical form).

#include <optional>
#include <string>
#include <string_view>

namespace uitweg::chat {

inline constexpr std::size_t kPickUpCodeWords = 4;
inline constexpr std::size_t kPickUpCodeBits = 72;

// A fresh code from the system's random source, in its canonical form: four lowercase words
// joined by hyphens.
std::string NewPickUpCode();

// The canonical form of a code as a visitor typed it: case, spaces, hyphens and other
// separators do not matter. nullopt when it cannot be a code.
std::optional<std::string> CanonicalPickUpCode(std::string_view typed);

}  // namespace uitweg::chat
