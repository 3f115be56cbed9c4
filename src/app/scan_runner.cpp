#include "app/scan_runner.hpp"

#include <algorithm>
#include <filesystem>
#include <future>

#include <fmt/format.h>

#include "app/scan_findings.hpp"
#include "core/log.hpp"
#include "outreach/analyzer.hpp"

namespace uitweg::app {
namespace {

constexpr std::string_view kServerStopped = "the server stopped before the scan ended";
// Failed files named in a scan that still found what the others hold.
constexpr std::size_t kFailuresShown = 3;

// What findings and messages call `path`: its shown name, else its file name.
std::string ShownName(const api::ScanJob& job, std::string_view path) {
  if (auto found = job.shown_names.find(path); found != job.shown_names.end()) {
    return found->second;
  }
  return std::filesystem::path(path).filename().string();
}

// `message` with every server path of the job replaced by its shown name.
std::string Shown(const api::ScanJob& job, std::string message) {
  // Longest first, so that a folder does not replace the start of its result.json.
  std::vector<std::pair<std::string_view, std::string_view>> names(job.shown_names.begin(),
                                                                   job.shown_names.end());
  std::sort(names.begin(), names.end(),
            [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  for (const auto& [path, shown] : names) {
    for (std::size_t at = message.find(path); at != std::string::npos;
         at = message.find(path, at + shown.size())) {
      message.replace(at, path.size(), shown);
    }
  }
  return message;
}

std::int64_t Signed(std::uint64_t count) {
  return static_cast<std::int64_t>(std::min<std::uint64_t>(count, INT64_MAX));
}

}  // namespace

ScanRunner::ScanRunner(store::OutreachStore& store, api::UploadFolder& uploads,
                       const core::Clock& clock, int threads, ScanFunction scan_files,
                       const outreach::CompiledCache* compiled, std::size_t max_findings)
    : store_(store),
      uploads_(uploads),
      clock_(clock),
      threads_(std::max(1, threads)),
      scan_files_(std::move(scan_files)),
      compiled_(compiled),
      max_findings_(max_findings),
      thread_([this] { Run(); }) {}

ScanRunner::~ScanRunner() {
  std::deque<api::ScanJob> queued;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    if (running_progress_ != nullptr) running_progress_->cancel = true;
    queued.swap(queue_);
  }
  wake_.notify_all();
  for (const api::ScanJob& job : queued) {
    EndQueued(job, store::ScanStatus::failed, std::string(kServerStopped));
  }
  thread_.join();
}

void ScanRunner::Submit(api::ScanJob job) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back(std::move(job));
      wake_.notify_all();
      return;
    }
  }
  EndQueued(job, store::ScanStatus::failed, std::string(kServerStopped));
}

bool ScanRunner::Cancel(std::int64_t scan_id) {
  std::unique_lock lock(mutex_);
  for (auto it = queue_.begin(); it != queue_.end(); ++it) {
    if (it->scan_id != scan_id) continue;
    api::ScanJob job = std::move(*it);
    queue_.erase(it);
    lock.unlock();
    EndQueued(job, store::ScanStatus::cancelled, {});
    return true;
  }
  if (running_scan_ != scan_id) return false;
  cancel_running_ = true;
  running_progress_->cancel = true;
  // Logged once the scan is told, not once it has stopped: a scan held up reading its input (a
  // slow disk, a named pipe in the import folder) shows as asked to stop, and the time to its
  // outreach.scan_ended is how long the cancel took.
  core::Log(core::LogLevel::info, "outreach.scan_cancelling", {{"scan", scan_id}});
  ended_.wait_for(lock, kCancelWait, [&] { return running_scan_ != scan_id; });
  return true;
}

bool ScanRunner::Holds(std::string_view upload_id) const {
  if (upload_id.empty()) return false;
  std::lock_guard lock(mutex_);
  if (running_upload_ == upload_id) return true;
  return std::any_of(queue_.begin(), queue_.end(),
                     [&](const api::ScanJob& job) { return job.upload_id == upload_id; });
}

ScanRunner::Stop ScanRunner::StopOf(std::int64_t scan_id) {
  std::lock_guard lock(mutex_);
  if (stopping_) return Stop::server_stopping;
  if (cancel_running_ && running_scan_ == scan_id) return Stop::cancelled;
  return Stop::no;
}

void ScanRunner::EndQueued(const api::ScanJob& job, store::ScanStatus status,
                           const std::string& error) {
  // As at a scan's end: gone before the end is recorded.
  if (!job.upload_id.empty()) uploads_.Remove(job.upload_id);
  core::Status ended = store_.FinishScan(
      job.scan_id, store::ScanEnd{.status = status, .error = error, .finished_at = clock_.Now()});
  if (!ended && ended.error().code != core::Errc::failed_precondition) {
    core::Log(core::LogLevel::warn, "outreach.scan_end_failed",
              {{"scan", job.scan_id}, {"code", core::ErrcName(ended.error().code)}});
  }
}

void ScanRunner::Run() {
  for (;;) {
    api::ScanJob job;
    outreach::ScanProgress progress;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
      running_scan_ = job.scan_id;
      running_upload_ = job.upload_id;
      running_progress_ = &progress;
      cancel_running_ = false;
    }
    try {
      Scan(job, progress);
    } catch (const std::exception& e) {
      core::Log(core::LogLevel::error, "outreach.scan_threw",
                {{"scan", job.scan_id}, {"error", e.what()}});
      (void)store_.FinishScan(job.scan_id, store::ScanEnd{.status = store::ScanStatus::failed,
                                                          .error = "the scan failed unexpectedly",
                                                          .finished_at = clock_.Now()});
    }
    // Also after a scan that threw before its end.
    if (!job.upload_id.empty()) uploads_.Remove(job.upload_id);
    {
      std::lock_guard lock(mutex_);
      running_scan_.reset();
      running_upload_.clear();
      running_progress_ = nullptr;
    }
    ended_.notify_all();
  }
}

