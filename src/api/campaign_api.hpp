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

// How many events one client may report in a minute: a visit and a self-check per page, and
// a few reloads.
inline constexpr std::int64_t kVisitorEventsPerMinute = 10;

class CampaignApi {
 public:
  CampaignApi(StaffAuth& auth, chat::Campaigns& campaigns, auth::AuditTrail& audit,
              const core::Clock& clock)
      : auth_(auth),
        campaigns_(campaigns),
        audit_(audit),
        events_(clock, kVisitorEventsPerMinute, 60'000) {}

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
