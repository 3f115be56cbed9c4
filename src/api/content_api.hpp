#pragma once
// The visitor's information pages and self-checks, and their editing (docs/protocol.md,
// "Content"). Pages are Markdown, rendered here into a frame (web/visitor/info.html) so that they
// work without JavaScript: GET /info/{slug}?lang=… in the asked language, else the browser's, else
// Dutch. Admins read, preview, save and restore pages; every save is a new version in the content
// store, audited as `content_changed` (restoring is a save of an earlier text), and every node
// serves the newest at once. routes.hpp checks the roles.

#include <string>

#include "api/http.hpp"
#include "api/staff_auth.hpp"
#include "auth/audit_trail.hpp"
#include "core/clock.hpp"
#include "store/content_store.hpp"

namespace uitweg::api {

class ContentApi {
 public:
  // `frame`: the page frame with its {{placeholders}}; kept as given.
  ContentApi(StaffAuth& auth, store::ContentStore& store, auth::AuditTrail& audit,
             const core::Clock& clock, std::string frame)
      : auth_(auth), store_(store), audit_(audit), clock_(clock), frame_(std::move(frame)) {}

  core::Result<Response> InfoPage(const Request& request);   // GET /info/{slug}
  core::Result<Response> SelfCheck(const Request& request);  // GET /api/v1/visitor/self-check
  core::Result<Response> Pages(const Request& request);      // GET /api/v1/admin/content
  // GET /api/v1/admin/content/{slug}/{language}[?version=N]
  core::Result<Response> Page(const Request& request);
  // POST /api/v1/admin/content/{slug}/{language}
  core::Result<Response> Save(const Request& request);
  // POST /api/v1/admin/content/preview
  core::Result<Response> Preview(const Request& request);

 private:
  StaffAuth& auth_;
  store::ContentStore& store_;
  auth::AuditTrail& audit_;
  const core::Clock& clock_;
  const std::string frame_;
};

}  // namespace uitweg::api
