// uitweg-fanout: what one more visitor joining a long queue costs the server. Starts `uitweg
// serve`, connects counsellors (each watching the queue), fills the queue with waiting visitors
// (each started over HTTP and connected with hello, as the protocol says), and then measures the
// server's CPU time while more visitors join one after another and stay connected. The visitors
// who fill the queue close their socket after `welcome` (they keep their place for the
// abandonment time, 10 minutes): one test client costs four descriptors, and 5,000 of them
// would pass this process's limit. The server's idle CPU over an equal time (sweeps, ticks) is
// measured just before and taken off. Never a pass/fail test.
//
//   uitweg-fanout [--waiting 5000] [--counsellors 100] [--joins 200] [--server-bin PATH]
//
// Prints one line per phase and a JSON line. CPU comes from /proc/PID/stat in clock ticks
// (10 ms), so the figure per join is only as good as the number of joins allows.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <boost/json/serialize.hpp>

#include "load/process_stats.hpp"
#include "support/server_process.hpp"
#include "support/staff.hpp"
#include "support/visitor.hpp"
#include "support/ws_client.hpp"

namespace {

using namespace uitweg;
using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

constexpr char kPassword[] = "fan-out bench password";
// The load comes from one address and far faster than people start chats.
constexpr char kConfig[] =
    "[limits]\nmax_connections_per_address = 0\nvisitor_starts_per_minute = 1000000\n"
    "max_waiting = 1000000\n";

struct Options {
  int waiting = 5000;
  int counsellors = 100;
  int joins = 200;
  std::string server_bin;
};

int Usage(const char* problem) {
  std::cerr << problem << "\n\nusage: uitweg-fanout [--waiting N] [--counsellors M] [--joins J]"
            << " [--server-bin PATH]\n";
  return 2;
}

// Reads whatever the counsellors have been sent, so their sockets never back up; counts the
// frames and the bytes.
struct Drained {
  std::size_t frames = 0;
};
Drained DrainAll(std::vector<support::WsClient>& sockets) {
  Drained drained;
  for (auto& socket : sockets) {
    socket.Pump(0ms);
    while (socket.Pending() > 0) {
      if (!socket.Next(0ms)) break;
      ++drained.frames;
    }
  }
  return drained;
}

core::Result<support::WsClient> Join(std::uint16_t port, int index) {
  auto conversation = support::StartConversation(port, "v" + std::to_string(index));
  if (!conversation) return conversation.error();
  return support::ConnectVisitor(port, conversation->resume_token, 0);
}

double CpuNow(pid_t pid) {
  auto seconds = load::ProcessCpuSeconds(pid);
  return seconds ? *seconds : 0.0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (i + 1 >= argc) return Usage("every option needs a value");
    const std::string value = argv[++i];
    try {
      if (arg == "--waiting") {
        options.waiting = std::stoi(value);
      } else if (arg == "--counsellors") {
        options.counsellors = std::stoi(value);
      } else if (arg == "--joins") {
        options.joins = std::stoi(value);
      } else if (arg == "--server-bin") {
        options.server_bin = value;
      } else {
        return Usage("unknown option");
      }
    } catch (const std::exception&) {
      return Usage("not a number");
    }
  }
  if (options.waiting < 0 || options.counsellors < 1 || options.joins < 1) {
    return Usage("--waiting >= 0, --counsellors >= 1, --joins >= 1");
  }
  load::RaiseFileLimit();

