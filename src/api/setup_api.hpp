#pragma once
// The first administrator (docs/protocol.md, "First administrator"): whether set-up is still
// needed, the second factor for the admin-to-be, and redeeming the one-time token printed at
// start-up.

#include "api/http.hpp"
#include "auth/audit_trail.hpp"
#include "auth/first_admin_setup.hpp"

namespace uitweg::api {

class SetupApi {
 public:
  SetupApi(auth::FirstAdminSetup& setup, auth::AuditTrail& audit) : setup_(setup), audit_(audit) {}

  core::Result<Response> Status(const Request& request);        // GET /api/v1/setup
  core::Result<Response> SecondFactor(const Request& request);  // POST /api/v1/setup/second-factor
  core::Result<Response> Create(const Request& request);        // POST /api/v1/setup

 private:
  auth::FirstAdminSetup& setup_;
  auth::AuditTrail& audit_;
};

}  // namespace uitweg::api
