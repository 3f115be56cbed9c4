// uitweg-load: connects visitors and counsellors to a uitweg server over WebSockets, lets
// messages flow both ways at a set rate (or as fast as acks return) and reports delivery
// latency, throughput, and the server's CPU and memory cost. Never a pass/fail test.

#include <signal.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <random>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "load/options.hpp"
#include "load/process_stats.hpp"
#include "load/worker.hpp"
#include "support/server_process.hpp"
#include "support/staff.hpp"

namespace {

using namespace uitweg;
using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

constexpr char kPassword[] = "load generator password";
constexpr double kSlowSecondP99Ms = 5;

void RaiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

double ClientCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

boost::json::object LatencyJson(const load::Percentiles& p) {
  return {{"count", p.count}, {"p50_ms", p.p50_ms}, {"p99_ms", p.p99_ms}, {"p999_ms", p.p999_ms},
          {"max_ms", p.max_ms}};
}

std::string Maybe(double value, const char* format, bool known) {
  return known ? fmt::format(fmt::runtime(format), value) : std::string("n/a");
}

int Run(const load::LoadOptions& options) {
  RaiseFileLimit();
  signal(SIGPIPE, SIG_IGN);
  const std::string binary = options.server_bin.empty() ? support::UitwegBinary() : options.server_bin;

  std::unique_ptr<support::ServerProcess> server;
  load::Target target;
  target.host = boost::asio::ip::make_address_v4(options.host);
  pid_t server_pid = options.server_pid;
  std::string data_dir = options.data_dir;
  if (options.url.empty()) {
    server = std::make_unique<support::ServerProcess>(std::vector<std::string>{}, binary);
    if (auto st = server->Start(); !st) {
      std::cerr << "uitweg-load: could not start the server: " << st.error().message << "\n"
                << server->Stderr();
      return 1;
    }
    target.port = server->port();
    server_pid = server->pid();
    data_dir = server->data_dir().string();
  } else {
    target.port = options.port;
  }
  target.origin = "http://" + options.host + ":" + std::to_string(target.port);

  const auto rss_before = server_pid ? load::ProcessRssKiB(server_pid) : core::Result<std::int64_t>(0);
  std::mt19937_64 random{std::random_device{}()};
  const std::string run_id = fmt::format("{:06x}", random() & 0xffffff);
  const auto epoch = SteadyClock::now();
  load::Progress progress;
  std::vector<std::unique_ptr<load::Worker>> workers;
  for (int t = 0; t < options.threads; ++t) {
    workers.push_back(std::make_unique<load::Worker>(options, target, progress, epoch));
  }
  std::cerr << "creating " << options.counsellors << " counsellors...\n";
  for (int m = 0; m < options.counsellors; ++m) {
    const std::string username = fmt::format("load-{}-{}", run_id, m);
    if (auto st = support::AddStaff(data_dir, username, kPassword, "counsellor", binary); !st) {
      std::cerr << "uitweg-load: " << st.error().message << "\n";
      return 1;
    }
    auto session = support::SignIn(target.port, username, kPassword);
    if (!session) {
      std::cerr << "uitweg-load: sign-in failed: " << session.error().message << "\n";
      return 1;
    }
    workers[static_cast<std::size_t>(m % options.threads)]->AddCounsellor(session->cookie);
  }
  for (int v = 0; v < options.visitors; ++v) {
    const int m = v % options.counsellors;
    workers[static_cast<std::size_t>(m % options.threads)]->AddVisitor(v, m / options.threads);
  }

  std::cerr << "connecting " << options.visitors << " visitors...\n";
  const auto setup_start = SteadyClock::now();
  for (auto& worker : workers) worker->Start();
  auto last_note = setup_start;
  while (progress.visitors_ready + progress.failed < options.visitors &&
         SteadyClock::now() - setup_start < std::chrono::duration<double>(options.setup_timeout_s)) {
    std::this_thread::sleep_for(50ms);
    if (SteadyClock::now() - last_note > 5s) {
      last_note = SteadyClock::now();
      std::cerr << "  " << progress.visitors_ready << " ready, " << progress.failed << " failed\n";
    }
  }
  const double setup_s = std::chrono::duration<double>(SteadyClock::now() - setup_start).count();
  const int ready = progress.visitors_ready;
  const int connections = ready + progress.counsellors_ready;
  std::this_thread::sleep_for(500ms);

  const auto rss_connected = server_pid ? load::ProcessRssKiB(server_pid) : core::Result<std::int64_t>(0);
  const auto cpu_before = server_pid ? load::ProcessCpuSeconds(server_pid) : core::Result<double>(0.0);
  const double client_cpu_before = ClientCpuSeconds();
  const int dropped_before = progress.dropped;
  std::cerr << "traffic for " << options.duration_s << " s...\n";
  const auto traffic_start = SteadyClock::now();
  for (auto& worker : workers) worker->BeginTraffic();
  std::this_thread::sleep_for(std::chrono::duration<double>(options.duration_s));
  for (auto& worker : workers) worker->EndTraffic();
  const double traffic_s = std::chrono::duration<double>(SteadyClock::now() - traffic_start).count();
  const std::uint64_t acked_in_window = progress.acked;
  const std::uint64_t delivered_in_window = progress.delivered;
  const auto cpu_after = server_pid ? load::ProcessCpuSeconds(server_pid) : core::Result<double>(0.0);
  const double client_cpu = ClientCpuSeconds() - client_cpu_before;
  // Let messages in flight arrive: until every message sent is acknowledged and delivered, or
  // nothing has moved for 3 s (at most 60 s).
  const auto drain_start = SteadyClock::now();
  auto last_move = drain_start;
  std::uint64_t last_done = 0;
  for (;;) {
    const std::uint64_t sent = progress.sent, acked = progress.acked, delivered = progress.delivered;
    if ((acked >= sent && delivered >= sent) || SteadyClock::now() - last_move > 3s ||
        SteadyClock::now() - drain_start > 60s) {
      break;
    }
    if (acked + delivered != last_done) {
      last_done = acked + delivered;
      last_move = SteadyClock::now();
    }
    std::this_thread::sleep_for(20ms);
  }
  const double drain_s = std::chrono::duration<double>(SteadyClock::now() - drain_start).count();
  const int dropped = progress.dropped - dropped_before;
  for (auto& worker : workers) worker->Join();

  load::WorkerStats total;
  for (auto& worker : workers) {
    const load::WorkerStats& s = worker->stats();
    total.sent += s.sent;
    total.acked += s.acked;
    total.duplicate_acks += s.duplicate_acks;
    total.delivered += s.delivered;
    total.duplicated += s.duplicated;
    total.lost += s.lost;
    total.error_frames += s.error_frames;
    total.delivery_us.insert(total.delivery_us.end(), s.delivery_us.begin(), s.delivery_us.end());
    total.delivery_second.insert(total.delivery_second.end(), s.delivery_second.begin(),
                                 s.delivery_second.end());
    total.ack_us.insert(total.ack_us.end(), s.ack_us.begin(), s.ack_us.end());
    total.counsellor_ack_us.insert(total.counsellor_ack_us.end(), s.counsellor_ack_us.begin(),
                                   s.counsellor_ack_us.end());
    if (total.first_error_frame.empty()) total.first_error_frame = s.first_error_frame;
  }
  const std::vector<load::SecondSummary> seconds =
      load::SummarisePerSecond(total.delivery_us, total.delivery_second);
  const auto slow_seconds = std::count_if(seconds.begin(), seconds.end(), [](const load::SecondSummary& s) {
    return s.latency.p99_ms > kSlowSecondP99Ms;
  });
  const load::Percentiles delivery = load::Summarise(total.delivery_us);
  const load::Percentiles visitor_ack = load::Summarise(total.ack_us);
  const load::Percentiles counsellor_ack = load::Summarise(total.counsellor_ack_us);
  // Rates count what completed inside the window; the drain only settles latency and loss.
  const double delivered_per_s = static_cast<double>(delivered_in_window) / traffic_s;
  const double acked_per_s = static_cast<double>(acked_in_window) / traffic_s;
  const bool have_cpu = server_pid && cpu_before && cpu_after;
  const double server_cpu = have_cpu ? *cpu_after - *cpu_before : 0;
  const double cpu_per_million = total.acked ? server_cpu / static_cast<double>(total.acked) * 1e6 : 0;
  const bool have_rss = server_pid && rss_before && rss_connected && connections > 0;
  const double rss_mib = have_rss ? static_cast<double>(*rss_connected) / 1024 : 0;
  const double rss_per_conn_kib = have_rss ? static_cast<double>(*rss_connected) / connections : 0;
  const double marginal_kib =
      have_rss ? static_cast<double>(*rss_connected - *rss_before) / connections : 0;

  std::string first_failure;
  {
    std::lock_guard lock(progress.mu);
    first_failure = progress.first_failure;
  }
  fmt::print("uitweg-load  mode={}  visitors={}  counsellors={}  {}  duration={:.1f}s  threads={}\n",
             options.saturate ? "saturate" : "rate", options.visitors, options.counsellors,
             options.saturate ? fmt::format("window={}", options.window)
                              : fmt::format("rate={:.0f}/s", options.rate),
             traffic_s, options.threads);
  fmt::print("  {:<24} {} ready of {} in {:.1f} s, {} failed{}\n", "setup", ready, options.visitors,
             setup_s, progress.failed.load(), first_failure.empty() ? "" : " (first: " + first_failure + ")");
  fmt::print("  {:<24} sent {}  acked {}  delivered {}  lost {}  duplicated {}  duplicate acks {}  error frames {}  "
             "dropped sockets {}\n",
             "messages", total.sent, total.acked, total.delivered, total.lost, total.duplicated,
             total.duplicate_acks, total.error_frames, dropped);
  fmt::print("  {:<24} {:.0f} msg/s acknowledged (durable), {:.0f} msg/s delivered; drain took {:.1f} s\n",
             "throughput", acked_per_s, delivered_per_s, drain_s);
  fmt::print("  {:<24} p50 {:.2f} ms  p99 {:.2f} ms  p999 {:.2f} ms  max {:.2f} ms  (n={})\n",
             "delivery latency", delivery.p50_ms, delivery.p99_ms, delivery.p999_ms, delivery.max_ms,
             delivery.count);
  for (const auto& [name, ack] : {std::pair{"ack latency, visitor", visitor_ack},
                                   std::pair{"ack latency, counsellor", counsellor_ack}}) {
    fmt::print("  {:<24} p50 {:.2f} ms  p99 {:.2f} ms  p999 {:.2f} ms  max {:.2f} ms\n", name, ack.p50_ms,
               ack.p99_ms, ack.p999_ms, ack.max_ms);
  }
  fmt::print("  {:<24} {} of {} seconds had a delivery p99 over {} ms", "slow seconds", slow_seconds,
             seconds.size(), kSlowSecondP99Ms);
  for (std::size_t i = 0; i < seconds.size() && i < 3 && seconds[i].latency.p99_ms > kSlowSecondP99Ms; ++i) {
    fmt::print("{} second {}: p99 {:.1f} ms", i == 0 ? "; worst" : ",", seconds[i].second,
               seconds[i].latency.p99_ms);
  }
  fmt::print("\n");
  fmt::print("  {:<24} {} s over the window, {} s per million messages (client used {:.2f} s)\n",
             "server cpu", Maybe(server_cpu, "{:.2f}", have_cpu), Maybe(cpu_per_million, "{:.1f}", have_cpu),
             client_cpu);
  fmt::print("  {:<24} {} MiB with {} connections: {} KiB per connection ({} KiB above idle)\n",
             "server rss", Maybe(rss_mib, "{:.1f}", have_rss), connections,
             Maybe(rss_per_conn_kib, "{:.1f}", have_rss), Maybe(marginal_kib, "{:.1f}", have_rss));
  if (!total.first_error_frame.empty()) fmt::print("  first error frame: {}\n", total.first_error_frame);

  boost::json::object line{
      {"bench", "uitweg-load"},
      {"mode", options.saturate ? "saturate" : "rate"},
      {"visitors", options.visitors},
      {"counsellors", options.counsellors},
      {"ready", ready},
      {"setup_failed", progress.failed.load()},
      {"setup_s", setup_s},
      {"target_rate", options.saturate ? boost::json::value(nullptr) : boost::json::value(options.rate)},
      {"window", options.window},
      {"duration_s", traffic_s},
      {"sent", total.sent},
      {"acked", total.acked},
      {"delivered", total.delivered},
      {"lost", total.lost},
      {"duplicated", total.duplicated},
      {"duplicate_acks", total.duplicate_acks},
      {"error_frames", total.error_frames},
      {"dropped_sockets", dropped},
      {"drain_s", drain_s},
      {"delivered_per_s", delivered_per_s},
      {"acked_per_s", acked_per_s},
      {"delivery_latency", LatencyJson(delivery)},
      {"visitor_ack_latency", LatencyJson(visitor_ack)},
      {"counsellor_ack_latency", LatencyJson(counsellor_ack)},
      {"seconds_measured", seconds.size()},
      {"seconds_with_p99_over_5ms", slow_seconds},
      {"worst_second_p99_ms", seconds.empty() ? 0.0 : seconds.front().latency.p99_ms},
      {"server_cpu_s", have_cpu ? boost::json::value(server_cpu) : boost::json::value(nullptr)},
      {"server_cpu_s_per_million", have_cpu ? boost::json::value(cpu_per_million) : boost::json::value(nullptr)},
      {"client_cpu_s", client_cpu},
      {"server_rss_kib", have_rss ? boost::json::value(*rss_connected) : boost::json::value(nullptr)},
      {"server_rss_kib_per_connection", have_rss ? boost::json::value(rss_per_conn_kib) : boost::json::value(nullptr)},
      {"server_rss_kib_per_connection_above_idle", have_rss ? boost::json::value(marginal_kib) : boost::json::value(nullptr)},
      {"connections", connections},
  };
  fmt::print("{}\n", boost::json::serialize(line));
  std::fflush(stdout);
  if (server) {
    if (auto stopped = server->Stop(); !stopped) std::cerr << "uitweg-load: " << stopped.error().message << "\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto options = uitweg::load::ParseOptions(argc, argv);
  if (!options) {
    const bool help = options.error().code == uitweg::core::Errc::failed_precondition;
    (help ? std::cout : std::cerr) << options.error().message << (help ? "" : "\n\n" + uitweg::load::Usage());
    return help ? 0 : 2;
  }
  return Run(*options);
}
