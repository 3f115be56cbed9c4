#include "chat/registration_rules.hpp"

#include <algorithm>
#include <set>

namespace uitweg::chat {
namespace {

core::Error Invalid(std::string message) {
  return core::Fail(core::Errc::invalid_argument, std::move(message));
}

const model::FormField* FieldOf(const model::RegistrationForm& form, std::string_view id) {
  for (const model::FormField& field : form.fields) {
    if (field.id == id) return &field;
  }
  return nullptr;
}

bool HasOption(const model::FormField& field, std::string_view value) {
  return std::any_of(field.options.begin(), field.options.end(),
                     [value](const model::FieldOption& o) { return o.id == value; });
}

}  // namespace

core::Status CheckAnswers(const model::RegistrationForm& form, const model::Answers& answers,
                          bool complete) {
  for (const auto& [id, values] : answers) {
    const model::FormField* field = FieldOf(form, id);
    if (field == nullptr) return Invalid("\"" + id.substr(0, 40) + "\" is not a field of the form");
    if (field->type == model::FieldType::choice && values.size() > 1) {
      return Invalid(id + ": choose one");
    }
    if (field->type == model::FieldType::place) {
      if (values.size() > 1) return Invalid(id + ": one place");
      if (!values.empty() && !model::IsPlace(values[0])) {
        return Invalid(id + ": a place is letters, spaces, hyphens and apostrophes, at most 60");
      }
      continue;
    }
    std::set<std::string_view> seen;
    for (const std::string& value : values) {
      if (!HasOption(*field, value))
        return Invalid(id + ": \"" + value.substr(0, 40) + "\" is not one of its options");
      if (!seen.insert(value).second) return Invalid(id + ": an option is chosen once");
    }
  }
  if (!complete) return {};
  for (const model::FormField& field : form.fields) {
    if (!field.required) continue;
    const auto answer = answers.find(field.id);
    if (answer == answers.end() || answer->second.empty()) {
      return Invalid(field.id + " is required to complete the registration");
    }
  }
  return {};
}

model::Answers OnForm(const model::RegistrationForm& form, model::Answers answers) {
  for (auto answer = answers.begin(); answer != answers.end();) {
    const model::FormField* field = FieldOf(form, answer->first);
    std::vector<std::string>& values = answer->second;
    if (field != nullptr && field->type != model::FieldType::place) {
      std::erase_if(values,
                    [field](const std::string& value) { return !HasOption(*field, value); });
    }
    answer = field == nullptr || values.empty() ? answers.erase(answer) : std::next(answer);
  }
  return answers;
}

model::Answers WithoutCarriedOver(const model::RegistrationForm& form, model::Answers answers,
                                  const model::Answers& stored) {
  const model::Answers kept = OnForm(form, answers);
  for (auto answer = answers.begin(); answer != answers.end();) {
    const auto was = stored.find(answer->first);
    const auto still = kept.find(answer->first);
    std::erase_if(answer->second, [&](const std::string& value) {
      const bool on_form =
          still != kept.end() &&
          std::find(still->second.begin(), still->second.end(), value) != still->second.end();
      const bool carried = was != stored.end() && std::find(was->second.begin(), was->second.end(),
                                                            value) != was->second.end();
      return !on_form && carried;
    });
    answer = answer->second.empty() ? answers.erase(answer) : std::next(answer);
  }
  return answers;
}

}  // namespace uitweg::chat
