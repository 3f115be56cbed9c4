#pragma once
// Staff sign-in, sign-out, "who am I", one's own sessions and the staff WebSocket
// (docs/protocol.md, "Staff session" and "Staff WebSocket"). A session that ends here closes
// its sockets at once (StaffSockets). Handlers block (argon2id, the store): net/ runs them on
// workers.

#include <memory>

#include "api/channel.hpp"
#include "api/feeds.hpp"
#include "api/http.hpp"
#include "api/staff_auth.hpp"
#include "api/staff_sockets.hpp"
#include "auth/audit_trail.hpp"
#include "chat/conversations.hpp"
#include "chat/handovers.hpp"
#include "chat/hub.hpp"
#include "core/executor.hpp"

namespace uitweg::api {

class StaffApi {
 public:
  StaffApi(StaffAuth& auth, chat::Conversations& conversations, chat::Hub& hub,
           const core::Clock& clock, core::Post blocking, StaffSockets& sockets,
           auth::AuditTrail& audit);

  core::Result<Response> SignIn(const Request& request);   // POST /api/v1/staff/session
  core::Result<Response> Me(const Request& request);       // GET /api/v1/staff/me
  core::Result<Response> SignOut(const Request& request);  // DELETE /api/v1/staff/session
  // GET /api/v1/staff/sessions: the member's own sessions.
  core::Result<Response> Sessions(const Request& request);
  // DELETE /api/v1/staff/sessions/{id}: ends one of them, closing its sockets at once.
  core::Result<Response> EndSession(const Request& request);
  // GET /api/v1/audit?account=&action=&conversation=&since=&until=&before=&limit=: the audit
  // trail, newest first (routes.hpp lets only roles that may read it in). Reading it is itself
  // recorded.
  core::Result<Response> Audit(const Request& request);
  // Consent requests in chats go through `handovers`. Before serving.
  void SetHandovers(chat::Handovers* handovers) { handovers_ = handovers; }
  // GET /api/v1/staff/ws: a live session and this server's own Origin, else refused.
  core::Result<std::shared_ptr<Channel>> OpenSocket(const Request& request,
                                                    std::weak_ptr<FrameSink> sink);

 private:
  chat::Handovers* handovers_ = nullptr;
  StaffAuth& auth_;
  chat::Conversations& conversations_;
  chat::Hub& hub_;
  const core::Clock& clock_;
  const core::Post blocking_;
  StaffSockets& sockets_;
  auth::AuditTrail& audit_;
};

}  // namespace uitweg::api
