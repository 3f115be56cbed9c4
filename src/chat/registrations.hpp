#pragma once
// Registrations after conversations: the form (data, model/registration.hpp) and what a
// counsellor fills in for a conversation that ended in their hands. It may be saved as a draft
// and finished later; their history shows which are still open.
//
// Thread-safe; every method blocks on the store: call from workers.

#include <map>
#include <span>
#include <string>
#include <string_view>

#include "chat/conversations.hpp"
#include "core/clock.hpp"
#include "model/registration.hpp"
#include "store/conversation_store.hpp"
#include "store/registration_store.hpp"

namespace uitweg::chat {

enum class RegistrationStatus { none, draft, complete };
std::string_view RegistrationStatusName(RegistrationStatus status);

class Registrations {
 public:
  Registrations(model::RegistrationForm form, store::RegistrationStore& store,
                store::ConversationStore& conversations, const core::Clock& clock)
      : form_(std::move(form)), store_(store), conversations_(conversations), clock_(clock) {}

  const model::RegistrationForm& form() const { return form_; }

  // The registration of an ended conversation of this counsellor's, or an empty one. not_found
  // for another's or an unknown conversation; failed_precondition before it has ended.
  core::Result<model::Registration> Read(std::string_view conversation_id,
                                         const Counsellor& counsellor);
  // Checks the answers against the form (chat/registration_rules.hpp; `complete` needs every
  // required field) and saves them whole. Errors as Read, invalid_argument, and
  // failed_precondition for a draft over a complete registration.
  core::Result<model::Registration> Save(std::string_view conversation_id,
                                         const Counsellor& counsellor, model::Answers answers,
                                         bool complete);
  // How far each of these conversations is registered.
  core::Result<std::map<std::string, RegistrationStatus, std::less<>>> StatusOf(
      std::span<const std::string> conversation_ids);

 private:
  core::Result<model::Conversation> Registrable(std::string_view conversation_id,
                                                const Counsellor& counsellor);

  const model::RegistrationForm form_;
  store::RegistrationStore& store_;
  store::ConversationStore& conversations_;
  const core::Clock& clock_;
};

}  // namespace uitweg::chat
