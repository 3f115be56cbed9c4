#include "load/load_run.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "model/staff.hpp"
#include "support/http_client.hpp"
#include "support/staff.hpp"

namespace uitweg::load {
namespace {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

constexpr char kPassword[] = "load generator password";

double ClientCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Each counsellor takes at most their capacity at once (3 unless a supervisor raises it), so a
// run with more visitors than that per counsellor has a supervisor raise every load counsellor's
// capacity through the team API, as a team lead would. Relays have no capacity.
core::Status RaiseCapacities(const LoadOptions& options, const RunTarget& server,
                             const std::string& run_id) {
  const int needed = (options.visitors + options.counsellors - 1) / options.counsellors;
  if (needed <= model::kDefaultCapacity) return {};
  const std::string lead = fmt::format("lead-{}", run_id);
  UITWEG_TRY(support::AddStaff(server.data_dir, lead, kPassword, "supervisor", server.binary));
  UITWEG_TRY_ASSIGN(const support::StaffSession session,
                    support::SignIn(server.target.port, lead, kPassword));
  UITWEG_TRY_ASSIGN(
      const support::HttpResponse team,
      support::HttpGet(server.target.port, "/api/v1/team", {{"Cookie", session.cookie}}));
  if (team.status != 200) {
    return core::Fail(core::Errc::internal,
                      fmt::format("GET /api/v1/team answered {}", team.status));
  }
  UITWEG_TRY_ASSIGN(const boost::json::value listed, team.Json());
  const std::string prefix = fmt::format("load-{}-", run_id);
  const support::Headers headers{
      {"Cookie", session.cookie},
      {"X-CSRF-Token", session.csrf_token},
      {"Origin", fmt::format("http://127.0.0.1:{}", server.target.port)}};
  int raised = 0;
  for (const boost::json::value& member : listed.at("team").as_array()) {
    if (!member.at("display_name").as_string().starts_with(prefix)) continue;
    UITWEG_TRY_ASSIGN(
        const support::HttpResponse set,
        support::HttpCall(
            server.target.port,
            {"POST", fmt::format("/api/v1/team/{}/capacity", member.at("id").as_int64()),
             fmt::format(R"({{"capacity":{}}})", needed), headers}));
    if (set.status != 200) {
      return core::Fail(core::Errc::internal,
                        fmt::format("setting a capacity answered {}: {}", set.status, set.body));
    }
    ++raised;
  }
  if (raised != options.counsellors) {
    return core::Fail(
        core::Errc::internal,
        fmt::format("raised the capacity of {} of {} counsellors", raised, options.counsellors));
  }
  std::cerr << "[" << server.name << "] each counsellor takes " << needed << " at once\n";
  return {};
}

template <class T>
std::optional<T> Known(const core::Result<T>& value) {
  return value ? std::optional<T>(*value) : std::nullopt;
}

// The CPU-seconds of each --cost-pid label's processes, in the order the labels first appear;
// nothing for a label one of whose processes could not be read.
std::vector<std::pair<std::string, std::optional<double>>> CostCpu(const LoadOptions& options) {
  std::vector<pid_t> roots;
  for (const auto& each : options.cost_pids) roots.push_back(each.second);
  const auto read = ProcessTreesCpuSeconds(roots);
  std::vector<std::pair<std::string, std::optional<double>>> sums;
  for (std::size_t i = 0; i < roots.size(); ++i) {
    const std::string& label = options.cost_pids[i].first;
    auto sum = std::find_if(sums.begin(), sums.end(),
                            [&](const auto& entry) { return entry.first == label; });
    if (sum == sums.end()) sum = sums.insert(sums.end(), {label, 0.0});
    const std::optional<double> cpu = read ? (*read)[i] : std::nullopt;
    sum->second = cpu && sum->second ? std::optional(*sum->second + *cpu) : std::nullopt;
  }
  return sums;
}

}  // namespace

std::optional<double> RunResult::ServerCpuPerMillion() const {
  return server_cpu_s ? PerMillion(*server_cpu_s) : std::nullopt;
}

std::optional<double> RunResult::PerMillion(double cpu_s) const {
  if (acked == 0) return std::nullopt;
  return cpu_s / static_cast<double>(acked) * 1e6;
}

std::optional<double> RunResult::CostCpuSum() const {
  double sum = 0;
  for (const auto& [label, cpu_s] : cost_cpu_s) {
    if (!cpu_s) return std::nullopt;
    sum += *cpu_s;
  }
  return sum;
}

std::optional<double> RunResult::RssPerConnectionKib() const {
  if (!rss_connected_kib || connections == 0) return std::nullopt;
  return static_cast<double>(*rss_connected_kib) / connections;
}

std::optional<double> RunResult::RssGrowthPerConnectionKib() const {
  if (!rss_connected_kib || !rss_empty_kib || connections == 0) return std::nullopt;
  return static_cast<double>(*rss_connected_kib - *rss_empty_kib) / connections;
}

core::Result<RunResult> RunLoad(const LoadOptions& options, const RunTarget& server) {
  RunResult result;
  result.server = server.name;
  const pid_t pid = server.pid;
  // The empty server: once it has settled from start-up, before anyone connects.
  std::this_thread::sleep_for(500ms);
  if (pid) result.rss_empty_kib = Known(ProcessRssKiB(pid));

  std::mt19937_64 random{std::random_device{}()};
  const std::string run_id = fmt::format("{:06x}", random() & 0xffffff);
  const auto epoch = SteadyClock::now();
  Progress progress;
  std::vector<std::unique_ptr<Worker>> workers;
  for (int t = 0; t < options.threads; ++t) {
    workers.push_back(std::make_unique<Worker>(options, server.target, progress, epoch));
  }
  std::cerr << "[" << server.name << "] creating " << options.counsellors << " counsellors...\n";
  for (int m = 0; m < options.counsellors; ++m) {
    const std::string username = fmt::format("load-{}-{}", run_id, m);
    if (!server.data_dir.empty()) {
      if (auto st =
              support::AddStaff(server.data_dir, username, kPassword, "counsellor", server.binary);
          !st) {
        return st.error();
      }
    }
    auto session = support::SignIn(server.target.port, username, kPassword);
    if (!session)
      return core::Fail(session.error().code, "sign-in failed: " + session.error().message);
    workers[static_cast<std::size_t>(m % options.threads)]->AddCounsellor(session->cookie);
  }
  if (!server.data_dir.empty()) UITWEG_TRY(RaiseCapacities(options, server, run_id));
  for (int v = 0; v < options.visitors; ++v) {
    const int m = v % options.counsellors;
    workers[static_cast<std::size_t>(m % options.threads)]->AddVisitor(v, m / options.threads);
  }

  std::cerr << "[" << server.name << "] connecting " << options.visitors << " visitors...\n";
  const auto setup_start = SteadyClock::now();
  for (auto& worker : workers) worker->Start();
  auto last_note = setup_start;
  while (progress.visitors_ready + progress.failed < options.visitors &&
         SteadyClock::now() - setup_start <
             std::chrono::duration<double>(options.setup_timeout_s)) {
    std::this_thread::sleep_for(50ms);
    if (SteadyClock::now() - last_note > 5s) {
      last_note = SteadyClock::now();
      std::cerr << "  " << progress.visitors_ready << " ready, " << progress.failed << " failed\n";
    }
  }
  result.setup_s = std::chrono::duration<double>(SteadyClock::now() - setup_start).count();
  result.ready = progress.visitors_ready;
  result.connections = result.ready + progress.counsellors_ready;
  std::this_thread::sleep_for(500ms);

  if (pid) result.rss_connected_kib = Known(ProcessRssKiB(pid));
  const auto cpu_before = pid ? Known(ProcessCpuSeconds(pid)) : std::nullopt;
  const auto cost_before = CostCpu(options);
  const double client_cpu_before = ClientCpuSeconds();
  const int dropped_before = progress.dropped;
  std::cerr << "[" << server.name << "] traffic for " << options.duration_s << " s...\n";
  // Relays sign anyone in without a hash; sign-ins only mean something against uitweg.
  std::optional<SignInDriver> sign_ins;
  if (options.sign_ins_per_second > 0 && !server.data_dir.empty()) {
    std::vector<std::string> usernames;
    for (int m = 0; m < options.counsellors; ++m) {
      usernames.push_back(fmt::format("load-{}-{}", run_id, m));
    }
    sign_ins.emplace(server.target.port, std::move(usernames), kPassword,
                     options.sign_ins_per_second);
  }
  const auto traffic_start = SteadyClock::now();
  for (auto& worker : workers) worker->BeginTraffic();
  if (sign_ins) sign_ins->Start();
  std::this_thread::sleep_for(std::chrono::duration<double>(options.duration_s));
  if (sign_ins) result.sign_ins = sign_ins->Stop();
  for (auto& worker : workers) worker->EndTraffic();
  result.traffic_s = std::chrono::duration<double>(SteadyClock::now() - traffic_start).count();
  const std::uint64_t acked_in_window = progress.acked;
  const std::uint64_t delivered_in_window = progress.delivered;
  // Let messages in flight arrive: until every message sent is acknowledged and delivered, or
  // nothing has moved for 3 s (at most 60 s).
  const auto drain_start = SteadyClock::now();
  auto last_move = drain_start;
  std::uint64_t last_done = 0;
  for (;;) {
    const std::uint64_t sent = progress.sent, acked = progress.acked,
                        delivered = progress.delivered;
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
  result.drain_s = std::chrono::duration<double>(SteadyClock::now() - drain_start).count();
  const auto cpu_after = pid ? Known(ProcessCpuSeconds(pid)) : std::nullopt;
  if (cpu_before && cpu_after) result.server_cpu_s = *cpu_after - *cpu_before;
  const auto cost_after = CostCpu(options);
  for (std::size_t i = 0; i < cost_after.size(); ++i) {
    const auto& [label, after] = cost_after[i];
    const std::optional<double> before = cost_before[i].second;
    result.cost_cpu_s.emplace_back(
        label, before && after ? std::optional(*after - *before) : std::nullopt);
  }
  result.client_cpu_s = ClientCpuSeconds() - client_cpu_before;
  result.dropped = progress.dropped - dropped_before;
  for (auto& worker : workers) worker->Join();

  WorkerStats total;
  for (auto& worker : workers) {
    const WorkerStats& s = worker->stats();
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
  result.seconds = SummarisePerSecond(total.delivery_us, total.delivery_second);
  // Left out, messages never delivered would make a server that drops its slowest look faster.
  total.delivery_us.insert(total.delivery_us.end(), total.lost, kNeverUs);
  result.delivery = Summarise(total.delivery_us);
  result.visitor_ack = Summarise(total.ack_us);
  result.counsellor_ack = Summarise(total.counsellor_ack_us);
  result.sent = total.sent;
  result.acked = total.acked;
  result.delivered = total.delivered;
  result.lost = total.lost;
  result.duplicated = total.duplicated;
  result.duplicate_acks = total.duplicate_acks;
  result.error_frames = total.error_frames;
  result.first_error_frame = std::move(total.first_error_frame);
  // Rates count what completed inside the window; the drain only settles latency and loss.
  result.delivered_per_s = static_cast<double>(delivered_in_window) / result.traffic_s;
  result.acked_per_s = static_cast<double>(acked_in_window) / result.traffic_s;
  result.setup_failed = progress.failed;
  {
    std::lock_guard lock(progress.mu);
    result.first_failure = progress.first_failure;
  }
  return result;
}

}  // namespace uitweg::load
