#include "chat/pick_up_code.hpp"

#include <cstdint>

#include "crypto/random.hpp"

namespace uitweg::chat {
namespace {

// No q, c, x, w or y (easily misheard or misread), and no u (its sound differs per language).
constexpr std::string_view kConsonants = "bdfghjklmnprstvz";
constexpr std::string_view kVowels = "aeio";
constexpr std::size_t kSyllablesPerWord = 3;
constexpr std::size_t kLetters = kPickUpCodeWords * kSyllablesPerWord * 2;
static_assert(kConsonants.size() * kVowels.size() == 64, "a syllable carries 6 bits");
static_assert(kPickUpCodeWords * kSyllablesPerWord * 6 == kPickUpCodeBits);

std::string WithHyphens(std::string_view letters) {
  std::string code;
  for (std::size_t i = 0; i < letters.size(); ++i) {
    if (i > 0 && i % (kSyllablesPerWord * 2) == 0) code += '-';
    code += letters[i];
  }
  return code;
}

}  // namespace

std::string NewPickUpCode() {
  const std::string random = crypto::RandomBytes(kPickUpCodeWords * kSyllablesPerWord);
  std::string letters;
  for (const char byte : random) {
    const auto six = static_cast<std::uint8_t>(byte) & 0x3F;
    letters += kConsonants[six >> 2];
    letters += kVowels[six & 0x3];
  }
  return WithHyphens(letters);
}

std::optional<std::string> CanonicalPickUpCode(std::string_view typed) {
  if (typed.size() > 200) return std::nullopt;
  std::string letters;
  for (const char c : typed) {
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (lower >= 'a' && lower <= 'z') {
      letters += lower;
    } else if (c != ' ' && c != '-' && c != '.' && c != '\t') {
      return std::nullopt;
    }
  }
  if (letters.size() != kLetters) return std::nullopt;
  for (std::size_t i = 0; i < letters.size(); ++i) {
    const std::string_view allowed = i % 2 == 0 ? kConsonants : kVowels;
    if (allowed.find(letters[i]) == std::string_view::npos) return std::nullopt;
  }
  return WithHyphens(letters);
}

}  // namespace uitweg::chat
