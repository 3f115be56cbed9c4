#pragma once
// A counsellor's lists beside the live queue (docs/protocol.md, "History" and "Messages
// left"): their own history, the conversations they ended or that ended in their hands, by
// period, and one of them read again in full (audited as `history_read`; a colleague's
// conversation reads as unknown); and the messages visitors left that nobody has taken yet.

#include "api/http.hpp"
#include "api/staff_auth.hpp"
#include "auth/audit_trail.hpp"
#include "chat/conversations.hpp"
#include "chat/registrations.hpp"

namespace uitweg::api {

class HistoryApi {
 public:
  HistoryApi(StaffAuth& auth, chat::Conversations& conversations,
             chat::Registrations& registrations, auth::AuditTrail& audit, const core::Clock& clock)
      : auth_(auth),
        conversations_(conversations),
        registrations_(registrations),
        audit_(audit),
        clock_(clock) {}

  core::Result<Response> List(const Request& request);          // GET /api/v1/history?since=&until=
  core::Result<Response> Open(const Request& request);          // GET /api/v1/history/{id}
  core::Result<Response> MessagesLeft(const Request& request);  // GET /api/v1/messages-left

 private:
  StaffAuth& auth_;
  chat::Conversations& conversations_;
  chat::Registrations& registrations_;
  auth::AuditTrail& audit_;
  const core::Clock& clock_;
};

}  // namespace uitweg::api
