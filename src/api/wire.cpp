#include "api/wire.hpp"

#include <boost/json/serialize.hpp>

namespace uitweg::api {
namespace {

boost::json::value OptionalTime(const std::optional<core::UnixMillis>& at) {
  if (at) return *at;
  return nullptr;
}

}  // namespace

boost::json::object ConversationJson(const store::Conversation& conversation) {
  boost::json::object out;
  out["id"] = conversation.id;
  out["status"] = store::ConversationStatusName(conversation.status);
  out["subject"] = store::SubjectName(conversation.subject);
  out["nickname"] = conversation.nickname;
  out["created_at"] = conversation.created_at;
  out["accepted_at"] = OptionalTime(conversation.accepted_at);
  out["ended_at"] = OptionalTime(conversation.ended_at);
  out["last_seq"] = conversation.last_seq;
  return out;
}

boost::json::object MessageJson(const chat::Entry& entry) {
  const store::Message& message = entry.message;
  // The protocol names the counsellor as the sender of `accepted`, whoever stored it.
  const store::Sender sender =
      message.kind == store::MessageKind::accepted ? store::Sender::counsellor : message.sender;
  boost::json::object out;
  out["conversation_id"] = message.conversation_id;
  out["seq"] = message.seq;
  out["kind"] = store::MessageKindName(message.kind);
  out["sender"] = store::SenderName(sender);
  out["client_id"] = message.client_id;
  out["body"] = message.body;
  out["created_at"] = message.created_at;
  if (sender == store::Sender::counsellor) out["author"] = entry.author;
  return out;
}

boost::json::object QueueEntryJson(const store::Conversation& conversation, core::UnixMillis now) {
  boost::json::object out;
  out["conversation_id"] = conversation.id;
  out["nickname"] = conversation.nickname;
  out["subject"] = store::SubjectName(conversation.subject);
  out["urgency"] = conversation.urgency;
  out["created_at"] = conversation.created_at;
  out["waiting_ms"] = now > conversation.created_at ? now - conversation.created_at : 0;
  return out;
}

std::string ErrorFrame(const core::Error& error, std::string_view ref) {
  boost::json::object out;
  out["type"] = "error";
  out["code"] = core::ErrcName(error.code);
  out["message"] = error.message;
  if (!ref.empty()) out["ref"] = ref;
  return boost::json::serialize(out);
}

std::string MessageFrame(const chat::Entry& entry) {
  boost::json::object out;
  out["type"] = "message";
  out["message"] = MessageJson(entry);
  return boost::json::serialize(out);
}

boost::json::value PositionJson(std::int64_t position) {
  if (position > 0) return position;
  return nullptr;
}

}  // namespace uitweg::api
