#include "api/staff_auth.hpp"

#include "crypto/random.hpp"

namespace uitweg::api {

core::Result<auth::Authenticated> StaffAuth::Check(const Request& request) {
  if (request.session_token.empty()) {
    return core::Fail(core::Errc::unauthenticated, "sign in first");
  }
  // A console left open polls on its own; that must not keep it signed in.
  return sessions_.Authenticate(
      request.session_token, clock_.Now(),
      request.background ? auth::Activity::automatic : auth::Activity::user);
}

core::Result<auth::Authenticated> StaffAuth::CheckChange(const Request& request) {
  if (!SameOrigin(request)) {
    return core::Fail(core::Errc::permission_denied, "the request comes from another site");
  }
  core::Result<auth::Authenticated> staff = Check(request);
  if (!staff) return staff;
  if (request.csrf_token.empty() ||
      !crypto::ConstantTimeEquals(request.csrf_token, staff->session.csrf_token)) {
    return core::Fail(core::Errc::permission_denied, "missing or wrong X-CSRF-Token");
  }
  return staff;
}

std::string SessionCookie(std::string_view token) {
  return std::string(kSessionCookie) + "=" + std::string(token) +
         "; HttpOnly; Secure; SameSite=Strict; Path=/";
}

std::string ClearedSessionCookie() {
  return std::string(kSessionCookie) + "=; Max-Age=0; HttpOnly; Secure; SameSite=Strict; Path=/";
}

}  // namespace uitweg::api
