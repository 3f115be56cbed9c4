#include "app/scan_runner.hpp"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "core/testing/test_folder.hpp"
#include "store/sqlite/sqlite_test_database.hpp"

namespace uitweg::app {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kLexicon = R"(
[lexicon]
name = "runner test"
min_score = 4

[[term]]
text = "pinpas uitlenen"
category = "money_mule"
weight = 5

[[term]]
text = "snel geld"
category = "quick_money"
weight = 2
)";

constexpr std::int64_t kAnalyst = 3;

class ScanRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ = store::sqlite::SqliteTestBackend().create();
    auto opened = database_->Open();
    ASSERT_TRUE(opened) << opened.error().message;
    stores_ = std::move(*opened);
    runner_ = std::make_unique<ScanRunner>(store(), uploads_, clock_, 2);
  }
  void TearDown() override { runner_.reset(); }

  store::OutreachStore& store() { return *stores_.outreach; }

  // A queued scan of an upload holding `text`.
  api::ScanJob Job(const std::string& text) {
    const api::Upload upload = uploads_.Create("posts.jsonl", text.size(), kAnalyst).value();
    EXPECT_TRUE(uploads_.Append(upload.id, kAnalyst, 0, text));
    return JobOf(upload.file.string(), upload.id, static_cast<std::int64_t>(text.size()));
  }
  api::ScanJob JobOf(const std::string& path, const std::string& upload_id, std::int64_t bytes) {
    const store::Scan scan = store()
                                 .CreateScan(store::NewScan{.created_by = kAnalyst,
                                                            .created_at = clock_.Now(),
                                                            .source_name = "posts.jsonl",
                                                            .bytes_total = bytes})
                                 .value();
    api::ScanJob job;
    job.scan_id = scan.id;
    job.paths = {path};
    job.shown_names[path] = "posts.jsonl";
    job.bytes_total = bytes;
    job.lexicon = outreach::Lexicon::Parse(kLexicon, "test").value();
    job.upload_id = upload_id;
    return job;
  }
  // Waits (at most 20 s) until the scan has ended; its last state.
  store::Scan Ended(std::int64_t scan_id) {
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    for (;;) {
      const store::Scan scan = store().FindScan(scan_id).value().value();
      if (scan.finished_at || std::chrono::steady_clock::now() > deadline) return scan;
      std::this_thread::sleep_for(10ms);
    }
  }
  // Waits until the scan is running.
  void Running(std::int64_t scan_id) {
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (store().FindScan(scan_id).value()->status != store::ScanStatus::running) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline);
      std::this_thread::sleep_for(10ms);
    }
  }

  core::testing::TestFolder folder_{"scan-runner"};
  core::ManualClock clock_;
  api::UploadFolder uploads_{folder_ / "uploads", clock_};
  std::unique_ptr<store::TestDatabase> database_;
  store::Database stores_;
  std::unique_ptr<ScanRunner> runner_;
};

