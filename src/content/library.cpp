#include "content/library.hpp"

#include <algorithm>
#include <string>

namespace uitweg::content {
namespace {

template <std::size_t N>
bool Contains(const std::array<std::string_view, N>& values, std::string_view value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

std::optional<std::string_view> FileText(const std::string& path) {
  for (const ContentFile& file : BuiltInContentFiles()) {
    if (file.path == path) return file.text;
  }
  return std::nullopt;
}

}  // namespace

bool IsLanguage(std::string_view language) {
  return Contains(kLanguages, language);
}
bool IsRightToLeft(std::string_view language) {
  return Contains(kRightToLeft, language);
}
bool IsPageSlug(std::string_view slug) {
  return Contains(kPageSlugs, slug);
}
bool IsAudience(std::string_view audience) {
  return Contains(kAudiences, audience);
}

std::optional<std::string_view> BuiltInPage(std::string_view slug, std::string_view language) {
  if (!IsPageSlug(slug) || !IsLanguage(language)) return std::nullopt;
  return FileText("pages/" + std::string(slug) + "." + std::string(language) + ".md");
}

std::optional<std::string_view> BuiltInSelfCheck(std::string_view audience,
                                                 std::string_view language) {
  if (!IsAudience(audience) || !IsLanguage(language)) return std::nullopt;
  return FileText("self-check/" + std::string(audience) + "." + std::string(language) + ".toml");
}

}  // namespace uitweg::content
