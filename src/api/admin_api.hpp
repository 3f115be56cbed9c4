#pragma once
// Account administration (docs/protocol.md, "Accounts"): admins list, invite, change the role
// of, disable, enable and reset colleagues' accounts; colleagues use the one-time link they are
// sent to choose a password and link their authenticator app. Admins never see or set a
// password. Every change is recorded in the audit trail. routes.hpp lets only admins into the
// /api/v1/admin routes; the /api/v1/account-setup routes need the link's token.

#include "api/http.hpp"
#include "api/staff_auth.hpp"
#include "api/staff_sockets.hpp"
#include "auth/account_admin.hpp"
#include "auth/audit_trail.hpp"

namespace uitweg::api {

class AdminApi {
 public:
  // `sockets`: the staff sockets of this node, whose consoles of an account changed here close
  // at once (other nodes' within their sweep).
  AdminApi(StaffAuth& auth, auth::AccountAdmin& admin, store::AccountStore& accounts,
           auth::AuditTrail& audit, StaffSockets& sockets)
      : auth_(auth), admin_(admin), accounts_(accounts), audit_(audit), sockets_(sockets) {}

  core::Result<Response> List(const Request& request);    // GET  /api/v1/admin/accounts
  core::Result<Response> Invite(const Request& request);  // POST /api/v1/admin/accounts
  // POST /api/v1/admin/accounts/{id}/{role|disable|enable|reset-password|reset-2fa}
  core::Result<Response> Change(const Request& request);

  core::Result<Response> SetupInfo(const Request& request);      // POST /api/v1/account-setup/info
  core::Result<Response> SetupEnrol(const Request& request);     // POST .../second-factor
  core::Result<Response> SetupComplete(const Request& request);  // POST /api/v1/account-setup

 private:
  StaffAuth& auth_;
  auth::AccountAdmin& admin_;
  store::AccountStore& accounts_;
  auth::AuditTrail& audit_;
  StaffSockets& sockets_;
};

}  // namespace uitweg::api
