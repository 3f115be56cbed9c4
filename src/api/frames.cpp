#include "api/frames.hpp"

#include <limits>

#include <boost/json/value.hpp>

#include "api/json_fields.hpp"
#include "core/utf8.hpp"
#include "model/conversation.hpp"

namespace uitweg::api {
namespace {

namespace json = boost::json;

core::Error Invalid(std::string message) {
  return core::Fail(core::Errc::invalid_argument, std::move(message));
}

core::Result<json::object> ParseFrame(std::string_view text, std::string& ref) {
  auto object = ParseObject(text, "the frame");
  if (!object) return object.error();
  for (const char* key : {"conversation_id", "client_id"}) {
    if (const json::value* found = object->if_contains(key); found && found->is_string()) {
      const std::string_view text = found->as_string();
      ref = std::string(core::ValidUtf8Prefix(text.substr(0, 64)));
    }
  }
  return object;
}

core::Result<std::string> TypeOf(const json::object& object) {
  const json::value* type = object.if_contains("type");
  if (type == nullptr || !type->is_string()) return Invalid("missing field \"type\"");
  return std::string(type->as_string());
}

core::Result<SendFrame> DecodeSend(const json::object& object, bool with_conversation) {
  SendFrame frame;
  if (with_conversation) {
    auto id = RequiredString(object, "conversation_id");
    if (!id) return id.error();
    frame.conversation_id = std::move(*id);
  }
  auto client_id = RequiredString(object, "client_id");
  if (!client_id) return client_id.error();
  auto body = RequiredString(object, "body");
  if (!body) return body.error();
  frame.client_id = std::move(*client_id);
  frame.body = std::move(*body);
  return frame;
}

}  // namespace

core::Result<VisitorFrame> DecodeVisitorFrame(std::string_view text, std::string& ref) {
  auto object = ParseFrame(text, ref);
  if (!object) return object.error();
  auto type = TypeOf(*object);
  if (!type) return type.error();
  if (*type == "hello") {
    auto token = RequiredString(*object, "resume_token");
    if (!token) return token.error();
    auto last_seq = OptionalSeq(*object, "last_seq");
    if (!last_seq) return last_seq.error();
    return HelloFrame{std::move(*token), *last_seq};
  }
  if (*type == "send") {
    auto send = DecodeSend(*object, false);
    if (!send) return send.error();
    return std::move(*send);
  }
  if (*type == "end") return EndFrame{};
  if (*type == "ping") return PingFrame{};
  if (*type == "forget") return ForgetFrame{};
  if (*type == "consent") {
    auto client_id = RequiredString(*object, "client_id");
    if (!client_id) return client_id.error();
    auto seq = RequiredInt(*object, "request_seq", std::numeric_limits<std::int64_t>::max());
    if (!seq) return seq.error();
    auto answer = RequiredString(*object, "answer");
    if (!answer) return answer.error();
    if (*answer != "yes" && *answer != "no") return Invalid("answer must be \"yes\" or \"no\"");
    return ConsentFrame{std::move(*client_id), *seq, *answer == "yes"};
  }
  if (*type == "typing") return TypingFrame{};
  return Invalid("unknown message type");
}

core::Result<StaffFrame> DecodeStaffFrame(std::string_view text, std::string& ref) {
  auto object = ParseFrame(text, ref);
  if (!object) return object.error();
  auto type = TypeOf(*object);
  if (!type) return type.error();
  if (*type == "hello") return HelloFrame{};
  if (*type == "ping") return PingFrame{};
  if (*type == "accept_next") return AcceptNextFrame{};
  if (*type == "send") {
    auto send = DecodeSend(*object, true);
    if (!send) return send.error();
    return std::move(*send);
  }
  if (*type == "availability") {
    auto text = RequiredString(*object, "availability");
    if (!text) return text.error();
    model::Availability availability{};
    if (!model::ParseAvailability(*text, availability)) {
      return Invalid("availability must be \"available\", \"busy\" or \"away\"");
    }
    return AvailabilityFrame{availability};
  }
  if (*type == "note" || *type == "whisper") {
    auto send = DecodeSend(*object, true);
    if (!send) return send.error();
    return StaffNoteFrame{*type == "note" ? model::MessageKind::note : model::MessageKind::whisper,
                          std::move(*send)};
  }
  auto id = RequiredString(*object, "conversation_id");
  if (*type == "accept") {
    if (!id) return id.error();
    return AcceptFrame{std::move(*id)};
  }
  if (*type == "end") {
    if (!id) return id.error();
    return EndFrame{std::move(*id)};
  }
  if (*type == "typing") {
    if (!id) return id.error();
    return TypingFrame{std::move(*id)};
  }
  if (*type == "mark") {
    if (!id) return id.error();
    auto urgency = RequiredInt(*object, "urgency", model::kUrgencyUrgent);
    if (!urgency) return urgency.error();
    return MarkFrame{std::move(*id), static_cast<std::int32_t>(*urgency)};
  }
  if (*type == "unmonitor") {
    if (!id) return id.error();
    return UnmonitorFrame{std::move(*id)};
  }
  if (*type == "monitor") {
    if (!id) return id.error();
    auto last_seq = OptionalSeq(*object, "last_seq");
    if (!last_seq) return last_seq.error();
    auto since = OptionalSeq(*object, "since");
    if (!since) return since.error();
    return MonitorFrame{std::move(*id), *last_seq, *since};
  }
  if (*type == "transfer") {
    if (!id) return id.error();
    auto to = RequiredInt(*object, "to", std::numeric_limits<std::int64_t>::max());
    if (!to) return to.error();
    auto note = OptionalString(*object, "note");
    if (!note) return note.error();
    return TransferFrame{std::move(*id), *to, std::move(*note)};
  }
  if (*type == "ask_consent") {
    if (!id) return id.error();
    auto organisation =
        RequiredInt(*object, "organisation_id", std::numeric_limits<std::int64_t>::max());
    if (!organisation) return organisation.error();
    auto client_id = RequiredString(*object, "client_id");
    if (!client_id) return client_id.error();
    return AskConsentFrame{std::move(*id), *organisation, std::move(*client_id)};
  }
  if (*type == "release") {
    if (!id) return id.error();
    return ReleaseFrame{std::move(*id)};
  }
  if (*type == "take_transfer") {
    if (!id) return id.error();
    return TakeTransferFrame{std::move(*id)};
  }
  if (*type == "decline_transfer") {
    if (!id) return id.error();
    return DeclineTransferFrame{std::move(*id)};
  }
  if (*type == "subscribe") {
    if (!id) return id.error();
    auto last_seq = OptionalSeq(*object, "last_seq");
    if (!last_seq) return last_seq.error();
    return SubscribeFrame{std::move(*id), *last_seq};
  }
  return Invalid("unknown message type");
}

std::span<const StaffFrameRule> StaffFrameRules() {
  static constexpr StaffFrameRule kRules[] = {
      {"hello", model::Permission::use_console},
      {"ping", model::Permission::use_console},
      {"accept", model::Permission::counsel},
      {"accept_next", model::Permission::counsel},
      {"subscribe", model::Permission::counsel},
      {"send", model::Permission::counsel},
      {"end", model::Permission::counsel},
      {"typing", model::Permission::counsel},
      {"mark", model::Permission::counsel},
      {"note", model::Permission::counsel},
      {"whisper", model::Permission::monitor},
      {"monitor", model::Permission::monitor},
      {"unmonitor", model::Permission::monitor},
      {"availability", model::Permission::counsel},
      {"transfer", model::Permission::counsel},
      {"take_transfer", model::Permission::counsel},
      {"decline_transfer", model::Permission::counsel},
      {"ask_consent", model::Permission::counsel},
      {"release", model::Permission::counsel},
  };
  return kRules;
}

std::string_view StaffFrameType(const StaffFrame& frame) {
  return std::visit(
      [](const auto& decoded) -> std::string_view {
        using Frame = std::decay_t<decltype(decoded)>;
        if constexpr (std::is_same_v<Frame, HelloFrame>) return "hello";
        if constexpr (std::is_same_v<Frame, PingFrame>) return "ping";
        if constexpr (std::is_same_v<Frame, AcceptFrame>) return "accept";
        if constexpr (std::is_same_v<Frame, AcceptNextFrame>) return "accept_next";
        if constexpr (std::is_same_v<Frame, SubscribeFrame>) return "subscribe";
        if constexpr (std::is_same_v<Frame, SendFrame>) return "send";
        if constexpr (std::is_same_v<Frame, EndFrame>) return "end";
        if constexpr (std::is_same_v<Frame, TypingFrame>) return "typing";
        if constexpr (std::is_same_v<Frame, MarkFrame>) return "mark";
        if constexpr (std::is_same_v<Frame, StaffNoteFrame>) {
          return decoded.kind == model::MessageKind::note ? "note" : "whisper";
        }
        if constexpr (std::is_same_v<Frame, MonitorFrame>) return "monitor";
        if constexpr (std::is_same_v<Frame, UnmonitorFrame>) return "unmonitor";
        if constexpr (std::is_same_v<Frame, AvailabilityFrame>) return "availability";
        if constexpr (std::is_same_v<Frame, TransferFrame>) return "transfer";
        if constexpr (std::is_same_v<Frame, TakeTransferFrame>) return "take_transfer";
        if constexpr (std::is_same_v<Frame, DeclineTransferFrame>) return "decline_transfer";
        if constexpr (std::is_same_v<Frame, AskConsentFrame>) return "ask_consent";
        if constexpr (std::is_same_v<Frame, ReleaseFrame>) return "release";
      },
      frame);
}

std::optional<model::Permission> NeededFor(const StaffFrame& frame) {
  const std::string_view type = StaffFrameType(frame);
  for (const StaffFrameRule& rule : StaffFrameRules()) {
    if (rule.type == type) return rule.needs;
  }
  return std::nullopt;
}

}  // namespace uitweg::api
