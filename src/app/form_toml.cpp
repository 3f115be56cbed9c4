#include "app/form_toml.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace uitweg::app {

core::Error FormError(std::string_view origin, const toml::node& node, std::string_view what) {
  return core::Fail(core::Errc::invalid_argument,
                    fmt::format("{}:{}: {}", origin, node.source().begin.line, what));
}

bool IsFormId(std::string_view id) {
  if (id.empty() || id.size() > 40) return false;
  for (const char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

core::Result<model::LabelText> FormTexts(const toml::table& table, std::string_view origin,
                                         std::string_view what, std::string_view noun) {
  const std::optional<std::string> nl = table["nl"].value<std::string>();
  const std::optional<std::string> en = table["en"].value<std::string>();
  if (!nl || !en || nl->empty() || en->empty()) {
    return FormError(origin, table, fmt::format("{} needs a {} in nl and en", what, noun));
  }
  return model::LabelText{.nl = *nl, .en = *en};
}

core::Result<toml::table> ParseFormToml(std::string_view text, std::string_view origin) {
  try {
    return toml::parse(text);
  } catch (const toml::parse_error& e) {
    return core::Fail(core::Errc::invalid_argument,
                      fmt::format("{}:{}: {}", origin, e.source().begin.line, e.description()));
  }
}

core::Result<std::string> ReadFormFile(const std::string& path, std::string_view what) {
  std::ifstream in(path);
  if (!in)
    return core::Fail(core::Errc::not_found, fmt::format("cannot read the {} {}", what, path));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace uitweg::app
