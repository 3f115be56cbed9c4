#pragma once
// Emerging words (docs/insights.md, "Emerging words"; docs/protocol.md): the terms the last run
// of the emerging-words job found rising in visitors' messages, less those a lexicon knows
// already, and starting a run.
//
// GET /api/v1/insights/emerging (supervisors, analysts, admins) answers with the last run (any
// node's): its windows, how many conversations each held, the threshold it kept terms by, and
// at most kMaxShown terms that neither the current outreach lexicon nor the risk lexicon matches
// when the term stands alone, as a scan or triage would see it; with the outreach lexicon's
// version and categories, so that an analyst adds a term through POST
// /api/v1/outreach/lexicon/terms (audited `lexicon_changed`) and it drops out of the list at once.
// POST /api/v1/insights/emerging (analysts, admins) starts a run over the windows before today:
// 202, or 409 when one is running on this node; audited `emerging_words_run`. routes.hpp checks
// the roles.
//
// Handlers block on the store; the first answer after the outreach lexicon changed compiles it
// (a second or so). Thread-safe.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "api/http.hpp"
#include "api/staff_auth.hpp"
#include "auth/audit_trail.hpp"
#include "insights/emerging_words.hpp"
#include "outreach/analyzer.hpp"
#include "store/outreach_store.hpp"

namespace uitweg::api {

class EmergingWordsApi {
 public:
  static constexpr std::size_t kMaxShown = 50;
  // The local day number of today.
  using Today = std::function<std::int64_t()>;

  // Whether the risk lexicon matches a term standing alone.
  using RiskKnows = std::function<bool(std::string_view term)>;

  // `shipped_lexicon`: the outreach lexicon built into Uitweg, used until one is saved.
  EmergingWordsApi(StaffAuth& auth, insights::EmergingWordsJob& job, store::OutreachStore& outreach,
                   std::string shipped_lexicon, RiskKnows risk_knows, auth::AuditTrail& audit,
                   Today today)
      : auth_(auth),
        job_(job),
        outreach_(outreach),
        shipped_lexicon_(std::move(shipped_lexicon)),
        risk_knows_(std::move(risk_knows)),
        audit_(audit),
        today_(std::move(today)) {}

  core::Result<Response> Get(const Request& request);  // GET  /api/v1/insights/emerging
  core::Result<Response> Run(const Request& request);  // POST /api/v1/insights/emerging

 private:
  StaffAuth& auth_;
  insights::EmergingWordsJob& job_;
  store::OutreachStore& outreach_;
  const std::string shipped_lexicon_;
  const RiskKnows risk_knows_;
  auth::AuditTrail& audit_;
  const Today today_;

  std::mutex mu_;
  // The outreach lexicon compiled, and the version it is; guarded by mu_.
  std::int64_t compiled_version_ = -1;
  std::unique_ptr<outreach::Analyzer> analyzer_;
  std::unique_ptr<outreach::Analyzer::Worker> worker_;
};

}  // namespace uitweg::api
