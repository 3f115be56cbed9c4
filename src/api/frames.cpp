#include "api/frames.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace uitweg::api {
namespace {

namespace json = boost::json;

core::Error Invalid(std::string message) {
  return core::Fail(core::Errc::invalid_argument, std::move(message));
}

core::Result<json::object> ParseObject(std::string_view text, std::string& ref) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec) return Invalid("the frame is not valid JSON");
  if (!value.is_object()) return Invalid("the frame must be a JSON object");
  json::object object = std::move(value.as_object());
  for (const char* key : {"conversation_id", "client_id"}) {
    if (const json::value* found = object.if_contains(key); found && found->is_string()) {
      ref = std::string(found->as_string());
      if (ref.size() > 64) ref.resize(64);
    }
  }
  return object;
}

core::Result<std::string> RequiredString(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr) return Invalid("missing field \"" + std::string(key) + "\"");
  if (!value->is_string()) return Invalid("field \"" + std::string(key) + "\" must be a string");
  return std::string(value->as_string());
}

// A seq: an integer >= 0; absent means 0.
core::Result<std::int64_t> OptionalSeq(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr) return std::int64_t{0};
  if (value->is_int64() && value->as_int64() >= 0) return value->as_int64();
  if (value->is_uint64() &&
      value->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(value->as_uint64());
  }
  return Invalid("field \"" + std::string(key) + "\" must be an integer >= 0");
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
  auto object = ParseObject(text, ref);
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
  return Invalid("unknown message type");
}

core::Result<StaffFrame> DecodeStaffFrame(std::string_view text, std::string& ref) {
  auto object = ParseObject(text, ref);
  if (!object) return object.error();
  auto type = TypeOf(*object);
  if (!type) return type.error();
  if (*type == "hello") return HelloFrame{};
  if (*type == "ping") return PingFrame{};
  if (*type == "send") {
    auto send = DecodeSend(*object, true);
    if (!send) return send.error();
    return std::move(*send);
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
  if (*type == "subscribe") {
    if (!id) return id.error();
    auto last_seq = OptionalSeq(*object, "last_seq");
    if (!last_seq) return last_seq.error();
    return SubscribeFrame{std::move(*id), *last_seq};
  }
  return Invalid("unknown message type");
}

}  // namespace uitweg::api