TEST_F(ScanRunnerTest, AScanStoresItsFindingsItsWeeksAndItsEndAndRemovesTheUpload) {
  const std::string posts =
      R"({"message_id": 1, "date": 1767225600, "channel": "Snel Geld NL", "author": "kev", )"
      R"("text": "Pinpas uitlenen? Snel geld!"})"
      "\n"
      R"({"message_id": 2, "date": 1767225600, "channel": "Buurt", "text": "Goedemorgen"})"
      "\n"
      R"({"message_id": 3, "date": 1767312000, "channel": "Anders", "author": "kev", )"
      R"("text": "pinpas uitlenen, snel geld"})"
      "\n";
  api::ScanJob job = Job(posts);
  const std::int64_t id = job.scan_id;
  const std::string upload = job.upload_id;
  runner_->Submit(std::move(job));
  const store::Scan scan = Ended(id);
  EXPECT_EQ(scan.status, store::ScanStatus::done) << scan.error;
  EXPECT_EQ(scan.posts, 3);
  EXPECT_EQ(scan.flagged, 2);
  EXPECT_EQ(scan.clusters, 1);
  EXPECT_EQ(scan.bytes_done, static_cast<std::int64_t>(posts.size()));

  const store::FindingPage page = store().ListFindings(id, {}).value();
  ASSERT_EQ(page.total, 2);
  const store::Finding& first = page.findings[0];
  EXPECT_EQ(first.source, "posts.jsonl");
  EXPECT_EQ(first.author, "kev");
  EXPECT_EQ(first.cluster, 1);
  EXPECT_EQ(first.cluster_channels, 2);
  EXPECT_EQ(first.terms, (std::vector<std::string>{"pinpas uitlenen", "snel geld"}));

  const auto weeks = store().ReadWeekCounts("2026-W01", "2026-W01").value();
  ASSERT_EQ(weeks.size(), 2u);
  EXPECT_EQ(weeks[0].category, "money_mule");
  EXPECT_EQ(weeks[0].count, 2);
  // The runner lets go of the upload just after it records the end.
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (runner_->Holds(upload) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_FALSE(runner_->Holds(upload));
  EXPECT_EQ(uploads_.Find(upload, kAnalyst).error().code, core::Errc::not_found);
}

// A lexicon that flags nearly everything must not make the server hold an export's worth of
// posts: the scan stops at max_findings, keeps what it found and says why it stopped.
TEST_F(ScanRunnerTest, AScanThatFlagsTooMuchStopsAndSaysSo) {
  runner_ = std::make_unique<ScanRunner>(store(), uploads_, clock_, 2, outreach::ScanFiles, nullptr,
                                         /*max_findings=*/10);
  constexpr int kPosts = 200'000;
  std::string posts;
  for (int i = 0; i < kPosts; ++i)
    posts += R"({"text": "pinpas uitlenen"})"
             "\n";
  api::ScanJob job = Job(posts);
  const std::int64_t id = job.scan_id;
  runner_->Submit(std::move(job));
  const store::Scan scan = Ended(id);
  EXPECT_EQ(scan.status, store::ScanStatus::done);
  EXPECT_EQ(scan.flagged, 10);
  EXPECT_EQ(store().ListFindings(id, {}).value().total, 10);
  EXPECT_LT(scan.posts, kPosts) << "the scan read on after it was full";
  EXPECT_NE(scan.error.find("stopped after 10 flagged posts"), std::string::npos) << scan.error;
}

// Scans of one lexicon compile it once: the second finds the same from the compiled cache.
TEST_F(ScanRunnerTest, ScansOfOneLexiconCompileItOnce) {
  const std::filesystem::path compiled = folder_ / "compiled";
  const outreach::CompiledCache cache(compiled);
  runner_ = std::make_unique<ScanRunner>(store(), uploads_, clock_, 2, outreach::ScanFiles, &cache);
  const std::string posts =
      R"({"message_id": 1, "date": 1767225600, "channel": "Snel Geld NL", "author": "kev", )"
      R"("text": "Pinpas uitlenen? Snel geld!"})"
      "\n";
  std::vector<std::int64_t> flagged;
  for (int scan = 0; scan < 2; ++scan) {
    api::ScanJob job = Job(posts);
    const std::int64_t id = job.scan_id;
    runner_->Submit(std::move(job));
    const store::Scan ended = Ended(id);
    EXPECT_EQ(ended.status, store::ScanStatus::done) << ended.error;
    flagged.push_back(ended.flagged);
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(compiled)) {
      files += entry.path().extension() == ".hsdb" ? 1 : 0;
    }
    EXPECT_EQ(files, 1u);
  }
  EXPECT_EQ(flagged, (std::vector<std::int64_t>{1, 1}));
  runner_.reset();
}

TEST_F(ScanRunnerTest, AFileThatCannotBeReadFailsTheScanNamingItAsShown) {
  api::ScanJob job = JobOf((folder_ / "gone.jsonl").string(), {}, 0);
  job.shown_names.clear();
  job.shown_names[(folder_ / "gone.jsonl").string()] = "week 7/gone.jsonl";
  const std::int64_t id = job.scan_id;
  runner_->Submit(std::move(job));
  const store::Scan scan = Ended(id);
  EXPECT_EQ(scan.status, store::ScanStatus::failed);
  EXPECT_NE(scan.error.find("week 7/gone.jsonl"), std::string::npos) << scan.error;
  EXPECT_EQ(scan.error.find(folder_.path().string()), std::string::npos) << scan.error;
}

// A scan that reads nothing until it is told to stop, then reports one post it flagged.
class HeldScanRunnerTest : public ScanRunnerTest {
 protected:
  void SetUp() override {
    ScanRunnerTest::SetUp();
    runner_ = std::make_unique<ScanRunner>(
        store(), uploads_, clock_, 1,
        [this](const outreach::Analyzer&, const std::vector<std::string>&,
               const outreach::ScanOptions&, outreach::ScanProgress& progress) {
          const auto deadline = std::chrono::steady_clock::now() + 20s;
          while (!progress.cancel && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(1ms);
          }
          outreach::ScanReport report;
          report.posts = 1;
          outreach::FlaggedPost post;
          post.text = "pinpas uitlenen";
          post.chat = "Kanaal";
          post.cluster = 1;
          post.finding.score = 5;
          post.finding.categories = {"money_mule"};
          report.flagged.push_back(post);
          report.clusters = 1;
          report.cluster_channels = {{"Kanaal"}};
          return report;
        });
  }
};

