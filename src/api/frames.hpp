#pragma once
// Decoding the frames clients send on the two WebSockets (docs/protocol.md). Every failure is
// invalid_argument with a message that names the field; nothing is half-decoded.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "core/error.hpp"
#include "model/message.hpp"
#include "model/permissions.hpp"
#include "model/staff.hpp"

namespace uitweg::api {

struct HelloFrame {
  std::string resume_token;  // visitors only
  std::int64_t last_seq = 0;
};
struct SendFrame {
  std::string conversation_id;  // staff only
  std::string client_id;
  std::string body;
};
struct EndFrame {
  std::string conversation_id;  // staff only
};
struct PingFrame {};
// The visitor asks that the conversation be deleted once it ends.
struct ForgetFrame {};
struct AcceptFrame {
  std::string conversation_id;
};
// The sender is typing (never what): the other side sees an indicator.
struct TypingFrame {
  std::string conversation_id;  // staff only
};
// "Help the next person": the most urgent conversation waiting.
struct AcceptNextFrame {};
// A staff-only entry: an internal note (the counsellor, or a supervisor) or a whisper to the
// counsellor (a supervisor). The visitor never receives either.
struct StaffNoteFrame {
  model::MessageKind kind = model::MessageKind::note;
  SendFrame send;
};
// A supervisor follows a live conversation silently.
struct MonitorFrame {
  std::string conversation_id;
  std::int64_t last_seq = 0;
  // A console watching again after a reconnect: the seq its watch began at (0: a new watch).
  std::int64_t since = 0;
};
// The supervisor stops watching.
struct UnmonitorFrame {
  std::string conversation_id;
};
// A counsellor says whether they take conversations now.
struct AvailabilityFrame {
  model::Availability availability = model::Availability::available;
};
// A counsellor sets the urgency of a waiting conversation by hand.
struct MarkFrame {
  std::string conversation_id;
  std::int32_t urgency = 0;
};
// A counsellor offers their conversation to a colleague, with a note for them.
struct TransferFrame {
  std::string conversation_id;
  std::int64_t to = 0;
  std::string note;
};
// The counsellor hands their conversation back to the queue.
struct ReleaseFrame {
  std::string conversation_id;
};
// The colleague takes the offer.
struct TakeTransferFrame {
  std::string conversation_id;
};
// The colleague declines the offer, or the counsellor takes it back.
struct DeclineTransferFrame {
  std::string conversation_id;
};
// The counsellor asks the visitor's consent to hand them over to an organisation.
struct AskConsentFrame {
  std::string conversation_id;
  std::int64_t organisation_id = 0;
  std::string client_id;
};
// The visitor answers a consent request.
struct ConsentFrame {
  std::string client_id;
  std::int64_t request_seq = 0;
  bool yes = false;
};
struct SubscribeFrame {
  std::string conversation_id;
  std::int64_t last_seq = 0;
};

using VisitorFrame = std::variant<HelloFrame, SendFrame, EndFrame, PingFrame, ForgetFrame,
                                  TypingFrame, ConsentFrame>;
using StaffFrame =
    std::variant<HelloFrame, AcceptFrame, AcceptNextFrame, SubscribeFrame, SendFrame, EndFrame,
                 PingFrame, TypingFrame, MarkFrame, StaffNoteFrame, MonitorFrame, UnmonitorFrame,
                 AvailabilityFrame, TransferFrame, TakeTransferFrame, DeclineTransferFrame,
                 AskConsentFrame, ReleaseFrame>;

// `ref` receives the frame's client_id (or else conversation_id) when it has one, even if the
// frame is otherwise bad, so that an error can point at it.
core::Result<VisitorFrame> DecodeVisitorFrame(std::string_view text, std::string& ref);
core::Result<StaffFrame> DecodeStaffFrame(std::string_view text, std::string& ref);

// Who may send each staff frame type (model/permissions.hpp): the table, by type name, and the
// permission a decoded frame needs (nullopt for a type the table lacks: nobody may send it).
struct StaffFrameRule {
  std::string_view type;
  model::Permission needs;
};
std::span<const StaffFrameRule> StaffFrameRules();
std::string_view StaffFrameType(const StaffFrame& frame);
std::optional<model::Permission> NeededFor(const StaffFrame& frame);

}  // namespace uitweg::api