  support::ServerProcess server(
      {}, options.server_bin.empty() ? support::UitwegBinary() : options.server_bin);
  if (auto configured = server.UseConfig(kConfig); !configured) {
    std::cerr << "uitweg-fanout: " << configured.error().message << "\n";
    return 1;
  }
  if (auto started = server.Start(); !started) {
    std::cerr << "uitweg-fanout: the server did not start: " << started.error().message << "\n";
    return 1;
  }
  const std::uint16_t port = server.port();
  std::vector<support::WsClient> counsellors;
  for (int m = 0; m < options.counsellors; ++m) {
    // An account each: every sign-in takes a fresh code of the account's second factor.
    const std::string username = "fanout-" + std::to_string(m);
    if (auto added = support::AddStaff(server.data_dir().string(), username, kPassword); !added) {
      std::cerr << "uitweg-fanout: " << added.error().message << "\n";
      return 1;
    }
    auto session = support::SignIn(port, username, kPassword);
    if (!session) {
      std::cerr << "uitweg-fanout: sign-in: " << session.error().message << "\n";
      return 1;
    }
    auto socket = support::ConnectStaff(port, *session);
    if (!socket) {
      std::cerr << "uitweg-fanout: staff socket: " << socket.error().message << "\n";
      return 1;
    }
    counsellors.push_back(std::move(*socket));
  }
  std::vector<support::WsClient> visitors;
  visitors.reserve(static_cast<std::size_t>(options.joins));
  const auto fill_start = SteadyClock::now();
  for (int v = 0; v < options.waiting; ++v) {
    auto socket = Join(port, v);
    if (!socket) {
      std::cerr << "uitweg-fanout: visitor " << v << ": " << socket.error().message << "\n";
      return 1;
    }
    socket->Close();
    if (v % 250 == 0) (void)DrainAll(counsellors);
  }
  const double fill_s = std::chrono::duration<double>(SteadyClock::now() - fill_start).count();
  fmt::print("queue filled: {} waiting visitors, {} counsellors watching, in {:.1f} s\n",
             options.waiting, options.counsellors, fill_s);
  // Let ticks carry the last totals out, then take the server's idle cost.
  std::this_thread::sleep_for(2s);
  (void)DrainAll(counsellors);
  const double idle_before = CpuNow(server.pid());
  const auto idle_start = SteadyClock::now();
  std::this_thread::sleep_for(3s);
  const double idle_s = std::chrono::duration<double>(SteadyClock::now() - idle_start).count();
  const double idle_rate = (CpuNow(server.pid()) - idle_before) / idle_s;
  (void)DrainAll(counsellors);

  std::vector<double> join_ms;
  const double cpu_before = CpuNow(server.pid());
  const auto joins_start = SteadyClock::now();
  for (int j = 0; j < options.joins; ++j) {
    const auto one = SteadyClock::now();
    auto socket = Join(port, options.waiting + j);
    if (!socket) {
      std::cerr << "uitweg-fanout: join " << j << ": " << socket.error().message << "\n";
      return 1;
    }
    join_ms.push_back(std::chrono::duration<double, std::milli>(SteadyClock::now() - one).count());
    visitors.push_back(std::move(*socket));
  }
  const double joins_s = std::chrono::duration<double>(SteadyClock::now() - joins_start).count();
  const double cpu_spent = CpuNow(server.pid()) - cpu_before;
  const Drained fanned_out = DrainAll(counsellors);
  const double net_cpu = std::max(0.0, cpu_spent - idle_rate * joins_s);
  const double per_join_ms = net_cpu / options.joins * 1000;
  std::sort(join_ms.begin(), join_ms.end());
  const double p50 = join_ms[join_ms.size() / 2];
  const double p99 = join_ms[std::min(join_ms.size() - 1, join_ms.size() * 99 / 100)];

  fmt::print("idle server: {:.1f} ms of CPU per second\n", idle_rate * 1000);
  fmt::print(
      "{} joins in {:.2f} s (start over HTTP + WebSocket hello + welcome; p50 {:.2f} ms, p99 "
      "{:.2f} ms)\n",
      options.joins, joins_s, p50, p99);
  fmt::print("server CPU: {:.2f} s in all, {:.2f} s net of idle: {:.3f} ms per join\n", cpu_spent,
             net_cpu, per_join_ms);
  fmt::print("frames the {} counsellors received during the joins: {} ({:.2f} per join)\n",
             options.counsellors, fanned_out.frames,
             static_cast<double>(fanned_out.frames) / options.joins);
  boost::json::object line{{"bench", "uitweg-fanout"},
                           {"waiting", options.waiting},
                           {"counsellors", options.counsellors},
                           {"joins", options.joins},
                           {"server_cpu_ms_per_join", per_join_ms},
                           {"server_idle_cpu_ms_per_s", idle_rate * 1000},
                           {"join_p50_ms", p50},
                           {"join_p99_ms", p99},
                           {"counsellor_frames_during_joins", fanned_out.frames}};
  std::printf("%s\n", boost::json::serialize(line).c_str());
  (void)server.Stop();
  return 0;
}
