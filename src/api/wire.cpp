#include "api/wire.hpp"

#include <algorithm>

#include <boost/json/serialize.hpp>

#include "core/utf8.hpp"

namespace uitweg::api {
namespace {

boost::json::value OptionalTime(const std::optional<core::UnixMillis>& at) {
  if (at) return *at;
  return nullptr;
}

boost::json::array QueueEntriesJson(const std::vector<chat::QueueEntry>& entries,
                                    core::UnixMillis now) {
  boost::json::array out;
  out.reserve(entries.size());
  for (const auto& entry : entries) out.push_back(QueueEntryJson(entry, now));
  return out;
}

}  // namespace

boost::json::object ConversationJson(const model::Conversation& conversation) {
  boost::json::object out;
  out["id"] = conversation.id;
  out["status"] = model::ConversationStatusName(conversation.status);
  out["subject"] = model::SubjectName(conversation.subject);
  out["nickname"] = conversation.nickname;
  out["created_at"] = conversation.created_at;
  out["accepted_at"] = OptionalTime(conversation.accepted_at);
  out["ended_at"] = OptionalTime(conversation.ended_at);
  if (conversation.end_reason) {
    out["end_reason"] = model::EndReasonName(*conversation.end_reason);
  } else {
    out["end_reason"] = nullptr;
  }
  out["last_seq"] = conversation.last_seq;
  out["offline"] = conversation.offline;
  out["language"] = conversation.language;
  return out;
}

boost::json::object MessageJson(const chat::Entry& entry) {
  const model::Message& message = entry.message;
  // The protocol names the counsellor as the sender of `accepted` and `transferred` (the
  // colleague who took over), whoever stored it.
  const model::Sender sender = message.kind == model::MessageKind::accepted ||
                                       message.kind == model::MessageKind::transferred
                                   ? model::Sender::counsellor
                                   : message.sender;
  boost::json::object out;
  out["conversation_id"] = message.conversation_id;
  out["seq"] = message.seq;
  out["kind"] = model::MessageKindName(message.kind);
  out["sender"] = model::SenderName(sender);
  out["client_id"] = message.client_id;
  out["body"] = message.body;
  if (message.body_shredded) out["body_shredded"] = true;
  out["created_at"] = message.created_at;
  // A `released` event names the counsellor who left.
  if (sender == model::Sender::counsellor || message.kind == model::MessageKind::released) {
    out["author"] = entry.author;
  }
  return out;
}

boost::json::object QueueEntryJson(const chat::QueueEntry& entry, core::UnixMillis now) {
  boost::json::object out;
  out["conversation_id"] = entry.conversation_id;
  out["nickname"] = entry.nickname;
  out["subject"] = model::SubjectName(entry.subject);
  out["urgency"] = entry.urgency;
  out["created_at"] = entry.created_at;
  out["waiting_ms"] = now > entry.created_at ? now - entry.created_at : 0;
  out["first_line"] = entry.first_line;
  boost::json::array words;
  for (const std::string& word : entry.triage_words) words.emplace_back(word);
  out["triage_words"] = std::move(words);
  out["urgency_marked"] = entry.urgency_marked;
  return out;
}

std::string ErrorFrame(const core::Error& error, std::string_view ref) {
  boost::json::object out;
  out["type"] = "error";
  out["code"] = core::ErrcName(error.code);
  out["message"] = core::ValidUtf8Prefix(error.message);
  if (!ref.empty()) out["ref"] = core::ValidUtf8Prefix(ref);
  if (error.retry_after_seconds > 0) out["retry_after"] = error.retry_after_seconds;
  return boost::json::serialize(out);
}

std::string MessageFrame(const chat::Entry& entry) {
  boost::json::object out;
  out["type"] = "message";
  out["message"] = MessageJson(entry);
  return boost::json::serialize(out);
}

namespace {

// `text` as a JSON string. Written as it is when nothing in it needs escaping (ids nearly always),
// without the serializer's cost on every ack.
void AppendJsonString(std::string& out, std::string_view text) {
  const bool plain = std::all_of(text.begin(), text.end(), [](char c) {
    return c >= 0x20 && c != '"' && c != '\\' && static_cast<unsigned char>(c) < 0x80;
  });
  if (!plain) {
    out += boost::json::serialize(boost::json::string_view(core::ValidUtf8Prefix(text)));
    return;
  }
  out += '"';
  out += text;
  out += '"';
}

}  // namespace

std::string AckFrame(std::string_view conversation_id, std::string_view client_id,
                     const chat::Sent& sent) {
  std::string frame = R"({"type":"ack",)";
  if (!conversation_id.empty()) {
    frame += R"("conversation_id":)";
    AppendJsonString(frame, conversation_id);
    frame += ',';
  }
  frame += R"("client_id":)";
  AppendJsonString(frame, client_id);
  frame += R"(,"seq":)";
  frame += std::to_string(sent.seq);
  frame +=
      sent.duplicate ? R"(,"duplicate":true,"created_at":)" : R"(,"duplicate":false,"created_at":)";
  frame += std::to_string(sent.created_at);
  frame += '}';
  return frame;
}

std::string QueueSnapshotFrame(const chat::QueueSnapshot& snapshot, core::UnixMillis now) {
  boost::json::object out;
  out["type"] = "queue";
  out["waiting"] = QueueEntriesJson(snapshot.top, now);
  out["total"] = snapshot.total;
  return boost::json::serialize(out);
}

std::string QueueChangeFrame(const chat::QueueChange& change, core::UnixMillis now) {
  boost::json::object out;
  out["type"] = "queue_changes";
  out["added"] = QueueEntriesJson(change.added, now);
  out["changed"] = QueueEntriesJson(change.changed, now);
  boost::json::array removed;
  for (const auto& id : change.removed) removed.emplace_back(id);
  out["removed"] = std::move(removed);
  out["total"] = change.total;
  return boost::json::serialize(out);
}

std::string PositionFrame(std::int64_t position, std::optional<core::UnixMillis> expected_wait) {
  // Places start at 1; 0 is a conversation this node does not (yet) see in its queue.
  return R"({"type":"queue","queue_position":)" +
         (position > 0 ? std::to_string(position) : std::string("null")) +
         R"(,"expected_wait_ms":)" + (expected_wait ? std::to_string(*expected_wait) : "null") +
         "}";
}

std::string TypingSignal(std::string_view conversation_id, std::string_view from) {
  boost::json::object out;
  out["type"] = "typing";
  out["conversation_id"] = conversation_id;
  out["from"] = from;
  return boost::json::serialize(out);
}

std::string AvailabilityFrameJson(model::Availability availability) {
  boost::json::object out;
  out["type"] = "availability";
  out["availability"] = model::AvailabilityName(availability);
  return boost::json::serialize(out);
}

std::string WatchedSignal(std::string_view conversation_id, std::string_view by, bool watching) {
  boost::json::object out;
  out["type"] = "watched";
  out["conversation_id"] = conversation_id;
  out["by"] = by;
  out["watching"] = watching;
  return boost::json::serialize(out);
}

std::string PresenceSignal(std::string_view conversation_id, bool connected, core::UnixMillis at) {
  boost::json::object out;
  out["type"] = "presence";
  out["conversation_id"] = conversation_id;
  out["visitor"] = connected ? "connected" : "left";
  out["at"] = at;
  return boost::json::serialize(out);
}

boost::json::value ExpectedWaitJson(std::optional<core::UnixMillis> expected_wait) {
  if (!expected_wait) return nullptr;
  return *expected_wait;
}

boost::json::value PositionJson(std::int64_t position) {
  if (position > 0) return position;
  return nullptr;
}

}  // namespace uitweg::api
