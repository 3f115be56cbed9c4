#include "model/registration.hpp"

#include <algorithm>
#include <optional>

#include "core/utf8.hpp"

namespace uitweg::model {

std::vector<std::string_view> MissingFunnelFields(const RegistrationForm& form) {
  std::vector<std::string_view> missing;
  for (std::string_view wanted : kFunnelFields) {
    const auto field = std::find_if(form.fields.begin(), form.fields.end(),
                                    [&](const FormField& f) { return f.id == wanted; });
    const bool counted =
        field != form.fields.end() &&
        std::any_of(field->options.begin(), field->options.end(),
                    [](const FieldOption& option) { return option.id == kFunnelAnswerYes; });
    if (!counted) missing.push_back(wanted);
  }
  return missing;
}

bool IsPlace(std::string_view text) {
  const std::optional<std::size_t> chars = core::CountCodePoints(text);
  if (!chars || *chars == 0 || *chars > kMaxPlaceChars) return false;
  bool letters = false;
  for (std::size_t at = 0; at < text.size();) {
    char32_t c = 0;
    const std::size_t length = core::DecodeUtf8(text.substr(at), c);
    if (length == 0) return false;
    at += length;
    // Latin letters with their accents (Súdwest-Fryslân), and what joins words in place names.
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
    if (!letter && c != ' ' && c != '-' && c != '\'' && c != 0x2019) return false;
    letters = letters || letter;
  }
  return letters;
}

std::string TidyPlace(std::string_view text) {
  std::string tidy;
  bool space = false;
  for (const char c : text) {
    if (c == ' ') {
      space = !tidy.empty();
      continue;
    }
    if (space) tidy += ' ';
    space = false;
    tidy += c;
  }
  return tidy;
}

}  // namespace uitweg::model
