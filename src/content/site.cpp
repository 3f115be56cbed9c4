#include "content/site.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <mutex>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "content/library.hpp"

namespace uitweg::content {
namespace {

std::string_view Trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

}  // namespace

core::Result<SiteWords> ParseSiteWords(std::string_view text) {
  toml::table parsed;
  try {
    parsed = toml::parse(text);
  } catch (const toml::parse_error& e) {
    return core::Fail(
        core::Errc::invalid_argument,
        fmt::format("site words: line {}: {}", e.source().begin.line, e.description()));
  }
  SiteWords words;
  const std::pair<const char*, std::string*> keys[] = {{"name", &words.name},
                                                       {"exit", &words.exit},
                                                       {"exit_hint", &words.exit_hint},
                                                       {"start", &words.start},
                                                       {"more", &words.more},
                                                       {"languages", &words.languages},
                                                       {"self_check", &words.self_check}};
  for (const auto& [key, out] : keys) {
    const std::optional<std::string> value = parsed[key].value<std::string>();
    if (!value || value->empty()) {
      return core::Fail(core::Errc::invalid_argument,
                        fmt::format("site words: {} is missing", key));
    }
    *out = *value;
  }
  return words;
}

const SiteWords& WordsFor(std::string_view language) {
  static const std::map<std::string, SiteWords, std::less<>> kWords = [] {
    std::map<std::string, SiteWords, std::less<>> words;
    for (const ContentFile& file : BuiltInContentFiles()) {
      if (!file.path.starts_with("site/") || !file.path.ends_with(".toml")) continue;
      std::string_view name = file.path.substr(5, file.path.size() - 5 - 5);
      // library_test proves every built-in file parses; a broken one is left out, not fatal.
      if (auto parsed = ParseSiteWords(file.text)) words.emplace(std::string(name), *parsed);
    }
    return words;
  }();
  auto found = kWords.find(language);
  if (found == kWords.end()) found = kWords.find(kDefaultLanguage);
  static const SiteWords kNone;
  return found == kWords.end() ? kNone : found->second;
}

std::string_view PreferredLanguage(std::string_view asked, std::string_view accept_language) {
  for (std::string_view language : kLanguages) {
    if (asked == language) return language;
  }
  std::string_view best = kDefaultLanguage;
  double best_weight = 0;
  while (!accept_language.empty()) {
    const auto comma = accept_language.find(',');
    const std::string_view item = accept_language.substr(0, comma);
    accept_language =
        comma == std::string_view::npos ? std::string_view() : accept_language.substr(comma + 1);
    const auto semicolon = item.find(';');
    const std::string_view range = Trimmed(item.substr(0, semicolon).substr(0, item.find('-')));
    double weight = 1;
    if (semicolon != std::string_view::npos) {
      const std::string_view parameter = Trimmed(item.substr(semicolon + 1));
      if (parameter.starts_with("q=")) {
        // A malformed weight counts as none: such a range is not preferred.
        weight = std::strtod(std::string(parameter.substr(2)).c_str(), nullptr);
      }
    }
    for (std::string_view language : kLanguages) {
      const bool same = range.size() == language.size() &&
                        std::equal(range.begin(), range.end(), language.begin(),
                                   [](char a, char b) { return (a | 0x20) == b; });
      // The first of the highest weight wins; a weight of 0 means "not this one".
      if (same && weight > best_weight) {
        best = language;
        best_weight = weight;
      }
    }
  }
  return best;
}

std::string FillFrame(std::string_view frame,
                      const std::vector<std::pair<std::string_view, std::string>>& values) {
  std::string out;
  out.reserve(frame.size() + 4096);
  std::size_t at = 0;
  while (at < frame.size()) {
    const std::size_t open = frame.find("{{", at);
    if (open == std::string_view::npos) break;
    const std::size_t close = frame.find("}}", open + 2);
    if (close == std::string_view::npos) break;
    out.append(frame.substr(at, open - at));
    const std::string_view name = frame.substr(open + 2, close - open - 2);
    bool filled = false;
    for (const auto& [key, value] : values) {
      if (key == name) {
        out += value;
        filled = true;
        break;
      }
    }
    if (!filled) out.append(frame.substr(open, close + 2 - open));
    at = close + 2;
  }
  out.append(frame.substr(at));
  return out;
}

}  // namespace uitweg::content
