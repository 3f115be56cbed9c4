#include "api/setup_api.hpp"

#include <boost/json/serialize.hpp>

#include "api/enrolment_json.hpp"
#include "api/json_fields.hpp"
#include "api/staff_auth.hpp"
#include "core/log.hpp"
#include "crypto/random.hpp"

namespace uitweg::api {
namespace {

core::Error TokenRefused(const core::Error& error) {
  if (error.code != core::Errc::unauthenticated) return error;
  return core::Fail(core::Errc::permission_denied, error.message);
}

}  // namespace

core::Result<Response> SetupApi::Status(const Request&) {
  boost::json::object out;
  const auth::FirstAdminSetup::State state = setup_.Now();
  out["needed"] = state == auth::FirstAdminSetup::State::open;
  // No administrator yet, but no link to make one here: the page says how to get one.
  out["expired"] = state == auth::FirstAdminSetup::State::closed;
  return Response{200, boost::json::serialize(out), {}};
}

core::Result<Response> SetupApi::SecondFactor(const Request& request) {
  UITWEG_TRY_ASSIGN(const boost::json::object body, SameSiteBody(request));
  UITWEG_TRY_ASSIGN(const std::string token, RequiredString(body, "token"));
  UITWEG_TRY_ASSIGN(const std::string username, RequiredString(body, "username"));
  UITWEG_TRY_ASSIGN(const std::string password, RequiredString(body, "password"));
  auto enrolment = setup_.Enrol(token, username, password);
  if (!enrolment) return TokenRefused(enrolment.error());
  UITWEG_TRY_ASSIGN(const boost::json::object out, EnrolmentJson(*enrolment));
  return Response{200, boost::json::serialize(out), {{"Cache-Control", "no-store"}}};
}

core::Result<Response> SetupApi::Create(const Request& request) {
  UITWEG_TRY_ASSIGN(const boost::json::object body, SameSiteBody(request));
  UITWEG_TRY_ASSIGN(const std::string token, RequiredString(body, "token"));
  UITWEG_TRY_ASSIGN(const std::string username, RequiredString(body, "username"));
  UITWEG_TRY_ASSIGN(const std::string password, RequiredString(body, "password"));
  UITWEG_TRY_ASSIGN(const std::string enrolment, RequiredString(body, "enrolment"));
  UITWEG_TRY_ASSIGN(const std::string code, RequiredString(body, "code"));
  auto sealed = crypto::Base64UrlDecode(enrolment);
  if (!sealed) return core::Fail(core::Errc::invalid_argument, "enrolment is not valid");
  core::Result<auth::FirstAdmin> admin = setup_.Redeem(token, username, password, *sealed, code);
  if (!admin) return TokenRefused(admin.error());
  core::Log(core::LogLevel::info, "setup.admin_created", {{"account", admin->account.id}});
  (void)audit_.Record(auth::Actor::Staff(admin->account), auth::audit_action::account_created, {},
                      "the first administrator, through the set-up link");
  boost::json::object out;
  out["username"] = admin->account.username;
  out["role"] = model::RoleName(admin->account.role);
  boost::json::array codes;
  for (const std::string& recovery : admin->recovery_codes) codes.emplace_back(recovery);
  out["recovery_codes"] = std::move(codes);
  return Response{201, boost::json::serialize(out), {{"Cache-Control", "no-store"}}};
}

}  // namespace uitweg::api
