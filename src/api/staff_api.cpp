#include "api/staff_api.hpp"

#include "api/audit_json.hpp"

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
                   const core::Clock& clock, core::Post blocking, StaffSockets& sockets,
                   auth::AuditTrail& audit)
    : auth_(auth),
      conversations_(conversations),
      hub_(hub),
      clock_(clock),
      blocking_(std::move(blocking)),
      sockets_(sockets),
      audit_(audit) {}

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
  sockets_.CloseSession(staff->session.token_hash, "signed out");
  (void)audit_.Record(auth::Actor::Staff(staff->account), auth::audit_action::sign_out);
  // Signed out everywhere: whoever they were helping goes back to the queue at once, instead of
  // waiting for a counsellor who has left.
  auto others = auth_.sessions().SessionsOf(staff->account.id, clock_.Now());
  if (others && others->empty()) {
    if (auto released = conversations_.ReleaseAllOf(staff->account.id, "signed_out"); !released) {
      core::Log(core::LogLevel::warn, "staff.release_failed",
                {{"code", core::ErrcName(released.error().code)}});
    }
  }
  core::Log(core::LogLevel::info, "staff.signed_out", {{"account", staff->account.id}});
  return Response{204, {}, {{"Set-Cookie", ClearedSessionCookie()}}};
}

core::Result<std::shared_ptr<Channel>> StaffApi::OpenSocket(const Request& request,
                                                            std::weak_ptr<FrameSink> sink) {
  if (!OriginIsOwn(request)) {
    return core::Fail(core::Errc::permission_denied, "the socket must come from this site");
  }
  // A console reconnects by itself: opening a socket does not keep an idle session alive.
  api::Request reconnect = request;
  reconnect.background = true;
  core::Result<auth::Authenticated> staff = auth_.Check(reconnect);
  if (!staff) return staff.error();
  StaffMember me{
      chat::Counsellor{staff->account.id, staff->account.role, staff->account.display_name},
      staff->account.username};
  SessionCheck check = [&sessions = auth_.sessions(), &clock = clock_,
                        token = request.session_token,
                        role = staff->account.role](bool user_action) -> core::Status {
    auto staff = sessions.Authenticate(
        token, clock.Now(), user_action ? auth::Activity::user : auth::Activity::automatic);
    if (!staff) return staff.error();
    // What the console may do was decided by the role at sign-in.
    if (staff->account.role != role) {
      return core::Fail(core::Errc::unauthenticated, "your role has changed; sign in again");
    }
    return {};
  };
  auto channel = std::make_shared<StaffChannel>(conversations_, hub_, clock_, blocking_,
                                                std::move(me), std::move(check), std::move(sink),
                                                &sockets_, &audit_, handovers_);
  sockets_.Add(staff->session.token_hash, channel);
  return std::shared_ptr<Channel>(std::move(channel));
}

core::Result<Response> StaffApi::Audit(const Request& request) {
  core::Result<auth::Authenticated> staff = auth_.Check(request);
  if (!staff) return staff.error();
  UITWEG_TRY_ASSIGN(const store::AuditQuery query, AuditQueryFrom(request.query));
  UITWEG_TRY_ASSIGN(const std::vector<store::AuditEntry> entries, audit_.Find(query));
  UITWEG_TRY(audit_.Record(auth::Actor::Staff(staff->account), auth::audit_action::audit_read));
  boost::json::array list;
  for (const store::AuditEntry& entry : entries) list.push_back(AuditEntryJson(entry));
  boost::json::object out;
  out["entries"] = std::move(list);
  return Response{200, boost::json::serialize(out), {}};
}

core::Result<Response> StaffApi::Sessions(const Request& request) {
  core::Result<auth::Authenticated> staff = auth_.Check(request);
  if (!staff) return staff.error();
  UITWEG_TRY_ASSIGN(const std::vector<model::StaffSession> sessions,
                    auth_.sessions().SessionsOf(staff->account.id, clock_.Now()));
  boost::json::array list;
  for (const model::StaffSession& session : sessions) {
    boost::json::object item;
    item["id"] = auth::Sessions::PublicId(session.token_hash);
    item["created_at"] = session.created_at;
    item["last_seen_at"] = session.last_seen_at;
    item["current"] = session.token_hash == staff->session.token_hash;
    list.push_back(std::move(item));
  }
  boost::json::object out;
  out["sessions"] = std::move(list);
  return Response{200, boost::json::serialize(out), {}};
}

core::Result<Response> StaffApi::EndSession(const Request& request) {
  core::Result<auth::Authenticated> staff = auth_.CheckChange(request);
  if (!staff) return staff.error();
  const std::string& id = request.params.at(0);
  UITWEG_TRY_ASSIGN(const std::string ended, auth_.sessions().EndSession(staff->account.id, id));
  sockets_.CloseSession(ended, "this session was ended from another one; sign in again");
  (void)audit_.Record(auth::Actor::Staff(staff->account), auth::audit_action::session_ended);
  const bool own = ended == staff->session.token_hash;
  if (own) return Response{204, {}, {{"Set-Cookie", ClearedSessionCookie()}}};
  return Response{204, {}, {}};
}

}  // namespace uitweg::api
