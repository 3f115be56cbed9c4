#include "outreach/scan_pipeline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <memory>
#include <mutex>
#include <set>
#include <string_view>
#include <thread>

#include "outreach/near_duplicates.hpp"
#include "outreach/post_batch.hpp"
#include "outreach/readers/export_reader.hpp"
#include "outreach/work_queue.hpp"

namespace uitweg::outreach {
namespace {

// The first problem of each file, by position: batches of one file fail on different threads.
class Failures {
 public:
  explicit Failures(std::size_t files) : slots_(files) {}

  void Record(std::size_t file, std::size_t offset, core::Error error) {
    std::lock_guard lock(mutex_);
    Slot& slot = slots_[file];
    if (!slot.failed || offset < slot.offset) {
      slot.failed = true;
      slot.offset = offset;
      slot.error = std::move(error);
    }
  }

  // Stands for whatever else the file's batches met: it explains them.
  void Replace(std::size_t file, core::Error error) {
    std::lock_guard lock(mutex_);
    slots_[file] = Slot{true, 0, std::move(error)};
  }

  std::vector<core::Error> Take() {
    std::lock_guard lock(mutex_);
    std::vector<core::Error> out;
    for (Slot& slot : slots_) {
      if (slot.failed) out.push_back(std::move(slot.error));
    }
    return out;
  }

 private:
  struct Slot {
    bool failed = false;
    std::size_t offset = 0;
    core::Error error;
  };
  // Guarded by mutex_:
  std::mutex mutex_;
  std::vector<Slot> slots_;
};

// An input file shared by the batches cut from it, closed when the last of them is read: a scan
// of many files holds only those in flight, not a mapping (and a shrink guard) for each.
class OpenFile {
 public:
  OpenFile(readers::InputFile file, std::size_t index, Failures& failures)
      : file_(std::move(file)), index_(index), failures_(failures) {}
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
  // Every batch has been read by now: what a shrink made them read explains their failures.
  ~OpenFile() {
    if (!file_.Shrunk()) return;
    failures_.Replace(
        index_,
        core::Fail(core::Errc::invalid_argument,
                   file_.name() + ": the file got shorter while it was read (was it changed during "
                                  "the scan?) or could not be read; scan it again"));
  }

  const readers::InputFile& file() const { return file_; }
  std::size_t index() const { return index_; }

 private:
  readers::InputFile file_;
  std::size_t index_;
  Failures& failures_;
};

struct WorkItem {
  readers::Batch batch;
  std::shared_ptr<const OpenFile> file;  // keeps batch.file open
};

FlaggedPost Flag(const Post& post, Finding finding) {
  FlaggedPost flagged;
  flagged.source = std::string(post.source);
  flagged.chat = std::string(post.chat);
  flagged.message_id = post.message_id;
  flagged.date_unix = post.date_unix;
  flagged.text = post.text;
  flagged.author = post.author;
  flagged.finding = std::move(finding);
  flagged.fingerprint = Fingerprint(post.text);
  return flagged;
}

// How many posts all workers flagged, against ScanOptions::max_flagged.
struct FlaggedCount {
  std::size_t max = 0;  // 0: no limit
  std::atomic<std::size_t> taken{0};
  std::atomic<bool> full{false};

