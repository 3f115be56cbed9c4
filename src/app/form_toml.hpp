#pragma once
// What the forms Uitweg reads as data (the registration form, the review rubric) have in common
// when they are read from TOML: errors that name the file and line, ids, texts in Dutch and
// English, and reading a file. Pure functions; errors are invalid_argument (not_found for a
// file that cannot be read).

#include <toml++/toml.h>

#include <string>
#include <string_view>

#include "core/error.hpp"
#include "model/registration.hpp"

namespace uitweg::app {

// invalid_argument with "<origin>:<line of node>: <what>".
core::Error FormError(std::string_view origin, const toml::node& node, std::string_view what);

// 1 to 40 of a-z, 0-9 and _.
bool IsFormId(std::string_view id);

// The `nl` and `en` texts of `table`, both non-empty; else "<what> needs a <noun> in nl and en".
core::Result<model::LabelText> FormTexts(const toml::table& table, std::string_view origin,
                                         std::string_view what, std::string_view noun = "text");

// `text` parsed, or the parser's error at its line.
core::Result<toml::table> ParseFormToml(std::string_view text, std::string_view origin);

// The whole file; not_found "cannot read the <what> <path>".
core::Result<std::string> ReadFormFile(const std::string& path, std::string_view what);

}  // namespace uitweg::app
