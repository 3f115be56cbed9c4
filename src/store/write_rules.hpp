#pragma once
// Rules of the ConversationStore contract that every backend applies alike, before or while it
// writes.

#include <optional>

#include "core/error.hpp"
#include "model/conversation.hpp"
#include "model/message.hpp"
#include "store/conversation_store.hpp"

namespace uitweg::store {

// The day (since 1970, UTC) a visitor's feedback is filed under: no finer, so that it cannot
// be matched to a conversation by its time.
inline std::int64_t FeedbackDay(UnixMillis now) {
  return now / (24 * 60 * 60 * 1000);
}

// invalid_argument for a text no backend may store: from the system, a counsellor's without
// its author, a client_id outside 1..64 characters.
core::Status CheckNewMessage(const NewMessage& message);
// invalid_argument for a conversation without an id or a resume token hash.
core::Status CheckNewConversation(const NewConversation& conversation);
// The `accepted` event of a counsellor taking a conversation.
model::Message AcceptedEvent(std::string_view conversation_id, std::int64_t counsellor_id,
                             core::UnixMillis at);
// The `released` event of a counsellor handing a conversation back to the queue.
model::Message ReleasedEvent(std::string_view conversation_id, std::int64_t counsellor_id,
                             core::UnixMillis at);
// The `ended` event: its sender says who ended it, and a counsellor's names the counsellor
// (`assigned`, the one the conversation was assigned to).
model::Message EndedEvent(std::string_view conversation_id, model::EndReason reason,
                          std::optional<std::int64_t> assigned, core::UnixMillis at);
// Why an end matched no row of a conversation that exists.
const char* WhyNotEnded(model::EndReason reason);
inline constexpr const char* kCounsellorsEndByCounsellor =
    "a counsellor ends a conversation with EndByCounsellor";
// A new conversation as it is stored: waiting, nothing sent yet.
model::Conversation Created(const NewConversation& conversation);
// The end of a conversation's INSERT by which a repeated request answers the conversation that
// holds its request_hash (ConversationStore::Create), followed by ` RETURNING id`. No row when
// that one is of the other kind, or when it holds the secrets of a later try: a slow earlier try
// must not take back what the page got (RepeatRefused). The same try again is answered again:
// a browser sends a POST a second time on its own when the connection it went out on closed
// without an answer (a node that stopped after its commit).
inline constexpr const char* kRepeatedRequest =
    " ON CONFLICT (request_hash) WHERE request_hash IS NOT NULL DO UPDATE SET"
    " resume_token_hash = excluded.resume_token_hash,"
    " pickup_code_hash = COALESCE(excluded.pickup_code_hash, conversation.pickup_code_hash),"
    " request_try = excluded.request_try"
    " WHERE conversation.offline = excluded.offline"
    " AND conversation.request_try <= excluded.request_try";
// Why kRepeatedRequest answered no row, given whether the conversation holding the request_hash
// is a message left (nullopt: none holds it).
core::Error RepeatRefused(std::optional<bool> held_offline, bool offline);
model::Message TransferredEvent(std::string_view conversation_id, std::int64_t to,
                                core::UnixMillis at);
// What taking one more live conversation is checked against, read in the write's own
// transaction: whether the counsellor is available, how many live conversations (not messages
// left) they hold, and how many they take at once.
struct LivePlace {
  bool available = false;
  std::int64_t live = 0;
  std::int64_t capacity = 0;
};
// failed_precondition unless available; resource_exhausted once `live` has reached `capacity`.
core::Status CheckLivePlace(const LivePlace& place);
// A text as it is stored under `seq`.
model::Message Stored(const NewMessage& message, std::int64_t seq);

}  // namespace uitweg::store