  // Whether one more may be kept; the first refusal marks the scan full.
  bool Take() {
    if (max == 0 || taken.fetch_add(1) < max) return true;
    full = true;
    return false;
  }
};

void RunWorker(const Analyzer& analyzer, Analyzer::Worker& worker, WorkQueue<WorkItem>& queue,
               double min_score, Failures& failures, ScanProgress& progress, FlaggedCount& count,
               std::vector<FlaggedPost>& flagged) {
  readers::BatchDecoder decoder;
  // The posts of a batch are analysed together, with one Hyperscan scan (Analyzer::AnalyzeBatch).
  PostBatch posts;
  std::vector<PostFinding> found;
  const readers::PostVisitor visit = [&](const Post& post) { posts.Add(post); };
  while (std::optional<WorkItem> item = queue.Pop()) {
    const readers::Batch& batch = item->batch;
    posts.Clear();
    try {
      core::Status status = decoder.Decode(batch, visit);
      if (!status) failures.Record(item->file->index(), batch.begin, status.error());
      const std::span<const Post> batch_posts = posts.posts();
      found.clear();
      analyzer.AnalyzeBatch(batch_posts, worker, min_score, found);
      for (PostFinding& post : found) {
        if (post.finding.score > 0 && count.Take()) {
          flagged.push_back(Flag(batch_posts[post.post], std::move(post.finding)));
        }
      }
    } catch (const std::exception& e) {
      failures.Record(
          item->file->index(), batch.begin,
          batch.file->ErrorAt(batch.begin, fmt::format("internal error: {}", e.what())));
    }
    progress.bytes_done += batch.end - batch.begin;
    progress.posts += posts.size();
  }
}

// Telegram Desktop saves an export as a folder with result.json in it; accept the folder.
std::string ExportPath(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_directory(path, error)) return path;
  const std::filesystem::path result = std::filesystem::path(path) / "result.json";
  return std::filesystem::is_regular_file(result, error) ? result.string() : path;
}

bool Before(const FlaggedPost& a, const FlaggedPost& b) {
  if (a.finding.score != b.finding.score) return a.finding.score > b.finding.score;
  if (a.source != b.source) return a.source < b.source;
  if (a.chat != b.chat) return a.chat < b.chat;
  return a.message_id < b.message_id;
}

// Clusters the sorted posts, so cluster numbers follow the report's order, and gathers each
// cluster's channels.
void AssignClusters(const NearDuplicateOptions& options, ScanReport& report) {
  NearDuplicateClusters clusters(options);
  for (const FlaggedPost& post : report.flagged) clusters.Add(post.fingerprint);
  const std::vector<std::uint32_t> numbers = clusters.ClusterNumbers();
  std::set<std::pair<std::uint32_t, std::string_view>> seen;
  for (std::size_t i = 0; i < report.flagged.size(); ++i) {
    FlaggedPost& post = report.flagged[i];
    post.cluster = numbers[i];
    if (post.cluster > report.cluster_channels.size()) report.cluster_channels.resize(post.cluster);
    const std::string& channel = post.chat.empty() ? post.source : post.chat;
    if (seen.emplace(post.cluster, channel).second) {
      report.cluster_channels[post.cluster - 1].push_back(channel);
    }
  }
  report.clusters = static_cast<std::uint32_t>(report.cluster_channels.size());
}

}  // namespace

ScanReport ScanFiles(const Analyzer& analyzer, const std::vector<std::string>& paths,
                     const ScanOptions& options, ScanProgress& progress) {
  const std::size_t threads = static_cast<std::size_t>(std::max(1, options.threads));
  WorkQueue<WorkItem> queue(threads * 4);
  Failures failures(paths.size());
  std::vector<std::vector<FlaggedPost>> flagged(threads);
  FlaggedCount count{.max = options.max_flagged};
  std::vector<std::unique_ptr<Analyzer::Worker>> workers;
  for (std::size_t i = 0; i < threads; ++i) workers.push_back(analyzer.NewWorker());

  std::vector<std::thread> pool;
  for (std::size_t i = 0; i < threads; ++i) {
    pool.emplace_back(RunWorker, std::cref(analyzer), std::ref(*workers[i]), std::ref(queue),
                      options.min_score, std::ref(failures), std::ref(progress), std::ref(count),
                      std::ref(flagged[i]));
  }

  ScanReport report;
  readers::ExportCutter cutter;
  const auto stopped = [&] { return progress.cancel || count.full; };
  for (std::size_t i = 0; i < paths.size() && !stopped(); ++i) {
    core::Result<readers::InputFile> opened = readers::InputFile::Open(
        ExportPath(paths[i]), {.refuse_link = options.refuse_links, .cancel = &progress.cancel});
    if (!opened) {
      // A cancel while a pipe was read is no failure of the file.
      if (!stopped()) failures.Record(i, 0, opened.error());
      continue;
    }
    auto open = std::make_shared<const OpenFile>(std::move(*opened), i, failures);
    const readers::InputFile& file = open->file();
    progress.bytes_total += file.size();
    std::size_t cut_to = 0;
    readers::ReadWindow window(file);
    core::Status cut = cutter.Cut(file, [&](const readers::Batch& batch) {
      if (stopped()) return false;
      queue.Push(WorkItem{batch, open});
      cut_to = batch.end;
      window.ReadTo(cut_to);
      return true;
    });
    if (!cut) failures.Record(i, cut_to, cut.error());
    report.bytes += file.size();
  }
  queue.Close();
  for (std::thread& t : pool) t.join();
  report.full = count.full;
  if (!stopped()) progress.bytes_done = progress.bytes_total.load();

  for (std::vector<FlaggedPost>& part : flagged) {
    std::move(part.begin(), part.end(), std::back_inserter(report.flagged));
  }
  std::sort(report.flagged.begin(), report.flagged.end(), Before);
  AssignClusters(options.near_duplicates, report);
  report.failures = failures.Take();
  report.posts = progress.posts.load();
  return report;
}

}  // namespace uitweg::outreach
