#include "store/write_rules.hpp"

#include <string>

namespace uitweg::store {
namespace {

constexpr std::size_t kMaxClientIdLength = 64;

}  // namespace

core::Status CheckNewMessage(const NewMessage& message) {
  if (message.sender == model::Sender::system) {
    return core::Fail(core::Errc::invalid_argument, "only visitors and counsellors send texts");
  }
  if (message.sender == model::Sender::counsellor && !message.author_id) {
    return core::Fail(core::Errc::invalid_argument, "a counsellor's text needs its author");
  }
  if (!model::IsWritten(message.kind)) {
    return core::Fail(core::Errc::invalid_argument, "events are not sent");
  }
  if (model::IsStaffOnly(message.kind) && message.sender != model::Sender::counsellor) {
    return core::Fail(core::Errc::invalid_argument,
                      "notes, whispers and referrals come from staff");
  }
  const bool from_visitor = message.sender == model::Sender::visitor;
  if ((message.kind == model::MessageKind::consent_answer) != from_visitor &&
      message.kind != model::MessageKind::text) {
    return core::Fail(core::Errc::invalid_argument,
                      "a consent answer comes from the visitor, a request from the counsellor");
  }
  if (message.client_id.empty() || message.client_id.size() > kMaxClientIdLength) {
    return core::Fail(core::Errc::invalid_argument, "client_id must be 1 to 64 characters");
  }
  return {};
}

core::Status CheckNewConversation(const NewConversation& conversation) {
  if (conversation.id.empty() || conversation.resume_token_hash.empty()) {
    return core::Fail(core::Errc::invalid_argument,
                      "a conversation needs an id and a resume token hash");
  }
  return {};
}

core::Status CheckLivePlace(const LivePlace& place) {
  if (!place.available) {
    return core::Fail(core::Errc::failed_precondition,
                      "you are no longer available; set yourself available to take a conversation");
  }
  if (place.live >= place.capacity) {
    return core::Fail(core::Errc::resource_exhausted,
                      "you are helping " + std::to_string(place.live) +
                          " people already, as many as your capacity");
  }
  return {};
}

namespace {

model::Sender EndedBy(model::EndReason reason) {
  switch (reason) {
    case model::EndReason::visitor: return model::Sender::visitor;
    case model::EndReason::counsellor: return model::Sender::counsellor;
    case model::EndReason::abandoned: return model::Sender::system;
  }
  return model::Sender::system;
}

}  // namespace

model::Message AcceptedEvent(std::string_view conversation_id, std::int64_t counsellor_id,
                             core::UnixMillis at) {
  return model::Message{.conversation_id = std::string(conversation_id),
                        .kind = model::MessageKind::accepted,
                        .sender = model::Sender::system,
                        .author_id = counsellor_id,
                        .created_at = at};
}

model::Message ReleasedEvent(std::string_view conversation_id, std::int64_t counsellor_id,
                             core::UnixMillis at) {
  return model::Message{.conversation_id = std::string(conversation_id),
                        .kind = model::MessageKind::released,
                        .sender = model::Sender::system,
                        .author_id = counsellor_id,
                        .created_at = at};
}

model::Message TransferredEvent(std::string_view conversation_id, std::int64_t to,
                                core::UnixMillis at) {
  return model::Message{.conversation_id = std::string(conversation_id),
                        .kind = model::MessageKind::transferred,
                        .sender = model::Sender::system,
                        .author_id = to,
                        .created_at = at};
}

model::Message EndedEvent(std::string_view conversation_id, model::EndReason reason,
                          std::optional<std::int64_t> assigned, core::UnixMillis at) {
  return model::Message{
      .conversation_id = std::string(conversation_id),
      .kind = model::MessageKind::ended,
      .sender = EndedBy(reason),
      .author_id = reason == model::EndReason::counsellor ? assigned : std::nullopt,
      .created_at = at};
}

const char* WhyNotEnded(model::EndReason reason) {
  switch (reason) {
    case model::EndReason::abandoned: return "conversation is no longer waiting";
    case model::EndReason::counsellor: return "this conversation is not active with you";
    case model::EndReason::visitor: break;
  }
  return "conversation has ended already";
}

model::Conversation Created(const NewConversation& conversation) {
  return model::Conversation{.id = conversation.id,
                             .status = model::ConversationStatus::waiting,
                             .subject = conversation.subject,
                             .nickname = conversation.nickname,
                             .counsellor_id = std::nullopt,
                             .urgency = conversation.urgency,
                             .last_seq = 0,
                             .created_at = conversation.created_at,
                             .accepted_at = std::nullopt,
                             .ended_at = std::nullopt,
                             .end_reason = std::nullopt,
                             .offline = conversation.offline,
                             .language = conversation.language,
                             .campaign = conversation.campaign};
}

core::Error RepeatRefused(std::optional<bool> held_offline, bool offline) {
  if (held_offline && *held_offline != offline) {
    return core::Fail(core::Errc::invalid_argument,
                      "this request id was given to another kind of conversation");
  }
  return core::Fail(core::Errc::failed_precondition,
                    "a later try of this request has been answered already");
}

model::Message Stored(const NewMessage& message, std::int64_t seq) {
  return model::Message{.conversation_id = message.conversation_id,
                        .seq = seq,
                        .kind = message.kind,
                        .sender = message.sender,
                        .author_id = message.author_id,
                        .client_id = message.client_id,
                        .body = message.body,
                        .created_at = message.created_at,
                        .body_shredded = false};
}

}  // namespace uitweg::store
