#pragma once
// Methodology review (docs/protocol.md, "Methodology review"; docs/review.md): the rubric as
// data, a supervisor's samples of ended conversations (drawn at random, audited as
// `review_sample_drawn`), a sampled conversation's transcript with its review (audited as
// `review_read`) and saving its scores (audited as `review_saved`); and the scores per
// criterion and period for the insights dashboard, never per counsellor. routes.hpp checks the
// roles: review_conversations for the samples, read_insights for the figures.

#include <boost/json/object.hpp>

#include "api/http.hpp"
#include "api/staff_auth.hpp"
#include "auth/audit_trail.hpp"
#include "chat/reviews.hpp"
#include "core/clock.hpp"
#include "insights/methodology.hpp"

namespace uitweg::api {

boost::json::object ReviewRubricJson(const model::ReviewRubric& rubric);

class ReviewApi {
 public:
  ReviewApi(StaffAuth& auth, chat::Reviews& reviews, const insights::MethodologyReader& figures,
            auth::AuditTrail& audit, const core::Clock& clock)
      : auth_(auth), reviews_(reviews), figures_(figures), audit_(audit), clock_(clock) {}

  core::Result<Response> Rubric(const Request& request);   // GET  /api/v1/reviews/rubric
  core::Result<Response> Samples(const Request& request);  // GET  /api/v1/reviews/samples
  core::Result<Response> Draw(const Request& request);     // POST /api/v1/reviews/samples
  core::Result<Response> Sample(const Request& request);   // GET  /api/v1/reviews/samples/{id}
  // GET and POST /api/v1/reviews/samples/{id}/conversations/{conversation}
  core::Result<Response> Open(const Request& request);
  core::Result<Response> Save(const Request& request);
  // GET /api/v1/insights/methodology?from=&to=&period=month|week
  core::Result<Response> Methodology(const Request& request);

 private:
  StaffAuth& auth_;
  chat::Reviews& reviews_;
  const insights::MethodologyReader& figures_;
  auth::AuditTrail& audit_;
  const core::Clock& clock_;
};

}  // namespace uitweg::api
