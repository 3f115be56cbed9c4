#pragma once
// Steps of a conversation write that read the same on every backend. Each backend supplies, in
// its own namespace (found by argument-dependent lookup on its Connection):
//   Result<model::Conversation> LoadConversation(Connection&, std::string_view id);
//   Result<model::Message> AppendEvent(Connection&, model::Message entry);  // takes the next seq
//   Result<model::Message> FindResend(Connection&, const NewMessage&);      // not_found if none
// and calls these inside its writer's units.

#include <string_view>
#include <utility>

#include "core/error.hpp"
#include "store/conversation_store.hpp"

namespace uitweg::store {

// Why a transition's UPDATE matched no row: the conversation is missing (not_found), or it is
// not in a state the transition starts from (failed_precondition with `wrong_state`).
template <class Connection>
core::Error WhyNotChanged(Connection& db, std::string_view id, const char* wrong_state) {
  auto current = LoadConversation(db, id);
  if (!current) return current.error();
  return core::Fail(core::Errc::failed_precondition, wrong_state);
}

// Appends the transition's event and answers it with the conversation as it is now.
template <class Connection>
core::Result<Transition> WriteTransition(Connection& db, std::string_view id,
                                         model::Message event) {
  UITWEG_TRY_ASSIGN(event, AppendEvent(db, std::move(event)));
  UITWEG_TRY_ASSIGN(auto conversation, LoadConversation(db, id));
  return Transition{std::move(conversation), std::move(event)};
}

// Why a message could not take a seq: a resend of a stored one (answered as a duplicate), or a
// conversation that is missing, has ended, or is not the counsellor's.
template <class Connection>
core::Result<Appended> Refuse(Connection& db, const NewMessage& message) {
  auto resend = FindResend(db, message);
  if (resend) return Appended{std::move(*resend), true};
  if (resend.error().code != core::Errc::not_found) return resend.error();
  UITWEG_TRY_ASSIGN(auto conversation, LoadConversation(db, message.conversation_id));
  if (conversation.status == model::ConversationStatus::ended) {
    return core::Fail(core::Errc::failed_precondition, "conversation has ended");
  }
  if (model::IsStaffOnly(message.kind) &&
      conversation.status == model::ConversationStatus::active && message.assigned_to &&
      conversation.counsellor_id != message.assigned_to) {
    return core::Fail(core::Errc::failed_precondition,
                      "the conversation was handed over to a colleague meanwhile");
  }
  if (model::IsStaffOnly(message.kind)) {
    return core::Fail(core::Errc::failed_precondition, "the conversation is not active");
  }
  return core::Fail(core::Errc::permission_denied, "this conversation is not assigned to you");
}

}  // namespace uitweg::store
