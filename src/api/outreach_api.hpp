#pragma once
// The outreach review console's scans (docs/protocol.md, "Outreach"): an analyst uploads a
// channel export in chunks (or names one in the server's import folder), starts a scan of it,
// watches its progress, reviews what it flagged highest score first, gives verdicts (audited
// `outreach_verdict`) and exports them (audited `outreach_exported`). Scans run in the
// background on this node (ScanJobs), one at a time. routes.hpp checks the roles; each handler
// blocks on the store or the disk.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "api/http.hpp"
#include "api/import_folder.hpp"
#include "api/scan_jobs.hpp"
#include "api/staff_auth.hpp"
#include "api/upload_folder.hpp"
#include "auth/audit_trail.hpp"
#include "core/clock.hpp"
#include "outreach/text_model.hpp"
#include "store/account_store.hpp"
#include "store/outreach_store.hpp"

namespace uitweg::api {

// The largest chunk of an upload: what PUT /api/v1/outreach/uploads/{id} alone accepts.
inline constexpr std::size_t kUploadChunkBytes = 8 << 20;

struct OutreachParts {
  store::OutreachStore& store;
  store::AccountStore& accounts;
  UploadFolder& uploads;
  const ImportFolder& import_folder;
  ScanJobs& jobs;
  std::uint64_t max_upload_bytes = 0;
  std::string shipped_lexicon = {};                       // lexicon/nl-recruitment.toml
  std::shared_ptr<const outreach::TextModel> model = {};  // null: scans use the lexicon alone
};

class OutreachApi {
 public:
  OutreachApi(StaffAuth& auth, auth::AuditTrail& audit, const core::Clock& clock,
              OutreachParts parts)
      : auth_(auth), audit_(audit), clock_(clock), parts_(std::move(parts)) {}

  core::Result<Response> CreateUpload(const Request& request);  // POST /api/v1/outreach/uploads
  core::Result<Response> PutChunk(const Request& request);      // PUT  .../uploads/{id}?offset=N
  core::Result<Response> StartScan(const Request& request);     // POST .../scans
  core::Result<Response> Scans(const Request& request);         // GET  .../scans
  core::Result<Response> Scan(const Request& request);          // GET  .../scans/{id}
  core::Result<Response> Cancel(const Request& request);        // POST .../scans/{id}/cancel
  core::Result<Response> Delete(const Request& request);        // DELETE .../scans/{id}
  core::Result<Response> Findings(const Request& request);      // GET  .../scans/{id}/findings
  core::Result<Response> Cluster(const Request& request);       // GET  .../scans/{id}/clusters/{n}
  core::Result<Response> Verdict(const Request& request);       // PUT  .../findings/{id}/verdict
  core::Result<Response> Verdicts(const Request& request);      // GET  .../verdicts.jsonl
  core::Result<Response> Export(const Request& request);        // GET  .../scans/{id}/export

 private:
  // The job for a complete upload (a zip unpacked first), or the error to answer.
  core::Result<ScanJob> UploadJob(const Upload& upload, std::string& source_name,
                                  std::int64_t& bytes);
  core::Result<ScanJob> PathJob(std::string_view path, std::int64_t account_id,
                                std::string& source_name, std::int64_t& bytes);
  // Unpacks the zip `zip` into a folder within `upload`; paths and names into `job`. On an
  // error the upload is removed.
  core::Status Unpack(const Upload& upload, const std::filesystem::path& zip, ScanJob& job,
                      std::int64_t& bytes);
  core::Result<store::Scan> FindScan(const Request& request);
  // Claims `upload_id` for a scan being started (until the job holds it): false when another
  // request claimed it first, so that a double click unpacks or queues one upload once.
  bool ClaimUpload(const std::string& upload_id);
  void ReleaseUpload(const std::string& upload_id);

  StaffAuth& auth_;
  auth::AuditTrail& audit_;
  const core::Clock& clock_;
  OutreachParts parts_;
  std::mutex starting_mu_;
  std::set<std::string> starting_;  // guarded by starting_mu_
};

}  // namespace uitweg::api
