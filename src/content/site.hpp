#pragma once
// What the server-rendered information pages need around their Markdown: the words of the page
// frame in each language (content/site/<language>.toml), the language a request asks for, and
// the frame itself filled in.
//
// Plain functions; thread-safe.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace uitweg::content {

struct SiteWords {
  std::string name = {};  // the language's own name: "Nederlands"
  std::string exit = {};  // the quick-exit link
  std::string exit_hint = {};
  std::string start = {};      // the link to the chat
  std::string more = {};       // heading above the other pages
  std::string languages = {};  // label of the language switcher
  std::string self_check = {};
};

// invalid_argument naming the missing key.
core::Result<SiteWords> ParseSiteWords(std::string_view toml);

// The built-in words of `language`, or Dutch's when it has none. Parsed once.
const SiteWords& WordsFor(std::string_view language);

// The language to show: `asked` (a ?lang= value) if it is one of ours, else the one of ours an
// Accept-Language header ("ar-MA,ar;q=0.9,en;q=0.5") weighs highest (the first of equals; q=0
// refuses), else Dutch.
std::string_view PreferredLanguage(std::string_view asked, std::string_view accept_language);

// `frame` with every {{name}} replaced by its value; values are put in as given (escape them
// first where they are text).
std::string FillFrame(std::string_view frame,
                      const std::vector<std::pair<std::string_view, std::string>>& values);

}  // namespace uitweg::content
