// uitweg-store-bench: durable Append throughput of the SQLite conversation store with 1, 8 and
// 64 appends in flight (each its own conversation; each one answered once committed with
// fsync, on a completion thread as in the server, which then sends that conversation's next
// one). Prints a table and one JSON object per run. Never a pass/fail test. With --encrypted
// the store is wrapped in EncryptingConversationStore (encryption at rest), so that the two
// runs side by side show what sealing bodies costs.
//
//   uitweg-store-bench [--dir PATH] [--seconds S] [--callers 1,8,64] [--max-batch N]
//                      [--encrypted]
//
// The database goes into a fresh folder under --dir (default: the system temp folder), which
// must be on the disk you want to measure; it is removed afterwards.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "core/log.hpp"
#include "core/testing/task_thread.hpp"
#include "crypto/aead.hpp"
#include "store/encrypting_conversation_store.hpp"
#include "store/sqlite/sqlite_conversation_store.hpp"
#include "store/sqlite/sqlite_database.hpp"
#include "store/test_database.hpp"

namespace {

using namespace uitweg;
using Clock = std::chrono::steady_clock;

struct Options {
  std::filesystem::path dir = std::filesystem::temp_directory_path();
  double seconds = 3.0;
  std::vector<int> callers = {1, 8, 64};
  std::size_t max_batch = 512;
  bool encrypted = false;
};

struct Outcome {
  int callers = 0;
  std::uint64_t appends = 0;
  std::uint64_t failures = 0;
  double seconds = 0;
  double mean_batch = 0;
  double work_share = 0;    // of the wall time, the writer ran units
  double commit_share = 0;  // of the wall time, the writer waited in COMMIT
  std::uint64_t checkpoints = 0;
  double wal_mib = 0;  // size of the write-ahead log at the end of the run
  double p50_us = 0;
  double p99_us = 0;
  double cpu_us_per_append = 0;  // the whole process: callers, writer, checkpointer, kernel
};

double ProcessCpuSeconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

bool ParseOptions(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--encrypted") {
      options.encrypted = true;
      continue;
    }
    if (i + 1 >= argc) return false;
    const std::string value = argv[++i];
    if (arg == "--dir") {
      options.dir = value;
    } else if (arg == "--seconds") {
      options.seconds = std::atof(value.c_str());
      if (options.seconds <= 0) return false;
    } else if (arg == "--max-batch") {
      options.max_batch = static_cast<std::size_t>(std::atol(value.c_str()));
    } else if (arg == "--callers") {
      options.callers.clear();
      std::size_t start = 0;
      while (start <= value.size()) {
        const std::size_t comma = std::min(value.find(',', start), value.size());
        const int count = std::atoi(value.substr(start, comma - start).c_str());
        if (count <= 0) return false;
        options.callers.push_back(count);
        start = comma + 1;
      }
    } else {
      return false;
    }
  }
  return true;
}

double Percentile(std::vector<double>& sorted, double fraction) {
  if (sorted.empty()) return 0;
  const auto index = static_cast<std::size_t>(fraction * static_cast<double>(sorted.size() - 1));
  return sorted[index];
}

