#include "support/visitor.hpp"

#include <boost/json.hpp>

#include "support/http_client.hpp"

namespace uitweg::support {

core::Result<VisitorConversation> StartConversation(std::uint16_t port,
                                                    const std::string& nickname) {
  auto res = HttpPostJson(port, "/api/v1/visitor/conversations",
                          boost::json::object{{"nickname", nickname}, {"subject", "self"}});
  if (!res) return res.error();
  if (res->status != 201) {
    return core::Fail(core::Errc::unavailable,
                      "start answered " + std::to_string(res->status) + " " + res->body);
  }
  auto body = res->Json();
  if (!body || !body->is_object())
    return core::Fail(core::Errc::internal, "start body is not an object");
  const auto& obj = body->get_object();
  const auto* id = obj.if_contains("conversation_id");
  const auto* token = obj.if_contains("resume_token");
  if (!id || !id->is_string() || !token || !token->is_string()) {
    return core::Fail(core::Errc::internal, "start body lacks conversation_id or resume_token");
  }
  return VisitorConversation{std::string(id->get_string()), std::string(token->get_string())};
}

core::Result<WsClient> ConnectVisitor(std::uint16_t port, const std::string& resume_token,
                                      std::int64_t last_seq, boost::json::object* welcome) {
  WsClient ws;
  UITWEG_TRY(ws.Connect(port, "/api/v1/visitor/ws"));
  UITWEG_TRY(ws.Send(VisitorHello(resume_token, last_seq)));
  auto first = ws.Take("welcome");
  if (!first) {
    auto error = ws.Take("error", std::chrono::milliseconds(0));
    return core::Fail(first.error().code,
                      first.error().message + (error ? "; " + boost::json::serialize(*error) : ""));
  }
  if (welcome) *welcome = std::move(*first);
  return ws;
}

boost::json::object VisitorHello(const std::string& resume_token, std::int64_t last_seq) {
  return {{"type", "hello"}, {"resume_token", resume_token}, {"last_seq", last_seq}};
}

boost::json::object VisitorSend(const std::string& client_id, const std::string& body) {
  return {{"type", "send"}, {"client_id", client_id}, {"body", body}};
}

}  // namespace uitweg::support
