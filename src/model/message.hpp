#pragma once
// One sequenced entry of a conversation: a text someone sent, or an event in its life
// (accepted, ended, released). Entries of a conversation are numbered 1, 2, 3, ... without gaps.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace uitweg::model {

enum class Sender { visitor, counsellor, system };
std::string_view SenderName(Sender sender);
bool ParseSender(std::string_view text, Sender& out);

// released: the counsellor it was assigned to handed the conversation back to the queue.
// note: a staff member's internal note in the conversation; whisper: a supervisor's word to the
// counsellor. Both are for staff only: a visitor never receives them. transferred: a colleague
// took the conversation over from the counsellor who offered it (author_id the colleague).
// consent_request: the counsellor asks the visitor's consent to hand them over to an
// organisation (body: its id and name); consent_answer: the visitor's "yes" or "no" to it (body:
// the answer and the request's seq); referral: the details of a handover the visitor agreed to
// (what was agreed, the contact details they chose to give), for staff only.
enum class MessageKind {
  text,
  accepted,
  ended,
  released,
  note,
  whisper,
  transferred,
  consent_request,
  consent_answer,
  referral
};
std::string_view MessageKindName(MessageKind kind);
bool ParseMessageKind(std::string_view text, MessageKind& out);
// Entries only staff may see.
inline bool IsStaffOnly(MessageKind kind) {
  return kind == MessageKind::note || kind == MessageKind::whisper || kind == MessageKind::referral;
}
// Entries by which a conversation went from one counsellor to another (or back to the queue).
inline bool IsHandOver(MessageKind kind) {
  return kind == MessageKind::released || kind == MessageKind::transferred;
}
// Entries someone wrote (with a body), as opposed to events.
inline bool IsWritten(MessageKind kind) {
  return kind == MessageKind::text || kind == MessageKind::consent_request ||
         kind == MessageKind::consent_answer || IsStaffOnly(kind);
}

struct Message {
  std::string conversation_id = {};
  std::int64_t seq = 0;  // 1, 2, 3, ... per conversation, no gaps
  MessageKind kind = MessageKind::text;
  Sender sender = Sender::visitor;
  std::optional<std::int64_t> author_id = {};  // the staff account, for counsellor entries
  std::string client_id = {};                  // the sender's own id; empty for events
  std::string body = {};                       // empty for events
  core::UnixMillis created_at = 0;
  // true once the conversation has been shredded: the text's body is gone for good and `body`
  // is empty. Never set on events.
  bool body_shredded = false;
};

}  // namespace uitweg::model
