#pragma once
// The team's canned responses (docs/protocol.md, "Canned responses"): every staff member reads
// the library (counsellors insert from it); supervisors add, change and remove responses, each
// change audited as `canned_changed`. routes.hpp checks the roles.

#include "api/http.hpp"
#include "api/staff_auth.hpp"
#include "auth/audit_trail.hpp"
#include "core/clock.hpp"
#include "store/canned_response_store.hpp"

namespace uitweg::api {

class CannedApi {
 public:
  CannedApi(StaffAuth& auth, store::CannedResponseStore& store, auth::AuditTrail& audit,
            const core::Clock& clock)
      : auth_(auth), store_(store), audit_(audit), clock_(clock) {}

  core::Result<Response> List(const Request& request);    // GET    /api/v1/canned
  core::Result<Response> Create(const Request& request);  // POST   /api/v1/canned
  core::Result<Response> Update(const Request& request);  // POST   /api/v1/canned/{id}
  core::Result<Response> Delete(const Request& request);  // DELETE /api/v1/canned/{id}

 private:
  StaffAuth& auth_;
  store::CannedResponseStore& store_;
  auth::AuditTrail& audit_;
  const core::Clock& clock_;
};

}  // namespace uitweg::api