Outcome Run(const Options& options, int callers) {
  const auto folder = options.dir / ("uitweg-store-bench-" + std::to_string(::getpid()) + "-" +
                                     std::to_string(callers));
  std::filesystem::remove_all(folder);
  Outcome outcome{.callers = callers};
  {
    core::testing::TaskThread completions;
    core::testing::TaskThread key_reads;
    auto opened =
        store::OpenSqliteDatabase(store::SqliteOptions{.path = (folder / "bench.db").string(),
                                                       .reader_count = 2,
                                                       .max_batch = options.max_batch,
                                                       .completions = completions.post()});
    if (!opened) {
      std::fprintf(stderr, "cannot open the store: %s\n", opened.error().message.c_str());
      std::exit(1);
    }
    auto& sqlite = dynamic_cast<store::sqlite::SqliteConversationStore&>(*opened->conversations);
    std::unique_ptr<store::ConversationStore> owner = std::move(opened->conversations);
    if (options.encrypted) {
      owner = std::make_unique<store::EncryptingConversationStore>(
          std::move(owner), crypto::MasterKeys::Fixed({crypto::Aead::Generate()}).value(),
          key_reads.post());
    }
    store::ConversationStore& db = *owner;
    for (int c = 0; c < callers; ++c) {
      (void)store::Await<model::Conversation>([&](store::Done<model::Conversation> done) {
        db.Create(store::NewConversation{.id = "c_" + std::to_string(c),
                                         .resume_token_hash = "r" + std::to_string(c),
                                         .subject = model::Subject::self,
                                         .nickname = "",
                                         .urgency = 0,
                                         .created_at = 0},
                  done);
      });
    }
    const store::WriterStats before = sqlite.Stats();
    const std::uint64_t checkpoints_before = sqlite.Checkpoints();
    std::atomic<bool> stop{false};
    std::atomic<std::uint64_t> failures{0};
    std::atomic<int> running{callers};
    std::vector<std::vector<double>> latencies(static_cast<std::size_t>(callers));
    const std::string body(120, 'x');
    // One chain per conversation: each answer (on the completion thread) sends the next.
    std::function<void(int, std::uint64_t)> send = [&](int c, std::uint64_t n) {
      const auto t0 = Clock::now();
      db.Append(store::NewMessage{.conversation_id = "c_" + std::to_string(c),
                                  .sender = model::Sender::visitor,
                                  .author_id = std::nullopt,
                                  .client_id = std::to_string(n),
                                  .body = body,
                                  .created_at = 0},
                [&, c, n, t0](core::Result<store::Appended> appended) {
                  if (!appended || appended->duplicate) ++failures;
                  latencies[static_cast<std::size_t>(c)].push_back(
                      std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
                  if (stop.load(std::memory_order_relaxed)) {
                    --running;
                    return;
                  }
                  send(c, n + 1);
                });
    };
    const double cpu_before = ProcessCpuSeconds();
    const auto started = Clock::now();
    for (int c = 0; c < callers; ++c) send(c, 0);
    std::this_thread::sleep_for(std::chrono::duration<double>(options.seconds));
    stop = true;
    while (running.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    outcome.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    const double cpu_seconds = ProcessCpuSeconds() - cpu_before;
    const store::WriterStats after = sqlite.Stats();
    outcome.checkpoints = sqlite.Checkpoints() - checkpoints_before;
    std::error_code ignored;
    outcome.wal_mib =
        static_cast<double>(std::filesystem::file_size(folder / "bench.db-wal", ignored)) /
        (1024.0 * 1024.0);
    const auto batches = after.batches - before.batches;
    outcome.mean_batch = batches == 0 ? 0
                                      : static_cast<double>(after.units - before.units) /
                                            static_cast<double>(batches);
    outcome.work_share =
        static_cast<double>(after.work_micros - before.work_micros) / 1e6 / outcome.seconds;
    outcome.commit_share =
        static_cast<double>(after.commit_micros - before.commit_micros) / 1e6 / outcome.seconds;
    std::vector<double> all;
    for (auto& mine : latencies) all.insert(all.end(), mine.begin(), mine.end());
    std::sort(all.begin(), all.end());
    outcome.appends = all.size();
    outcome.failures = failures.load();
    outcome.p50_us = Percentile(all, 0.50);
    outcome.p99_us = Percentile(all, 0.99);
    outcome.cpu_us_per_append =
        all.empty() ? 0 : cpu_seconds * 1e6 / static_cast<double>(all.size());
  }
  std::filesystem::remove_all(folder);
  return outcome;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseOptions(argc, argv, options)) {
    std::fprintf(stderr,
                 "usage: uitweg-store-bench [--dir PATH] [--seconds S] [--callers 1,8,64] "
                 "[--max-batch N] [--encrypted]\n");
    return 2;
  }
  core::SetLogLevel(core::LogLevel::warn);
  std::vector<Outcome> outcomes;
  for (int callers : options.callers) outcomes.push_back(Run(options, callers));

  fmt::print("durable Append, SQLite WAL synchronous=FULL, max_batch={}, {}, dir={}\n",
             options.max_batch, options.encrypted ? "encrypted at rest" : "plaintext",
             options.dir.string());
  fmt::print("{:>8} {:>10} {:>12} {:>11} {:>10} {:>10} {:>7} {:>7} {:>9}\n", "callers", "appends",
             "appends/s", "mean batch", "p50 us", "p99 us", "work%", "fsync%", "failures");
  for (const auto& o : outcomes) {
    fmt::print(
        "{:>8} {:>10} {:>12.0f} {:>11.1f} {:>10.0f} {:>10.0f} {:>7.0f} {:>7.0f} {:>9.1f} {:>9}\n",
        o.callers, o.appends, static_cast<double>(o.appends) / o.seconds, o.mean_batch, o.p50_us,
        o.p99_us, 100 * o.work_share, 100 * o.commit_share, o.cpu_us_per_append, o.failures);
  }
  for (const auto& o : outcomes) {
    fmt::print(
        "{{\"bench\":\"store_append\",\"encrypted\":{},\"callers\":{},\"appends\":{},\"seconds\":{:"
        ".3f},"
        "\"appends_per_s\":{:.1f},\"mean_batch\":{:.2f},\"p50_us\":{:.1f},\"p99_us\":{:.1f},"
        "\"writer_work_share\":{:.3f},\"writer_commit_share\":{:.3f},\"checkpoints\":{},"
        "\"wal_mib\":{:.1f},\"cpu_us_per_append\":{:.1f},\"failures\":{}}}\n",
        options.encrypted, o.callers, o.appends, o.seconds,
        static_cast<double>(o.appends) / o.seconds, o.mean_batch, o.p50_us, o.p99_us, o.work_share,
        o.commit_share, o.checkpoints, o.wal_mib, o.cpu_us_per_append, o.failures);
  }
  return 0;
}
