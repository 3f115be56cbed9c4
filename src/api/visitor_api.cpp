#include "api/visitor_api.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "api/json_fields.hpp"
#include "api/origin.hpp"
#include "api/visitor_channel.hpp"
#include "api/wire.hpp"

namespace uitweg::api {

namespace {

// The page's language and the campaign code the visitor arrived with, both optional.
core::Result<chat::Arrival> ArrivalOf(const boost::json::object& body) {
  chat::Arrival arrival;
  UITWEG_TRY_ASSIGN(arrival.language, OptionalString(body, "language"));
  UITWEG_TRY_ASSIGN(arrival.campaign, OptionalString(body, "campaign"));
  return arrival;
}

}  // namespace

VisitorApi::VisitorApi(chat::Conversations& conversations, chat::Hub& hub, chat::Presence& presence,
                       const core::Clock& clock, core::Post blocking, int starts_per_minute)
    : conversations_(conversations),
      hub_(hub),
      presence_(presence),
      clock_(clock),
      blocking_(std::move(blocking)),
      starts_(clock, starts_per_minute, 60'000),
      pick_ups_(clock, kPickUpsPerMinute, 60'000) {}

core::Result<Response> VisitorApi::LeaveMessage(const Request& request) {
  UITWEG_TRY_ASSIGN(const boost::json::object body, VisitorBody(request));
  UITWEG_TRY_ASSIGN(const std::string nickname, OptionalString(body, "nickname"));
  UITWEG_TRY_ASSIGN(const std::string subject, OptionalString(body, "subject"));
  UITWEG_TRY_ASSIGN(const std::string text, RequiredString(body, "body"));
  if (!starts_.Allow(request.client_key)) {
    return core::Fail(core::Errc::resource_exhausted, "too many messages; try again in a minute");
  }
  UITWEG_TRY_ASSIGN(const chat::Arrival arrival, ArrivalOf(body));
  UITWEG_TRY_ASSIGN(const std::string request_id, OptionalString(body, "request_id"));
  UITWEG_TRY_ASSIGN(const std::int64_t request_try, OptionalSeq(body, "request_try"));
  UITWEG_TRY_ASSIGN(const chat::Left left,
                    conversations_.LeaveMessage(nickname, subject, text, arrival,
                                                {.id = request_id, .number = request_try}));
  boost::json::object out;
  out["conversation_id"] = left.conversation.id;
  out["pick_up_code"] = left.pick_up_code;
  out["resume_token"] = left.resume_token;
  out["status"] = model::ConversationStatusName(left.conversation.status);
  return Response{201, boost::json::serialize(out), {}};
}

core::Result<Response> VisitorApi::PickUp(const Request& request) {
  UITWEG_TRY_ASSIGN(const boost::json::object body, VisitorBody(request));
  UITWEG_TRY_ASSIGN(const std::string code, RequiredString(body, "code"));
  if (!pick_ups_.Allow(request.client_key)) {
    return core::Fail(core::Errc::resource_exhausted, "too many tries; try again in a minute");
  }
  UITWEG_TRY_ASSIGN(const chat::PickedUp picked, conversations_.PickUp(code));
  boost::json::object out;
  out["conversation_id"] = picked.conversation.id;
  out["resume_token"] = picked.resume_token;
  out["status"] = model::ConversationStatusName(picked.conversation.status);
  return JsonResponse(200, out);
}

core::Result<Response> VisitorApi::StartConversation(const Request& request) {
  UITWEG_TRY_ASSIGN(const boost::json::object body, VisitorBody(request));
  auto nickname = OptionalString(body, "nickname");
  if (!nickname) return nickname.error();
  auto subject = OptionalString(body, "subject");
  if (!subject) return subject.error();
  if (!starts_.Allow(request.client_key)) {
    return core::Fail(core::Errc::resource_exhausted, "too many new chats; try again in a minute");
  }
  UITWEG_TRY_ASSIGN(const chat::Arrival arrival, ArrivalOf(body));
  UITWEG_TRY_ASSIGN(const std::string request_id, OptionalString(body, "request_id"));
  UITWEG_TRY_ASSIGN(const std::int64_t request_try, OptionalSeq(body, "request_try"));
  core::Result<chat::Started> started =
      conversations_.Start(*nickname, *subject, arrival, {.id = request_id, .number = request_try});
  if (!started) return started.error();
  boost::json::object out;
  out["conversation_id"] = started->conversation.id;
  out["resume_token"] = started->resume_token;
  out["status"] = model::ConversationStatusName(started->conversation.status);
  out["queue_position"] = PositionJson(started->queue_position);
  out["expected_wait_ms"] = ExpectedWaitJson(conversations_.ExpectedWait(started->queue_position));
  return Response{201, boost::json::serialize(out), {}};
}

core::Result<Response> VisitorApi::GiveFeedback(const Request& request) {
  UITWEG_TRY_ASSIGN(const boost::json::object body, VisitorBody(request));
  UITWEG_TRY_ASSIGN(const std::string token, RequiredString(body, "resume_token"));
  UITWEG_TRY_ASSIGN(const std::string helped, OptionalString(body, "helped"));
  UITWEG_TRY_ASSIGN(const std::string would_return, OptionalString(body, "would_return"));
  UITWEG_TRY(conversations_.GiveFeedback(
      token, model::Feedback{.helped = helped, .would_return = would_return}));
  return Response{204, {}, {}};
}

core::Result<std::shared_ptr<Channel>> VisitorApi::OpenSocket(const Request& request,
                                                              std::weak_ptr<FrameSink> sink) {
  // Browsers always name the page's origin on a WebSocket; a foreign one is another site's
  // page. (Clients that are not browsers send none.)
  if (!SameOrigin(request)) {
    return core::Fail(core::Errc::permission_denied, "the socket must come from this site");
  }
  return std::shared_ptr<Channel>(std::make_shared<VisitorChannel>(
      conversations_, hub_, presence_, clock_, blocking_, std::move(sink), handovers_));
}

}  // namespace uitweg::api