TEST_F(HeldScanRunnerTest, ScansRunOneAtATimeAndAQueuedOneIsCancelledAtOnce) {
  api::ScanJob running = Job(R"({"text": "pinpas uitlenen"})");
  api::ScanJob queued = Job(R"({"text": "pinpas uitlenen, snel geld"})");
  const std::int64_t first = running.scan_id;
  const std::int64_t second = queued.scan_id;
  const std::string upload = queued.upload_id;
  runner_->Submit(std::move(running));
  runner_->Submit(std::move(queued));
  Running(first);
  EXPECT_EQ(store().FindScan(second).value()->status, store::ScanStatus::queued);
  EXPECT_TRUE(runner_->Holds(upload));

  EXPECT_TRUE(runner_->Cancel(second));
  EXPECT_EQ(store().FindScan(second).value()->status, store::ScanStatus::cancelled);
  EXPECT_FALSE(runner_->Holds(upload));
  EXPECT_FALSE(runner_->Cancel(999));

  // The running one stores what it found so far, then ends cancelled; Cancel waits for that.
  EXPECT_TRUE(runner_->Cancel(first));
  const store::Scan scan = store().FindScan(first).value().value();
  EXPECT_EQ(scan.status, store::ScanStatus::cancelled);
  EXPECT_EQ(scan.flagged, 1);
  EXPECT_EQ(store().ListFindings(first, {}).value().total, 1);
}

TEST_F(HeldScanRunnerTest, StoppingTheRunnerEndsItsScansAsFailed) {
  api::ScanJob running = Job(R"({"text": "pinpas uitlenen"})");
  api::ScanJob queued = Job(R"({"text": "pinpas uitlenen"})");
  const std::int64_t first = running.scan_id;
  const std::int64_t second = queued.scan_id;
  runner_->Submit(std::move(running));
  runner_->Submit(std::move(queued));
  Running(first);
  runner_.reset();
  for (const std::int64_t id : {first, second}) {
    const store::Scan scan = store().FindScan(id).value().value();
    EXPECT_EQ(scan.status, store::ScanStatus::failed) << id;
    EXPECT_EQ(scan.error, "the server stopped before the scan ended") << id;
  }
  EXPECT_EQ(store().ListFindings(first, {}).value().total, 1);
}

TEST(ScanPipelineCancelTest, ACancelledScanReadsNothingMore) {
  core::testing::TestFolder folder("scan-cancel");
  const std::string path = (folder / "posts.jsonl").string();
  std::ofstream(path) << R"({"text": "pinpas uitlenen"})"
                      << "\n";
  auto lexicon = outreach::Lexicon::Parse(kLexicon, "test").value();
  auto analyzer = outreach::Analyzer::Create(lexicon).value();
  outreach::ScanProgress progress;
  progress.cancel = true;
  const outreach::ScanReport report =
      outreach::ScanFiles(*analyzer, {path, path}, outreach::ScanOptions{}, progress);
  EXPECT_EQ(report.posts, 0u);
  EXPECT_TRUE(report.flagged.empty());
  EXPECT_EQ(progress.bytes_done.load(), 0u);
}

// The files of the scan's folder mapped into this process now, by /proc/self/maps.
std::size_t MappedFrom(const std::filesystem::path& folder) {
  std::ifstream maps("/proc/self/maps");
  std::size_t mapped = 0;
  for (std::string line; std::getline(maps, line);) {
    mapped += line.find(folder.string()) != std::string::npos ? 1 : 0;
  }
  return mapped;
}

// A zip of many small files must not hold a mapping of each until the scan ends: the process
// has a limit on mappings (and on the files whose shrinking it can survive) that the chat
// shares.
TEST(ScanPipelineFilesTest, AFileIsClosedOnceItsPostsAreRead) {
  core::testing::TestFolder folder("scan-many");
  std::vector<std::string> paths;
  for (int i = 0; i < 3000; ++i) {
    paths.push_back((folder / ("posts-" + std::to_string(i) + ".txt")).string());
    std::ofstream(paths.back()) << "pinpas uitlenen " << i << "\n";
  }
  auto lexicon = outreach::Lexicon::Parse(kLexicon, "test").value();
  auto analyzer = outreach::Analyzer::Create(lexicon).value();
  outreach::ScanProgress progress;
  std::atomic<bool> done{false};
  std::size_t most = 0;
  std::thread watcher([&] {
    while (!done) most = std::max(most, MappedFrom(folder.path()));
  });
  const outreach::ScanReport report =
      outreach::ScanFiles(*analyzer, paths, outreach::ScanOptions{.threads = 2}, progress);
  done = true;
  watcher.join();
  EXPECT_EQ(report.posts, 3000u);
  EXPECT_TRUE(report.failures.empty());
  EXPECT_GT(most, 0u) << "no file was seen mapped: the watch proves nothing";
  // What the work queue holds (4 per thread), what each thread reads, and the one being cut.
  EXPECT_LE(most, 2u * 4 + 2 + 1);
}

}  // namespace
}  // namespace uitweg::app
