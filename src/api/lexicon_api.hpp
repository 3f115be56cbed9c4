#pragma once
// The recruitment lexicon as the review console edits it (docs/protocol.md, "Outreach"): the
// latest version with each term's hits and reviewed precision, the versions saved, adding and
// retiring a term (each a new version, audited `lexicon_changed`), and trying a term alone on
// the findings of recent scans before adding it. Version 0 is the lexicon shipped with Uitweg;
// admins and analysts save 1, 2, ... in the store, and scans use the latest. A change names the
// version it was made on (`based_on`); another saved since is a conflict. routes.hpp checks the
// roles. Handlers block on the store; a change compiles the lexicon (a second or so).

#include <cstdint>
#include <string>

#include "api/http.hpp"
#include "api/staff_auth.hpp"
#include "auth/audit_trail.hpp"
#include "core/clock.hpp"
#include "outreach/lexicon.hpp"
#include "store/account_store.hpp"
#include "store/outreach_store.hpp"

namespace uitweg::api {

// The lexicon scans use now: the latest saved version, else the shipped text (version 0).
struct CurrentLexicon {
  std::int64_t version = 0;
  std::string toml = {};
  outreach::Lexicon lexicon = {};
  // What a scan records: "v<version>", or the shipped file's own version.
  std::string label = {};
};
core::Result<CurrentLexicon> LatestLexicon(store::OutreachStore& store,
                                           const std::string& shipped_toml);

class LexiconApi {
 public:
  // `shipped_toml`: the lexicon built into Uitweg (lexicon/nl-recruitment.toml).
  LexiconApi(StaffAuth& auth, store::OutreachStore& store, store::AccountStore& accounts,
             auth::AuditTrail& audit, const core::Clock& clock, std::string shipped_toml)
      : auth_(auth),
        store_(store),
        accounts_(accounts),
        audit_(audit),
        clock_(clock),
        shipped_toml_(std::move(shipped_toml)) {}

  core::Result<Response> Get(const Request& request);       // GET  /api/v1/outreach/lexicon
  core::Result<Response> Versions(const Request& request);  // GET  .../lexicon/versions
  core::Result<Response> AddTerm(const Request& request);   // POST .../lexicon/terms
  core::Result<Response> Retire(const Request& request);    // POST .../lexicon/retire
  core::Result<Response> Test(const Request& request);      // POST .../lexicon/test

  const std::string& shipped_toml() const { return shipped_toml_; }

 private:
  // Saves `toml` as the version after `based_on`, once it parses and compiles; audits `what`.
  core::Result<Response> Save(const auth::Authenticated& staff, std::int64_t based_on,
                              const std::string& toml, const std::string& note,
                              const std::string& what, unsigned status);
  core::Result<Response> Answer(const CurrentLexicon& current, unsigned status);

  StaffAuth& auth_;
  store::OutreachStore& store_;
  store::AccountStore& accounts_;
  auth::AuditTrail& audit_;
  const core::Clock& clock_;
  const std::string shipped_toml_;
};

}  // namespace uitweg::api
