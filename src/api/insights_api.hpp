#pragma once
// The insights dashboard (docs/insights.md): GET /api/v1/insights?from=YYYY-MM-DD&to=YYYY-MM-DD
// [&campaign=CODE|-][&region=NAME,NAME...] (at most kMaxRegions different names) answers with the
// funnel, service levels, registrations, feedback, outreach counts and the week's largest rises
// over the conversations that started on those local days (at most kMaxDays; the last 28 days by
// default). `campaign=-` takes the conversations without a campaign. For supervisors, analysts and
// admins (routes.hpp checks the role): exact counts, for staff only; partner reports suppress them.
//
// Partners: GET /api/v1/insights/partners lists them (for the same roles); POST with
// {"partners": [...]} replaces the list (admins; audited as `partners_changed`).
// GET /api/v1/insights/report?partner=NAME&from=YYYY-MM-DD&to=YYYY-MM-DD&format=csv|html gives a
// partner's report, suppressed and rounded (analysts; every one audited as `insights_report`).

#include "api/http.hpp"
#include "api/staff_auth.hpp"
#include "auth/audit_trail.hpp"
#include "core/clock.hpp"
#include "insights/dashboard.hpp"
#include "insights/partners.hpp"

namespace uitweg::api {

class InsightsApi {
 public:
  static constexpr std::int64_t kMaxDays = 731;
  static constexpr std::size_t kMaxRegions = 500;

  InsightsApi(StaffAuth& auth, const insights::DashboardReader& dashboard,
              insights::PartnerReports& reports, auth::AuditTrail& audit, const core::Clock& clock)
      : auth_(auth), dashboard_(dashboard), reports_(reports), audit_(audit), clock_(clock) {}

  core::Result<Response> Dashboard(const Request& request);     // GET  /api/v1/insights
  core::Result<Response> Partners(const Request& request);      // GET  /api/v1/insights/partners
  core::Result<Response> SavePartners(const Request& request);  // POST /api/v1/insights/partners
  core::Result<Response> Report(const Request& request);        // GET  /api/v1/insights/report

 private:
  StaffAuth& auth_;
  const insights::DashboardReader& dashboard_;
  insights::PartnerReports& reports_;
  auth::AuditTrail& audit_;
  const core::Clock& clock_;
};

}  // namespace uitweg::api
