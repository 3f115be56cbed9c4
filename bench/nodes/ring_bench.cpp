// uitweg-ring-bench: how long the doorbell between nodes takes, from one node's Ring to another
// node's hearing it (store/postgres/change_feed.hpp), on a durable PostgreSQL of its own while
// other connections commit at a steady rate, as the nodes' writers do. Every ring names an id of
// its own, so each is timed. Prints the latency percentiles and one JSON object. Never a
// pass/fail test.
//
//   uitweg-ring-bench [--seconds S] [--rings-per-s N] [--commits-per-s N]
//
// The server's folder goes under the system temp folder ($TMPDIR), which must be on the disk you
// want to measure (a ring's commit and the writers' commits share its flushes).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "store/postgres/change_feed.hpp"
#include "store/postgres/connection.hpp"
#include "support/postgres_server.hpp"

namespace {

using namespace uitweg;
using Clock = std::chrono::steady_clock;

struct Options {
  double seconds = 10.0;
  double rings_per_s = 300;
  double commits_per_s = 300;
};

bool Parse(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) return false;
    const double value = std::atof(argv[++i]);
    if (value <= 0) return false;
    if (flag == "--seconds") {
      options.seconds = value;
    } else if (flag == "--rings-per-s") {
      options.rings_per_s = value;
    } else if (flag == "--commits-per-s") {
      options.commits_per_s = value;
    } else {
      return false;
    }
  }
  return true;
}

// Durable single-row commits at `per_second`, until `stop`; how many failed.
std::uint64_t Commit(const std::string& url, double per_second, const std::atomic<bool>& stop) {
  auto db = store::postgres::Connection::Open(url);
  if (!db) {
    std::fprintf(stderr, "the committing connection: %s\n", db.error().message.c_str());
    return 1;
  }
  std::uint64_t failed = 0;
  const auto gap =
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / per_second));
  auto next = Clock::now();
  for (std::int64_t i = 0; !stop; ++i) {
    if (!(*db)->Query("INSERT INTO committed (n, body) VALUES ($1, repeat('x', 300))", {i})) {
      ++failed;
    }
    next += gap;
    std::this_thread::sleep_until(next);
  }
  return failed;
}

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto index = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1));
  return sorted[index];
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!Parse(argc, argv, options)) {
    std::fprintf(stderr,
                 "usage: uitweg-ring-bench [--seconds S] [--rings-per-s N] [--commits-per-s N]\n");
    return 2;
  }
  auto server = support::PostgresServer::Start({.durable = true});
  if (!server) {
    std::fprintf(stderr, "PostgreSQL: %s\n", server.error().message.c_str());
    return 1;
  }
  auto url = support::CreateDatabase((*server)->url());
  if (!url) {
    std::fprintf(stderr, "PostgreSQL: %s\n", url.error().message.c_str());
    return 1;
  }
  if (auto admin = store::postgres::Connection::Open(*url);
      !admin || !(*admin)->Exec("CREATE TABLE committed (n BIGINT, body TEXT)")) {
    std::fprintf(stderr, "PostgreSQL: cannot create the table\n");
    return 1;
  }

  // Committing from before the first ring to after the last.
  std::atomic<bool> stop = false;
  std::uint64_t commit_failures = 0;
  std::thread committer([&] { commit_failures = Commit(*url, options.commits_per_s, stop); });
  const auto stop_committing = [&] {
    stop = true;
    committer.join();
  };

  std::mutex mu;
  std::condition_variable heard_first;
  std::unordered_map<std::string, Clock::time_point> sent;
  std::vector<double> latencies_ms;
  std::uint64_t heard = 0;
  std::uint64_t reconnects = 0;  // the listener's connection broke: rings may be missed
  bool measuring = false;
  store::postgres::PostgresChangeFeed ringer(*url, "ringer");
  store::postgres::PostgresChangeFeed listener(*url, "listener");
  // A feed sends its rings from the thread that Listen starts.
  ringer.Listen([](std::vector<store::Rung>) {});
  listener.Listen([&](std::vector<store::Rung> rung) {
    const auto now = Clock::now();
    std::lock_guard lock(mu);
    if (rung.empty()) ++reconnects;
    for (const store::Rung& each : rung) {
      ++heard;
      const auto at = sent.find(each.conversation_id);
      if (at == sent.end()) continue;
      if (measuring) {
        latencies_ms.push_back(std::chrono::duration<double, std::milli>(now - at->second).count());
      }
      sent.erase(at);
    }
    heard_first.notify_all();
  });
  // The listener listens once it has heard a ring.
  {
    std::unique_lock lock(mu);
    for (int i = 0; i < 100 && heard == 0; ++i) {
      lock.unlock();
      ringer.Ring("warm_" + std::to_string(i), store::Change::entries);
      lock.lock();
      heard_first.wait_for(lock, std::chrono::milliseconds(100), [&] { return heard > 0; });
    }
    if (heard == 0) {
      std::fprintf(stderr, "the listener heard nothing\n");
      lock.unlock();
      stop_committing();
      return 1;
    }
    sent.clear();
    measuring = true;
  }

  const auto gap = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(1.0 / options.rings_per_s));
  const auto end = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(options.seconds));
  std::uint64_t rung = 0;
  for (auto next = Clock::now(); next < end; next += gap) {
    std::this_thread::sleep_until(next);
    const std::string id = "r_" + std::to_string(rung++);
    {
      std::lock_guard lock(mu);
      sent.emplace(id, Clock::now());
    }
    ringer.Ring(id, store::Change::entries);
  }
  // Whatever is still on its way gets a second to arrive.
  {
    std::unique_lock lock(mu);
    heard_first.wait_for(lock, std::chrono::seconds(1), [&] { return sent.empty(); });
  }
  stop_committing();

  std::lock_guard lock(mu);
  std::sort(latencies_ms.begin(), latencies_ms.end());
  const double p50 = Percentile(latencies_ms, 0.50);
  const double p99 = Percentile(latencies_ms, 0.99);
  const double p999 = Percentile(latencies_ms, 0.999);
  const double max = latencies_ms.empty() ? 0 : latencies_ms.back();
  fmt::print(
      "rings {}  heard {}  unheard {}  ring to heard: p50 {:.2f} ms  p99 {:.2f} ms  p999 {:.2f} "
      "ms  max {:.2f} ms  (beside {:.0f} durable commits a second, {} failed; {} reconnects)\n",
      rung, latencies_ms.size(), sent.size(), p50, p99, p999, max, options.commits_per_s,
      commit_failures, reconnects);
  fmt::print(
      "{{\"bench\":\"uitweg-ring-bench\",\"seconds\":{},\"rings_per_s\":{},\"commits_per_s\":{},"
      "\"rings\":{},\"heard\":{},\"unheard\":{},\"p50_ms\":{:.3f},\"p99_ms\":{:.3f},"
      "\"p999_ms\":{:.3f},\"max_ms\":{:.3f},\"reconnects\":{}}}\n",
      options.seconds, options.rings_per_s, options.commits_per_s, rung, latencies_ms.size(),
      sent.size(), p50, p99, p999, max, reconnects);
  return 0;
}
