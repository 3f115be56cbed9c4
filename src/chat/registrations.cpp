#include "chat/registrations.hpp"

#include "chat/registration_rules.hpp"

namespace uitweg::chat {

std::string_view RegistrationStatusName(RegistrationStatus status) {
  switch (status) {
    case RegistrationStatus::none: return "none";
    case RegistrationStatus::draft: return "draft";
    case RegistrationStatus::complete: return "complete";
  }
  return "none";
}

core::Result<model::Conversation> Registrations::Registrable(std::string_view conversation_id,
                                                             const Counsellor& counsellor) {
  const auto unknown = [] { return core::Fail(core::Errc::not_found, "conversation not found"); };
  if (!Conversations::CanCounsel(counsellor.role)) return unknown();
  core::Result<model::Conversation> conversation = conversations_.Find(conversation_id);
  if (!conversation && conversation.error().code == core::Errc::not_found) return unknown();
  if (!conversation) return conversation.error();
  if (conversation->counsellor_id != counsellor.account_id) return unknown();
  if (conversation->status != model::ConversationStatus::ended) {
    return core::Fail(core::Errc::failed_precondition,
                      "a conversation is registered once it has ended");
  }
  return conversation;
}

core::Result<model::Registration> Registrations::Read(std::string_view conversation_id,
                                                      const Counsellor& counsellor) {
  UITWEG_TRY(Registrable(conversation_id, counsellor));
  UITWEG_TRY_ASSIGN(auto found, store_.FindRegistration(conversation_id));
  if (found) {
    // A draft is finished under today's form (whatever version the file says); a complete one is
    // shown as it was completed.
    if (!found->complete) found->answers = OnForm(form_, found->answers);
    return *found;
  }
  return model::Registration{.conversation_id = std::string(conversation_id),
                             .counsellor_id = counsellor.account_id,
                             .answers = {},
                             .complete = false,
                             .form_version = form_.version,
                             .updated_at = 0};
}

core::Result<model::Registration> Registrations::Save(std::string_view conversation_id,
                                                      const Counsellor& counsellor,
                                                      model::Answers answers, bool complete) {
  UITWEG_TRY(Registrable(conversation_id, counsellor));
  for (const model::FormField& field : form_.fields) {
    const auto place = answers.find(field.id);
    if (field.type != model::FieldType::place || place == answers.end()) continue;
    for (std::string& value : place->second) value = model::TidyPlace(value);
    std::erase_if(place->second, [](const std::string& value) { return value.empty(); });
  }
  std::erase_if(answers, [](const auto& answer) { return answer.second.empty(); });
  UITWEG_TRY_ASSIGN(const auto found, store_.FindRegistration(conversation_id));
  // Opened again after the form changed: what it held and the form no longer has goes, or it
  // could never be saved (the console draws no box to untick it).
  if (found) answers = WithoutCarriedOver(form_, std::move(answers), found->answers);
  UITWEG_TRY(CheckAnswers(form_, answers, complete));
  // A registration once complete stays complete: a draft saved over it would count it as
  // unfinished again (in the counsellor's history) until someone completed it again.
  if (!complete && found && found->complete) {
    return core::Fail(core::Errc::failed_precondition,
                      "this registration is complete; a change is saved by completing it again");
  }
  model::Registration registration{.conversation_id = std::string(conversation_id),
                                   .counsellor_id = counsellor.account_id,
                                   .answers = std::move(answers),
                                   .complete = complete,
                                   .form_version = form_.version,
                                   .updated_at = clock_.Now()};
  UITWEG_TRY(store_.SaveRegistration(registration));
  return registration;
}

core::Result<std::map<std::string, RegistrationStatus, std::less<>>> Registrations::StatusOf(
    std::span<const std::string> conversation_ids) {
  std::map<std::string, RegistrationStatus, std::less<>> status;
  for (const std::string& id : conversation_ids) status[id] = RegistrationStatus::none;
  UITWEG_TRY_ASSIGN(const auto found, store_.FindRegistrations(conversation_ids));
  for (const model::Registration& registration : found) {
    status[registration.conversation_id] =
        registration.complete ? RegistrationStatus::complete : RegistrationStatus::draft;
  }
  return status;
}

}  // namespace uitweg::chat
