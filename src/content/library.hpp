#pragma once
// The visitor's content that ships with the binary, from content/ in the repository: the
// information pages as Markdown (pages/<slug>.<language>.md) and the self-checks as TOML
// (self-check/<audience>.<language>.toml). Admins may replace a page while the service runs
// (store/content_store.hpp); these are what it shows until they do.
//
// Read-only data for the whole program; thread-safe.

#include <array>
#include <optional>
#include <span>
#include <string_view>

namespace uitweg::content {

// Dutch first: it is what a page falls back to when it has no text in the visitor's language.
inline constexpr std::array<std::string_view, 3> kLanguages = {"nl", "en", "ar"};
inline constexpr std::string_view kDefaultLanguage = "nl";
// Written right to left.
inline constexpr std::array<std::string_view, 1> kRightToLeft = {"ar"};

inline constexpr std::array<std::string_view, 6> kPageSlugs = {
    "exploitation", "signals", "options", "worried", "safety", "privacy"};

// Who a self-check is for: the young person, or someone worried about one.
inline constexpr std::array<std::string_view, 2> kAudiences = {"self", "other"};

bool IsLanguage(std::string_view language);
bool IsRightToLeft(std::string_view language);
bool IsPageSlug(std::string_view slug);
bool IsAudience(std::string_view audience);

struct ContentFile {
  std::string_view path;  // relative to content/: "pages/safety.nl.md"
  std::string_view text;
};

// Every file, generated at build time by cmake/embed_content.cmake.
std::span<const ContentFile> BuiltInContentFiles();

// The built-in Markdown of a page in exactly that language; nullopt when it has none.
std::optional<std::string_view> BuiltInPage(std::string_view slug, std::string_view language);
// The built-in TOML of a self-check in exactly that language; nullopt when it has none.
std::optional<std::string_view> BuiltInSelfCheck(std::string_view audience,
                                                 std::string_view language);

}  // namespace uitweg::content
