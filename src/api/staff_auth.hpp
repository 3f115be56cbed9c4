#pragma once
// What every staff endpoint checks first: the session cookie names a live session, the CSRF
// header matches it on state-changing requests, and the Origin is this server's own.

#include <string>

#include "api/http.hpp"
#include "api/origin.hpp"
#include "auth/sessions.hpp"
#include "core/clock.hpp"

namespace uitweg::api {

class StaffAuth {
 public:
  StaffAuth(auth::Sessions& sessions, const core::Clock& clock)
      : sessions_(sessions), clock_(clock) {}

  // unauthenticated without a live session. A request marked `background` does not count as
  // the staff member's activity, so it neither keeps the session from idling out nor renews it.
  core::Result<auth::Authenticated> Check(const Request& request);
  // Check, plus permission_denied when X-CSRF-Token does not match or Origin is foreign.
  core::Result<auth::Authenticated> CheckChange(const Request& request);

  auth::Sessions& sessions() { return sessions_; }

 private:
  auth::Sessions& sessions_;
  const core::Clock& clock_;
};

// The Set-Cookie value that stores / clears the session token.
std::string SessionCookie(std::string_view token);
std::string ClearedSessionCookie();

}  // namespace uitweg::api
