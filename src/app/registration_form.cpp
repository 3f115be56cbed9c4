#include "app/registration_form.hpp"

#include <fmt/format.h>

#include <set>

#include "app/form_toml.hpp"

namespace uitweg::app {

core::Result<model::RegistrationForm> ParseRegistrationForm(std::string_view text,
                                                            std::string_view origin) {
  UITWEG_TRY_ASSIGN(toml::table root, ParseFormToml(text, origin));
  model::RegistrationForm form;
  form.version = root["version"].value_or<std::int64_t>(1);
  const toml::array* fields = root["field"].as_array();
  if (fields == nullptr || fields->empty()) {
    return FormError(origin, root, "the form needs [[field]] entries");
  }
  std::set<std::string, std::less<>> ids;
  for (const toml::node& node : *fields) {
    const toml::table* table = node.as_table();
    if (table == nullptr) return FormError(origin, node, "a field is a table");
    model::FormField field;
    field.id = (*table)["id"].value_or(std::string());
    if (!IsFormId(field.id))
      return FormError(origin, *table, "a field's id is 1 to 40 of a-z, 0-9 and _");
    if (!ids.insert(field.id).second)
      return FormError(origin, *table, "field " + field.id + " repeats");
    const std::string type = (*table)["type"].value_or(std::string());
    if (type == "choice") {
      field.type = model::FieldType::choice;
    } else if (type == "choices") {
      field.type = model::FieldType::choices;
    } else if (type == "place") {
      field.type = model::FieldType::place;
    } else {
      return FormError(origin, *table, field.id + ": type is \"choice\", \"choices\" or \"place\"");
    }
    field.required = (*table)["required"].value_or(false);
    const toml::table* label = (*table)["label"].as_table();
    if (label == nullptr)
      return FormError(origin, *table, field.id + " needs a label in nl and en");
    UITWEG_TRY_ASSIGN(field.label, FormTexts(*label, origin, field.id, "label"));
    const toml::array* options = (*table)["options"].as_array();
    if (field.type == model::FieldType::place) {
      if (options != nullptr)
        return FormError(origin, *table, field.id + ": a place has no options");
    } else {
      if (options == nullptr || options->empty()) {
        return FormError(origin, *table, field.id + ": a choice needs options");
      }
      std::set<std::string, std::less<>> option_ids;
      for (const toml::node& option_node : *options) {
        const toml::table* option = option_node.as_table();
        if (option == nullptr)
          return FormError(origin, option_node, field.id + ": an option is a table");
        model::FieldOption parsed;
        parsed.id = (*option)["id"].value_or(std::string());
        if (!IsFormId(parsed.id) || !option_ids.insert(parsed.id).second) {
          return FormError(origin, *option,
                           field.id + ": option ids are 1 to 40 of a-z, 0-9 and _, each once");
        }
        UITWEG_TRY_ASSIGN(parsed.label,
                          FormTexts(*option, origin, field.id + "." + parsed.id, "label"));
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
  UITWEG_TRY_ASSIGN(const std::string text, ReadFormFile(path, "registration form"));
  return ParseRegistrationForm(text, path);
}

}  // namespace uitweg::app
