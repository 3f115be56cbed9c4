#include "api/registration_api.hpp"

#include <boost/json/array.hpp>

#include "api/json_fields.hpp"

namespace uitweg::api {
namespace {

constexpr std::size_t kMaxAnsweredFields = 64;
constexpr std::size_t kMaxValuesPerField = 64;

chat::Counsellor CounsellorOf(const auth::Authenticated& staff) {
  return chat::Counsellor{staff.account.id, staff.account.role, staff.account.display_name};
}

boost::json::object LabelJson(const model::LabelText& label) {
  return boost::json::object{{"nl", label.nl}, {"en", label.en}};
}

std::string_view TypeName(model::FieldType type) {
  switch (type) {
    case model::FieldType::choice: return "choice";
    case model::FieldType::choices: return "choices";
    case model::FieldType::place: return "place";
  }
  return "choice";
}

Response RegistrationResponse(const model::Registration& registration) {
  boost::json::object answers;
  for (const auto& [field, values] : registration.answers) {
    boost::json::array chosen;
    for (const std::string& value : values) chosen.emplace_back(value);
    answers[field] = std::move(chosen);
  }
  boost::json::object out;
  out["registration"] = boost::json::object{{"conversation_id", registration.conversation_id},
                                            {"answers", std::move(answers)},
                                            {"complete", registration.complete},
                                            {"form_version", registration.form_version},
                                            {"updated_at", registration.updated_at}};
  return JsonResponse(200, out);
}

core::Result<model::Answers> AnswersFrom(const boost::json::object& body) {
  const auto bad = [] {
    return core::Fail(core::Errc::invalid_argument,
                      "answers must map field ids to lists of option ids (or one place)");
  };
  const boost::json::value* answers = body.if_contains("answers");
  if (answers == nullptr || !answers->is_object()) return bad();
  if (answers->as_object().size() > kMaxAnsweredFields) return bad();
  model::Answers parsed;
  for (const auto& [field, values] : answers->as_object()) {
    if (!values.is_array() || values.as_array().size() > kMaxValuesPerField) return bad();
    std::vector<std::string>& chosen = parsed[std::string(field)];
    for (const boost::json::value& value : values.as_array()) {
      if (!value.is_string()) return bad();
      chosen.emplace_back(value.as_string());
    }
  }
  return parsed;
}

}  // namespace

boost::json::object RegistrationFormJson(const model::RegistrationForm& form) {
  boost::json::array fields;
  for (const model::FormField& field : form.fields) {
    boost::json::array options;
    for (const model::FieldOption& option : field.options) {
      options.push_back(boost::json::object{{"id", option.id}, {"label", LabelJson(option.label)}});
    }
    fields.push_back(boost::json::object{{"id", field.id},
                                         {"type", TypeName(field.type)},
                                         {"required", field.required},
                                         {"label", LabelJson(field.label)},
                                         {"options", std::move(options)}});
  }
  return boost::json::object{{"version", form.version}, {"fields", std::move(fields)}};
}

core::Result<Response> RegistrationApi::Form(const Request& request) {
  UITWEG_TRY(auth_.Check(request));
  boost::json::object out;
  out["form"] = RegistrationFormJson(registrations_.form());
  return JsonResponse(200, out);
}

core::Result<Response> RegistrationApi::Read(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated staff, auth_.Check(request));
  UITWEG_TRY_ASSIGN(const model::Registration registration,
                    registrations_.Read(request.params.at(0), CounsellorOf(staff)));
  return RegistrationResponse(registration);
}

core::Result<Response> RegistrationApi::Save(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated staff, auth_.CheckChange(request));
  UITWEG_TRY_ASSIGN(const boost::json::object body, ParseObject(request.body, "the body"));
  UITWEG_TRY_ASSIGN(model::Answers answers, AnswersFrom(body));
  const boost::json::value* complete = body.if_contains("complete");
  if (complete != nullptr && !complete->is_bool()) {
    return core::Fail(core::Errc::invalid_argument, "complete must be true or false");
  }
  const bool finished = complete != nullptr && complete->as_bool();
  UITWEG_TRY_ASSIGN(
      const model::Registration saved,
      registrations_.Save(request.params.at(0), CounsellorOf(staff), std::move(answers), finished));
  (void)audit_.Record(auth::Actor::Staff(staff.account), auth::audit_action::registration_saved,
                      saved.conversation_id, finished ? "complete" : "draft");
  return RegistrationResponse(saved);
}

}  // namespace uitweg::api
