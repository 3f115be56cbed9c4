#include "api/admin_api.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>

#include "api/enrolment_json.hpp"
#include "api/json_fields.hpp"
#include "auth/sessions.hpp"
#include "crypto/random.hpp"

namespace uitweg::api {
namespace {

// Where a colleague uses a one-time link; the token rides in the fragment, never in a log.
std::string SetupLink(const std::string& token) {
  return "/account-setup#token=" + token;
}

boost::json::object AccountJson(const model::StaffAccount& account) {
  boost::json::object out;
  out["id"] = account.id;
  out["username"] = account.username;
  out["display_name"] = account.display_name;
  out["role"] = model::RoleName(account.role);
  out["disabled"] = account.disabled;
  out["second_factor"] = !account.sealed_totp_secret.empty();
  if (account.last_sign_in_at) {
    out["last_sign_in_at"] = *account.last_sign_in_at;
  } else {
    out["last_sign_in_at"] = nullptr;
  }
  return out;
}

core::Error BadLinkForbidden(const core::Error& error) {
  if (error.code != core::Errc::unauthenticated) return error;
  return core::Fail(core::Errc::permission_denied, error.message);
}

}  // namespace

core::Result<Response> AdminApi::List(const Request& request) {
  UITWEG_TRY(auth_.Check(request));
  UITWEG_TRY_ASSIGN(const std::vector<model::StaffAccount> accounts, accounts_.ListAccounts());
  boost::json::array list;
  for (const model::StaffAccount& account : accounts) list.push_back(AccountJson(account));
  boost::json::object out;
  out["accounts"] = std::move(list);
  return JsonResponse(200, out);
}

core::Result<Response> AdminApi::Invite(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated admin, auth_.CheckChange(request));
  UITWEG_TRY_ASSIGN(const boost::json::object body, ParseObject(request.body, "the body"));
  UITWEG_TRY_ASSIGN(const std::string username, RequiredString(body, "username"));
  UITWEG_TRY_ASSIGN(const std::string role_name, RequiredString(body, "role"));
  UITWEG_TRY_ASSIGN(const std::string display_name, OptionalString(body, "display_name"));
  model::Role role;
  if (!model::ParseRole(role_name, role)) {
    return core::Fail(core::Errc::invalid_argument,
                      "role must be counsellor, supervisor, analyst or admin");
  }
  UITWEG_TRY_ASSIGN(const auth::Invited invited, admin_.Invite(username, role, display_name));
  (void)audit_.Record(auth::Actor::Staff(admin.account), auth::audit_action::account_created, {},
                      "account " + std::to_string(invited.account.id) + " as " + role_name);
  boost::json::object out;
  out["account"] = AccountJson(invited.account);
  out["setup_link"] = SetupLink(invited.setup_token);
  return JsonResponse(201, out);
}

