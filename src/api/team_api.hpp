#pragma once
// The team at work, for supervisors and admins (routes.hpp checks the role): who takes
// conversations, how many each has now, and how many each takes at once (their capacity,
// which a supervisor sets; the change is audited). docs/protocol.md, "Team".

#include <boost/json/object.hpp>

#include "api/http.hpp"
#include "api/staff_auth.hpp"
#include "auth/audit_trail.hpp"
#include "store/account_store.hpp"
#include "store/conversation_store.hpp"

namespace uitweg::api {

class TeamApi {
 public:
  TeamApi(StaffAuth& auth, store::AccountStore& accounts, store::ConversationStore& conversations,
          auth::AuditTrail& audit)
      : auth_(auth), accounts_(accounts), conversations_(conversations), audit_(audit) {}

  core::Result<Response> List(const Request& request);         // GET  /api/v1/team
  core::Result<Response> SetCapacity(const Request& request);  // POST /api/v1/team/{id}/capacity

 private:
  core::Result<boost::json::object> MemberJson(const model::StaffAccount& account);

  StaffAuth& auth_;
  store::AccountStore& accounts_;
  store::ConversationStore& conversations_;
  auth::AuditTrail& audit_;
};

}  // namespace uitweg::api
