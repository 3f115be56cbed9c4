#include "app/outreach_console.hpp"

#include <thread>

#include "core/log.hpp"
#include "outreach/lexicon.hpp"

namespace uitweg::app {
namespace {

// The scan leaves half the machine to the chat.
int ScanThreads() {
  const unsigned hardware = std::thread::hardware_concurrency();
  return hardware > 1 ? static_cast<int>(hardware / 2) : 1;
}

// The shipped model (model/nl-recruitment.model, found as `uitweg scan` finds it); null, and
// logged, when there is none: scans then score with the lexicon alone.
std::shared_ptr<const outreach::TextModel> ShippedModel() {
  const std::string path = outreach::DefaultModelPath("");
  std::error_code missing;
  if (!std::filesystem::exists(path, missing)) {
    core::Log(core::LogLevel::warn, "outreach.no_model",
              {{"path", path}, {"note", "scans score with the lexicon alone"}});
    return nullptr;
  }
  auto model = outreach::TextModel::Load(path);
  if (!model) {
    core::Log(core::LogLevel::warn, "outreach.model_unusable", {{"error", model.error().message}});
    return nullptr;
  }
  return std::make_shared<const outreach::TextModel>(std::move(*model));
}

}  // namespace

core::Result<std::int64_t> PurgeFindingTexts(store::OutreachStore& store, const core::Clock& clock,
                                             const OutreachSettings& settings) {
  return store.PurgeFindingTexts(clock.Now() - settings.keep_finding_texts_ms);
}

core::Result<std::unique_ptr<OutreachConsole>> OutreachConsole::Create(
    const OutreachSettings& settings, api::ImportFolder import_folder,
    const std::filesystem::path& data_dir, store::Database& database, api::StaffAuth& auth,
    auth::AuditTrail& audit, const core::Clock& clock) {
  if (!database.changes) {
    UITWEG_TRY_ASSIGN(const std::int64_t interrupted,
                      database.outreach->MarkInterruptedScans(clock.Now()));
    if (interrupted > 0) {
      core::Log(core::LogLevel::warn, "outreach.scans_interrupted", {{"scans", interrupted}});
    }
  }
  return std::unique_ptr<OutreachConsole>(new OutreachConsole(
      settings, data_dir, database, auth, audit, clock, std::move(import_folder), ShippedModel()));
}

OutreachConsole::OutreachConsole(const OutreachSettings& settings,
                                 const std::filesystem::path& data_dir, store::Database& database,
                                 api::StaffAuth& auth, auth::AuditTrail& audit,
                                 const core::Clock& clock, api::ImportFolder import_folder,
                                 std::shared_ptr<const outreach::TextModel> model)
    : settings_(settings),
      store_(*database.outreach),
      clock_(clock),
      uploads_(data_dir / "outreach" / "uploads", clock),
      import_folder_(std::move(import_folder)),
      compiled_(data_dir / "outreach" / "compiled"),
      runner_(store_, uploads_, clock, ScanThreads(), outreach::ScanFiles, &compiled_,
              settings.max_findings),
      api_(auth, audit, clock,
           api::OutreachParts{.store = store_,
                              .accounts = *database.accounts,
                              .uploads = uploads_,
                              .import_folder = import_folder_,
                              .jobs = runner_,
                              .max_upload_bytes = settings.max_upload_bytes,
                              .shipped_lexicon = std::string(ShippedRecruitmentLexicon()),
                              .model = std::move(model)}),
      lexicon_(auth, store_, *database.accounts, audit, clock,
               std::string(ShippedRecruitmentLexicon())) {}

void OutreachConsole::Purge() {
  if (auto purged = PurgeFindingTexts(store_, clock_, settings_); !purged) {
    core::Log(core::LogLevel::warn, "outreach.purge_failed",
              {{"code", core::ErrcName(purged.error().code)}});
  } else if (*purged > 0) {
    core::Log(core::LogLevel::info, "outreach.texts_purged", {{"findings", *purged}});
  }
  const std::int64_t removed =
      uploads_.Sweep([this](std::string_view id) { return runner_.Holds(id); });
  if (removed > 0)
    core::Log(core::LogLevel::info, "outreach.uploads_removed", {{"uploads", removed}});
}

}  // namespace uitweg::app
