#pragma once
// The outreach review console of one node, put together from the configuration ([outreach],
// docs/operations.md): the uploads folder (DATA/outreach/uploads), the import folder, the scan
// runner with its compiled lexicons (DATA/outreach/compiled), and the handlers of its routes. Also
// its part of retention, which both the server's retention job and `uitweg retention run` call.
//
// Scans that were queued or running when a node stopped: a node that stops in order ends them
// itself (ScanRunner). After a crash, a single-node SQLite deployment marks them failed
// ("interrupted by a restart") at start-up, since no other node can be running them; on a
// shared PostgreSQL database another node may be, so they are left as they are, for an analyst
// to cancel (docs/operations.md).

#include <filesystem>
#include <memory>
#include <string_view>

#include "api/import_folder.hpp"
#include "api/lexicon_api.hpp"
#include "api/outreach_api.hpp"
#include "api/staff_auth.hpp"
#include "api/upload_folder.hpp"
#include "app/config.hpp"
#include "app/scan_runner.hpp"
#include "auth/audit_trail.hpp"
#include "core/clock.hpp"
#include "store/database.hpp"

namespace uitweg::app {

// The lexicon built into the binary (lexicon/nl-recruitment.toml): version 0.
std::string_view ShippedRecruitmentLexicon();

// Blanks the texts of findings older than the settings keep them; returns how many.
core::Result<std::int64_t> PurgeFindingTexts(store::OutreachStore& store, const core::Clock& clock,
                                             const OutreachSettings& settings);

class OutreachConsole {
 public:
  // `import_folder` is the one settings.import_folder names, opened before the database (a
  // mistyped folder stops the start before the schema is touched). Errors: the store's.
  static core::Result<std::unique_ptr<OutreachConsole>> Create(
      const OutreachSettings& settings, api::ImportFolder import_folder,
      const std::filesystem::path& data_dir, store::Database& database, api::StaffAuth& auth,
      auth::AuditTrail& audit, const core::Clock& clock);

  api::OutreachApi& api() { return api_; }
  api::LexiconApi& lexicon() { return lexicon_; }

  // Retention: finding texts past their time, and uploads no scan took within a day. Logs
  // failures. Blocking; for a worker.
  void Purge();

 private:
  OutreachConsole(const OutreachSettings& settings, const std::filesystem::path& data_dir,
                  store::Database& database, api::StaffAuth& auth, auth::AuditTrail& audit,
                  const core::Clock& clock, api::ImportFolder import_folder,
                  std::shared_ptr<const outreach::TextModel> model);

  const OutreachSettings settings_;
  store::OutreachStore& store_;
  const core::Clock& clock_;
  api::UploadFolder uploads_;
  const api::ImportFolder import_folder_;
  const outreach::CompiledCache compiled_;
  ScanRunner runner_;
  api::OutreachApi api_;
  api::LexiconApi lexicon_;
};

}  // namespace uitweg::app