core::Result<Response> AdminApi::Change(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated admin, auth_.CheckChange(request));
  UITWEG_TRY_ASSIGN(const std::int64_t id, PathId(request, 0, "account"));
  const std::string& what = request.params.at(1);
  const auth::Actor actor = auth::Actor::Staff(admin.account);
  const std::string subject = "account " + std::to_string(id);
  // An admin cannot lock themselves out (and so the last admin cannot leave nobody in charge).
  if (id == admin.account.id && (what == "role" || what == "disable")) {
    return core::Fail(core::Errc::failed_precondition,
                      "you cannot change the role of, or disable, your own account");
  }
  boost::json::object out;
  if (what == "role") {
    UITWEG_TRY_ASSIGN(const boost::json::object body, ParseObject(request.body, "the body"));
    UITWEG_TRY_ASSIGN(const std::string role_name, RequiredString(body, "role"));
    model::Role role;
    if (!model::ParseRole(role_name, role)) {
      return core::Fail(core::Errc::invalid_argument,
                        "role must be counsellor, supervisor, analyst or admin");
    }
    UITWEG_TRY_ASSIGN(const model::StaffAccount before, accounts_.FindAccount(id));
    // A page loaded before a colleague's change may ask for what already is: nothing happens.
    if (before.role != role) {
      UITWEG_TRY(accounts_.SetRole(id, role));
      (void)audit_.Record(actor, auth::audit_action::role_changed, {},
                          subject + " to " + role_name);
    }
  } else if (what == "disable" || what == "enable") {
    const bool disable = what == "disable";
    UITWEG_TRY_ASSIGN(const model::StaffAccount before, accounts_.FindAccount(id));
    // As for a role: an account already enabled keeps its sessions, and its console its chats.
    if (before.disabled != disable) {
      // A disabled account's sessions are refused (and deleted) at their next check, which
      // tells an open console why; none made before the disable may come back when it is
      // enabled. So they end while it is still disabled (no new one can begin): should that
      // fail, it stays disabled, and the admin's next try ends them again.
      if (!disable) UITWEG_TRY(auth::EndEverySession(accounts_, id));
      UITWEG_TRY(accounts_.SetAccountDisabled(id, disable));
      (void)audit_.Record(
          actor,
          disable ? auth::audit_action::account_disabled : auth::audit_action::account_enabled, {},
          subject);
    }
  } else if (what == "reset-password") {
    UITWEG_TRY_ASSIGN(const std::string token, admin_.ResetPassword(id));
    (void)audit_.Record(actor, auth::audit_action::password_reset, {}, subject);
    out["setup_link"] = SetupLink(token);
  } else if (what == "reset-2fa") {
    // Resetting their own app, an admin stays signed in to use the link it makes.
    UITWEG_TRY_ASSIGN(const std::string token,
                      admin_.ResetSecondFactor(
                          id, id == admin.account.id ? admin.session.token_hash : std::string()));
    (void)audit_.Record(actor, auth::audit_action::second_factor_reset, {}, subject);
    out["setup_link"] = SetupLink(token);
  } else {
    return core::Fail(core::Errc::not_found, "no such change: " + what);
  }
  // Its consoles here close now if the change ended their session (a new role, disabled, a
  // second factor reset), not at the next sweep: a demoted supervisor's watch stops at once.
  if (what != "reset-password") sockets_.CheckAccountNow(id);
  UITWEG_TRY_ASSIGN(const model::StaffAccount account, accounts_.FindAccount(id));
  out["account"] = AccountJson(account);
  return JsonResponse(200, out);
}

core::Result<Response> AdminApi::SetupInfo(const Request& request) {
  UITWEG_TRY_ASSIGN(const boost::json::object body, SameSiteBody(request));
  UITWEG_TRY_ASSIGN(const std::string token, RequiredString(body, "token"));
  auto info = admin_.Describe(token);
  if (!info) return BadLinkForbidden(info.error());
  boost::json::object out;
  out["username"] = info->username;
  out["purpose"] = model::SetupPurposeName(info->purpose);
  return JsonResponse(200, out);
}

core::Result<Response> AdminApi::SetupEnrol(const Request& request) {
  UITWEG_TRY_ASSIGN(const boost::json::object body, SameSiteBody(request));
  UITWEG_TRY_ASSIGN(const std::string token, RequiredString(body, "token"));
  UITWEG_TRY_ASSIGN(const std::string password, OptionalString(body, "password"));
  auto enrolment = admin_.Enrol(token, password);
  if (!enrolment) return BadLinkForbidden(enrolment.error());
  UITWEG_TRY_ASSIGN(const boost::json::object out, EnrolmentJson(*enrolment));
  return JsonResponse(200, out);
}

core::Result<Response> AdminApi::SetupComplete(const Request& request) {
  UITWEG_TRY_ASSIGN(const boost::json::object body, SameSiteBody(request));
  UITWEG_TRY_ASSIGN(const std::string token, RequiredString(body, "token"));
  UITWEG_TRY_ASSIGN(const std::string password, OptionalString(body, "password"));
  UITWEG_TRY_ASSIGN(const std::string enrolment, OptionalString(body, "enrolment"));
  UITWEG_TRY_ASSIGN(const std::string code, OptionalString(body, "code"));
  auto sealed = crypto::Base64UrlDecode(enrolment);
  if (!sealed) return core::Fail(core::Errc::invalid_argument, "enrolment is not valid");
  auto completed = admin_.Complete(token, password, *sealed, code);
  if (!completed) return BadLinkForbidden(completed.error());
  (void)audit_.Record(auth::Actor::Staff(completed->account), auth::audit_action::account_set_up);
  boost::json::object out;
  out["username"] = completed->account.username;
  boost::json::array codes;
  for (const std::string& recovery : completed->recovery_codes) codes.emplace_back(recovery);
  out["recovery_codes"] = std::move(codes);
  return JsonResponse(200, out);
}

}  // namespace uitweg::api
