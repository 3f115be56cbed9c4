#include "api/staff_api.hpp"

#include <boost/json/serialize.hpp>

#include "api/json_fields.hpp"
#include "api/staff_channel.hpp"
#include "core/log.hpp"

namespace uitweg::api {
namespace {

boost::json::object MeJson(const model::StaffAccount& account) {
  boost::json::object out;
  out["username"] = account.username;
  out["role"] = model::RoleName(account.role);
  out["display_name"] = account.display_name;
  return out;
}

}  // namespace

StaffApi::StaffApi(StaffAuth& auth, chat::Conversations& conversations, chat::Hub& hub,
                   const core::Clock& clock, core::Post blocking)
    : auth_(auth),
      conversations_(conversations),
      hub_(hub),
      clock_(clock),
      blocking_(std::move(blocking)) {}

core::Result<Response> StaffApi::SignIn(const Request& request) {
  if (!SameOrigin(request)) {
    return core::Fail(core::Errc::permission_denied, "the request comes from another site");
  }
  auto body = ParseObject(request.body, "the body");
  if (!body) return body.error();
  auto username = RequiredString(*body, "username");
  if (!username) return username.error();
  auto password = RequiredString(*body, "password");
  if (!password) return password.error();
  // A missing code is answered like a wrong one, after the same work.
  auto code = OptionalString(*body, "code");
  if (!code) return code.error();
  core::Result<auth::SignedIn> signed_in =
      auth_.sessions().SignIn(*username, *password, *code, request.client_key, clock_.Now());
  if (!signed_in) return signed_in.error();
  boost::json::object out = MeJson(signed_in->account);
  out["csrf_token"] = signed_in->csrf_token;
  return Response{
      200, boost::json::serialize(out), {{"Set-Cookie", SessionCookie(signed_in->session_token)}}};
}

core::Result<Response> StaffApi::Me(const Request& request) {
  core::Result<auth::Authenticated> staff = auth_.Check(request);
  if (!staff) return staff.error();
  boost::json::object out = MeJson(staff->account);
  out["csrf_token"] = staff->session.csrf_token;
  return Response{200, boost::json::serialize(out), {}};
}

core::Result<Response> StaffApi::SignOut(const Request& request) {
  core::Result<auth::Authenticated> staff = auth_.CheckChange(request);
  if (!staff) return staff.error();
  UITWEG_TRY(auth_.sessions().SignOut(request.session_token));
  core::Log(core::LogLevel::info, "staff.signed_out", {{"account", staff->account.id}});
  return Response{204, {}, {{"Set-Cookie", ClearedSessionCookie()}}};
}

core::Result<std::shared_ptr<Channel>> StaffApi::OpenSocket(const Request& request,
                                                            std::weak_ptr<FrameSink> sink) {
  if (!OriginIsOwn(request)) {
    return core::Fail(core::Errc::permission_denied, "the socket must come from this site");
  }
  core::Result<auth::Authenticated> staff = auth_.Check(request);
  if (!staff) return staff.error();
  StaffMember me{
      chat::Counsellor{staff->account.id, staff->account.role, staff->account.display_name},
      staff->account.username};
  SessionCheck check = [&auth = auth_, token = request.session_token]() -> core::Status {
    Request again;
    again.session_token = token;
    auto staff = auth.Check(again);
    if (!staff) return staff.error();
    return {};
  };
  return std::shared_ptr<Channel>(std::make_shared<StaffChannel>(
      conversations_, hub_, clock_, blocking_, std::move(me), std::move(check), std::move(sink)));
}

}  // namespace uitweg::api
