#pragma once
// Campaign codes and their counters (docs/protocol.md, "Campaigns"). A visitor's page reports a
// visit or a completed self-check with the code it arrived with (POST /api/v1/visitor/events):
// nothing identifies the visitor, and one client counts at most a few times a minute, so a
// flood cannot inflate a counter faster than that. Admins and analysts create and retire codes,
// read the counts and get a QR code for a poster; each change is audited as `campaign_changed`.
// routes.hpp checks the roles.

#include "api/http.hpp"
#include "api/rate_limiter.hpp"
#include "api/staff_auth.hpp"
#include "auth/audit_trail.hpp"
#include "chat/campaigns.hpp"
#include "core/clock.hpp"

namespace uitweg::api {

class CampaignApi {
 public:
  // `events_per_minute`: how many events one client (by address, as the server sees it) may
  // report in a minute; the configuration's [limits] visitor_events_per_minute.
  CampaignApi(StaffAuth& auth, chat::Campaigns& campaigns, auth::AuditTrail& audit,
              const core::Clock& clock, std::int64_t events_per_minute)
      : auth_(auth),
        campaigns_(campaigns),
        audit_(audit),
        events_(clock, events_per_minute, 60'000) {}

  core::Result<Response> Event(const Request& request);   // POST /api/v1/visitor/events
  core::Result<Response> List(const Request& request);    // GET  /api/v1/campaigns
  core::Result<Response> Create(const Request& request);  // POST /api/v1/campaigns
  core::Result<Response> Retire(const Request& request);  // POST /api/v1/campaigns/{code}/retire
  core::Result<Response> Qr(const Request& request);      // GET  /api/v1/campaigns/{code}/qr

 private:
  StaffAuth& auth_;
  chat::Campaigns& campaigns_;
  auth::AuditTrail& audit_;
  RateLimiter events_;
};

}  // namespace uitweg::api
