#pragma once
// Runs the review console's scans on this node (api::ScanJobs), one at a time on a thread of its
// own, the others queued in order. A scan compiles its lexicon, reads its files with
// outreach::ScanFiles on `threads` threads, and writes to the store as it goes: its progress at
// most twice a second (the first makes it running), then its findings in batches of a few
// hundred, the flagged posts per category and ISO week, and its end (done; failed when no file
// could be read; cancelled). The upload it read is removed once it has ended.
//
// A scan ended elsewhere (cancelled on another node, whose FinishScan this scan's progress then
// runs into) stops without storing more. Destroying the runner ends every scan of this node:
// queued ones and the running one (with what it found so far) as failed, "the server stopped".
//
// Thread-safe. The store, the uploads and the clock must outlive the runner; destroy it before
// the database closes.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "api/scan_jobs.hpp"
#include "api/upload_folder.hpp"
#include "app/config.hpp"
#include "core/clock.hpp"
#include "outreach/compiled_cache.hpp"
#include "outreach/scan_pipeline.hpp"
#include "store/outreach_store.hpp"

namespace uitweg::app {

class ScanRunner final : public api::ScanJobs {
 public:
  // Findings go to the store this many at a time: one unit each on the writer the chat shares.
  static constexpr std::size_t kFindingBatch = 200;
  static constexpr std::chrono::milliseconds kProgressEvery{500};
  // How long Cancel waits for a running scan to store what it found and end.
  static constexpr std::chrono::seconds kCancelWait{60};

  // What reads the files (outreach::ScanFiles; a test may stand in for it).
  using ScanFunction =
      std::function<outreach::ScanReport(const outreach::Analyzer&, const std::vector<std::string>&,
                                         const outreach::ScanOptions&, outreach::ScanProgress&)>;

  // With `compiled`, a scan's lexicon is compiled once for all scans (outreach::CompiledCache);
  // it must outlive the runner.
  // A scan stops once it has flagged `max_findings` posts, and says so.
  ScanRunner(store::OutreachStore& store, api::UploadFolder& uploads, const core::Clock& clock,
             int threads, ScanFunction scan_files = outreach::ScanFiles,
             const outreach::CompiledCache* compiled = nullptr,
             std::size_t max_findings = OutreachSettings{}.max_findings);
  ~ScanRunner() override;
  ScanRunner(const ScanRunner&) = delete;
  ScanRunner& operator=(const ScanRunner&) = delete;

  void Submit(api::ScanJob job) override;
  bool Cancel(std::int64_t scan_id) override;
  bool Holds(std::string_view upload_id) const override;

 private:
  enum class Stop { no, cancelled, server_stopping };

  void Run();
  // Scans `job` to its end; `progress.cancel` stops it early.
  void Scan(const api::ScanJob& job, outreach::ScanProgress& progress);
  // Ends a scan that never ran (cancelled while queued, or the server stopping).
  void EndQueued(const api::ScanJob& job, store::ScanStatus status, const std::string& error);
  Stop StopOf(std::int64_t scan_id);

  store::OutreachStore& store_;
  api::UploadFolder& uploads_;
  const core::Clock& clock_;
  const int threads_;
  const ScanFunction scan_files_;
  const outreach::CompiledCache* const compiled_;
  const std::size_t max_findings_;

  // Guarded by mutex_:
  mutable std::mutex mutex_;
  std::condition_variable wake_;   // a job was queued, or the runner stops
  std::condition_variable ended_;  // the running scan ended
  std::deque<api::ScanJob> queue_;
  std::optional<std::int64_t> running_scan_;
  std::string running_upload_;
  outreach::ScanProgress* running_progress_ = nullptr;
  bool cancel_running_ = false;
  bool stopping_ = false;

  std::thread thread_;  // last: starts once everything above is ready
};

}  // namespace uitweg::app
