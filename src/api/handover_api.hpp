#pragma once
// Handover to offline help over HTTP (docs/protocol.md, "Handover"): the directory of receiving
// organisations (every staff member reads it; admins change it, audited as `directory_changed`),
// referrals recorded after the visitor's yes in the chat, the referrals a counsellor made, and
// their status, which staff who counsel update (audited as `referral`). routes.hpp checks the
// roles; the consent itself is asked and answered on the sockets.

#include "api/http.hpp"
#include "api/staff_auth.hpp"
#include "auth/audit_trail.hpp"
#include "chat/handovers.hpp"

namespace uitweg::api {

class HandoverApi {
 public:
  HandoverApi(StaffAuth& auth, chat::Handovers& handovers, auth::AuditTrail& audit)
      : auth_(auth), handovers_(handovers), audit_(audit) {}

  core::Result<Response> Directory(const Request& request);        // GET  /api/v1/organisations
  core::Result<Response> AddOrganisation(const Request& request);  // POST /api/v1/organisations
  // POST /api/v1/organisations/{id}
  core::Result<Response> ChangeOrganisation(const Request& request);
  core::Result<Response> Refer(const Request& request);      // POST /api/v1/referrals
  core::Result<Response> Referrals(const Request& request);  // GET  /api/v1/referrals
  // POST /api/v1/referrals/{id}/status
  core::Result<Response> SetStatus(const Request& request);

 private:
  StaffAuth& auth_;
  chat::Handovers& handovers_;
  auth::AuditTrail& audit_;
};

}  // namespace uitweg::api
