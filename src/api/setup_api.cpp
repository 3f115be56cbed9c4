#include "api/setup_api.hpp"

#include <boost/json/serialize.hpp>

#include "api/json_fields.hpp"
#include "api/staff_auth.hpp"
#include "core/log.hpp"

namespace uitweg::api {

core::Result<Response> SetupApi::Status(const Request&) {
  boost::json::object out;
  out["needed"] = setup_.Needed();
  return Response{200, boost::json::serialize(out), {}};
}

core::Result<Response> SetupApi::Create(const Request& request) {
  if (!SameOrigin(request)) {
    return core::Fail(core::Errc::permission_denied, "the request comes from another site");
  }
  auto body = ParseObject(request.body, "the body");
  if (!body) return body.error();
  auto token = RequiredString(*body, "token");
  if (!token) return token.error();
  auto username = RequiredString(*body, "username");
  if (!username) return username.error();
  auto password = RequiredString(*body, "password");
  if (!password) return password.error();
  core::Result<model::StaffAccount> admin = setup_.Redeem(*token, *username, *password);
  if (!admin) {
    if (admin.error().code == core::Errc::unauthenticated) {
      return core::Fail(core::Errc::permission_denied, "the set-up token is not valid");
    }
    return admin.error();
  }
  core::Log(core::LogLevel::info, "setup.admin_created", {{"account", admin->id}});
  boost::json::object out;
  out["username"] = admin->username;
  out["role"] = model::RoleName(admin->role);
  return Response{201, boost::json::serialize(out), {}};
}

}  // namespace uitweg::api