void ScanRunner::Scan(const api::ScanJob& job, outreach::ScanProgress& progress) {
  const auto started_at = std::chrono::steady_clock::now();
  const std::int64_t id = job.scan_id;
  const auto finish = [&](store::ScanStatus status, std::string error, std::int64_t posts,
                          std::int64_t flagged, std::int64_t clusters) {
    // Gone before the end is recorded: whoever sees the scan ended finds its upload gone too.
    if (!job.upload_id.empty()) uploads_.Remove(job.upload_id);
    core::Status ended = store_.FinishScan(id, store::ScanEnd{.status = status,
                                                              .error = std::move(error),
                                                              .posts = posts,
                                                              .flagged = flagged,
                                                              .clusters = clusters,
                                                              .finished_at = clock_.Now()});
    if (!ended && ended.error().code != core::Errc::failed_precondition) {
      core::Log(core::LogLevel::warn, "outreach.scan_end_failed",
                {{"scan", id}, {"code", core::ErrcName(ended.error().code)}});
    }
    core::Log(core::LogLevel::info, "outreach.scan_ended",
              {{"scan", id},
               {"status", store::ScanStatusName(status)},
               {"posts", posts},
               {"flagged", flagged},
               {"ms", std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                                started_at)
                          .count()}});
  };
  // Whether the scan is still this node's to write: false once it ended elsewhere.
  const auto report_progress = [&]() -> bool {
    const std::int64_t done = Signed(progress.bytes_done.load());
    const std::int64_t total =
        std::max({job.bytes_total, Signed(progress.bytes_total.load()), done});
    core::Status written =
        store_.UpdateScanProgress(id, done, total, Signed(progress.posts.load()));
    if (written) return true;
    if (written.error().code != core::Errc::failed_precondition) {
      core::Log(core::LogLevel::warn, "outreach.scan_progress_failed",
                {{"scan", id}, {"code", core::ErrcName(written.error().code)}});
      return true;
    }
    return false;
  };

  if (!report_progress()) return;
  auto analyzer = outreach::Analyzer::Create(job.lexicon, job.model, compiled_);
  if (!analyzer) {
    finish(store::ScanStatus::failed, analyzer.error().message, 0, 0, 0);
    return;
  }
  const outreach::ScanOptions options{.threads = threads_,
                                      .min_score = (*analyzer)->min_score(),
                                      .near_duplicates = {},
                                      .max_flagged = max_findings_,
                                      .refuse_links = true};
  std::future<outreach::ScanReport> scanning = std::async(
      std::launch::async, [&] { return scan_files_(**analyzer, job.paths, options, progress); });
  bool ended_elsewhere = false;
  while (scanning.wait_for(kProgressEvery) != std::future_status::ready) {
    if (!ended_elsewhere && !report_progress()) {
      ended_elsewhere = true;
      progress.cancel = true;
    }
  }
  const outreach::ScanReport report = scanning.get();
  if (ended_elsewhere) return;

  const Stop stop = StopOf(id);
  const std::int64_t posts = Signed(report.posts);
  if (stop == Stop::no && report.posts == 0 && !report.failures.empty()) {
    finish(store::ScanStatus::failed, Shown(job, report.failures.front().message), 0, 0, 0);
    return;
  }
  std::vector<store::Finding> batch;
  for (std::size_t i = 0; i < report.flagged.size(); ++i) {
    const outreach::FlaggedPost& post = report.flagged[i];
    const std::size_t channels = post.cluster > 0 && post.cluster <= report.cluster_channels.size()
                                     ? report.cluster_channels[post.cluster - 1].size()
                                     : 1;
    batch.push_back(
        StoredFinding(post, ShownName(job, post.source), static_cast<std::int64_t>(channels)));
    if (batch.size() < kFindingBatch && i + 1 < report.flagged.size()) continue;
    core::Status added = store_.AddFindings(id, batch);
    batch.clear();
    if (!added && added.error().code == core::Errc::failed_precondition) return;
    if (!added) {
      finish(store::ScanStatus::failed,
             "the findings could not be stored: " + added.error().message, posts, 0, 0);
      return;
    }
  }
  if (!report_progress()) return;

  std::string error;
  store::ScanStatus status = store::ScanStatus::done;
  if (stop == Stop::cancelled) status = store::ScanStatus::cancelled;
  if (stop == Stop::server_stopping) {
    status = store::ScanStatus::failed;
    error = kServerStopped;
  } else {
    if (report.full) {
      error = fmt::format(
          "stopped after {} flagged posts, so the rest was not read: the lexicon flags too much "
          "of this export; raise its min_score or narrow its terms",
          max_findings_);
    }
    for (std::size_t i = 0; i < report.failures.size() && i < kFailuresShown; ++i) {
      if (!error.empty()) error += "; ";
      error += Shown(job, report.failures[i].message);
    }
  }
  finish(status, std::move(error), posts, Signed(report.flagged.size()), report.clusters);
}

}  // namespace uitweg::app
