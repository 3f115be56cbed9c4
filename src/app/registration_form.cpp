#include "app/registration_form.hpp"

#include <fmt/format.h>

#include <toml++/toml.h>
#include <fstream>
#include <set>
#include <sstream>

namespace uitweg::app {
namespace {

core::Error Bad(std::string_view origin, const toml::node& node, std::string_view what) {
  return core::Fail(core::Errc::invalid_argument,
                    fmt::format("{}:{}: {}", origin, node.source().begin.line, what));
}

bool IsId(std::string_view id) {
  if (id.empty() || id.size() > 40) return false;
  for (const char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

core::Result<model::LabelText> LabelOf(const toml::table& table, std::string_view origin,
                                       std::string_view what) {
  const std::optional<std::string> nl = table["nl"].value<std::string>();
  const std::optional<std::string> en = table["en"].value<std::string>();
  if (!nl || !en || nl->empty() || en->empty()) {
    return Bad(origin, table, fmt::format("{} needs a label in nl and en", what));
  }
  return model::LabelText{.nl = *nl, .en = *en};
}

}  // namespace

core::Result<model::RegistrationForm> ParseRegistrationForm(std::string_view text,
                                                            std::string_view origin) {
  toml::table root;
  try {
    root = toml::parse(text);
  } catch (const toml::parse_error& e) {
    return core::Fail(core::Errc::invalid_argument,
                      fmt::format("{}:{}: {}", origin, e.source().begin.line, e.description()));
  }
  model::RegistrationForm form;
  form.version = root["version"].value_or<std::int64_t>(1);
  const toml::array* fields = root["field"].as_array();
  if (fields == nullptr || fields->empty()) {
    return Bad(origin, root, "the form needs [[field]] entries");
  }
  std::set<std::string, std::less<>> ids;
  for (const toml::node& node : *fields) {
    const toml::table* table = node.as_table();
    if (table == nullptr) return Bad(origin, node, "a field is a table");
    model::FormField field;
    field.id = (*table)["id"].value_or(std::string());
    if (!IsId(field.id)) return Bad(origin, *table, "a field's id is 1 to 40 of a-z, 0-9 and _");
    if (!ids.insert(field.id).second) return Bad(origin, *table, "field " + field.id + " repeats");
    const std::string type = (*table)["type"].value_or(std::string());
    if (type == "choice") {
      field.type = model::FieldType::choice;
    } else if (type == "choices") {
      field.type = model::FieldType::choices;
    } else if (type == "place") {
      field.type = model::FieldType::place;
    } else {
      return Bad(origin, *table, field.id + ": type is \"choice\", \"choices\" or \"place\"");
    }
    field.required = (*table)["required"].value_or(false);
    const toml::table* label = (*table)["label"].as_table();
    if (label == nullptr) return Bad(origin, *table, field.id + " needs a label in nl and en");
    UITWEG_TRY_ASSIGN(field.label, LabelOf(*label, origin, field.id));
    const toml::array* options = (*table)["options"].as_array();
    if (field.type == model::FieldType::place) {
      if (options != nullptr) return Bad(origin, *table, field.id + ": a place has no options");
    } else {
      if (options == nullptr || options->empty()) {
        return Bad(origin, *table, field.id + ": a choice needs options");
      }
      std::set<std::string, std::less<>> option_ids;
      for (const toml::node& option_node : *options) {
        const toml::table* option = option_node.as_table();
        if (option == nullptr) return Bad(origin, option_node, field.id + ": an option is a table");
        model::FieldOption parsed;
        parsed.id = (*option)["id"].value_or(std::string());
        if (!IsId(parsed.id) || !option_ids.insert(parsed.id).second) {
          return Bad(origin, *option,
                     field.id + ": option ids are 1 to 40 of a-z, 0-9 and _, each once");
        }
        UITWEG_TRY_ASSIGN(parsed.label, LabelOf(*option, origin, field.id + "." + parsed.id));
        field.options.push_back(std::move(parsed));
      }
    }
    form.fields.push_back(std::move(field));
  }
  return form;
}

core::Result<model::RegistrationForm> LoadRegistrationForm(const std::string& path) {
  if (path.empty())
    return ParseRegistrationForm(BuiltInRegistrationForm(), "forms/registration.toml");
  std::ifstream in(path);
  if (!in) return core::Fail(core::Errc::not_found, "cannot read the registration form " + path);
  std::stringstream text;
  text << in.rdbuf();
  return ParseRegistrationForm(text.str(), path);
}

}  // namespace uitweg::app
