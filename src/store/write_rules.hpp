#pragma once
// Rules of the ConversationStore contract that every backend applies alike, before or while it
// writes.

#include "core/error.hpp"
#include "model/conversation.hpp"
#include "model/message.hpp"
#include "store/conversation_store.hpp"

namespace uitweg::store {

// invalid_argument for a text no backend may store: from the system, a counsellor's without
// its author, a client_id outside 1..64 characters.
core::Status CheckNewMessage(const NewMessage& message);
// invalid_argument for a conversation without an id or a resume token hash.
core::Status CheckNewConversation(const NewConversation& conversation);
// Who the `ended` entry names as its sender for each reason.
model::Sender EndedBy(model::EndReason reason);
// A new conversation as it is stored: waiting, nothing sent yet.
model::Conversation Created(const NewConversation& conversation);
// A text as it is stored under `seq`.
model::Message Stored(const NewMessage& message, std::int64_t seq);

}  // namespace uitweg::store
