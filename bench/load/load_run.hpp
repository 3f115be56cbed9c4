#pragma once
// One load run against one server that is already listening: creates and signs in the
// counsellors, connects the visitors (each accepted by a counsellor), sends messages for the
// measured window at the set rate (or saturating), lets what is in flight drain, and sums up
// what the workers and the kernel saw. Setup, traffic and figures are the same for every server.
//
// Blocking; runs on the main thread with the workers' threads under it.
// Errors: a counsellor that cannot be created or signed in ends the run with an error value;
// visitors that fail are counted in the result instead.

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "load/options.hpp"
#include "load/process_stats.hpp"
#include "load/sign_ins.hpp"
#include "load/worker.hpp"

namespace uitweg::load {

// The server under load, as the run sees it.
struct RunTarget {
  std::string name;  // "uitweg", "ws", "socketio"
  Target target;
  pid_t pid = 0;         // 0: unknown; no server CPU or RSS figures then
  std::string data_dir;  // uitweg's: counsellors are created there; empty: no accounts (relays)
  std::string binary;    // the uitweg binary, for `uitweg user add`
};

struct RunResult {
  std::string server;
  // Setup.
  int ready = 0;  // visitors accepted and chatting
  int setup_failed = 0;
  double setup_s = 0;
  std::string first_failure;
  int connections = 0;  // visitor and counsellor sockets when traffic began
  // Traffic (totals include the drain).
  std::uint64_t sent = 0;
  std::uint64_t acked = 0;
  std::uint64_t delivered = 0;   // messages that reached the other side, once each
  std::uint64_t lost = 0;        // sent, never delivered
  std::uint64_t duplicated = 0;  // delivered more than once
  std::uint64_t duplicate_acks = 0;
  std::uint64_t error_frames = 0;
  std::string first_error_frame;
  int dropped = 0;  // sockets the server closed during traffic and drain
  double traffic_s = 0;
  double drain_s = 0;
  double acked_per_s = 0;  // completed inside the window
  double delivered_per_s = 0;
  Percentiles delivery;  // due to be sent -> receipt on the other side; lost ones count as inf
  Percentiles visitor_ack;
  Percentiles counsellor_ack;
  std::vector<SecondSummary> seconds;   // per second of sending, slowest first
  std::optional<SignInStats> sign_ins;  // with --sign-ins-per-second, for uitweg
  // Costs from traffic start to the end of the drain.
  std::optional<double> server_cpu_s;
  // With --cost-pid: CPU-seconds per label, in the order the labels were first given; nothing
  // for a label one of whose processes could not be read (it ended, say).
  std::vector<std::pair<std::string, std::optional<double>>> cost_cpu_s;
  // The sum of cost_cpu_s; nothing when one of them is unknown.
  std::optional<double> CostCpuSum() const;
  double client_cpu_s = 0;  // this whole program, all threads
  // Resident memory of the server right after start (0.5 s after it said it listens) and once
  // everyone is connected (0.5 s after the last visitor was ready).
  std::optional<std::int64_t> rss_empty_kib;
  std::optional<std::int64_t> rss_connected_kib;

  std::optional<double> ServerCpuPerMillion() const;        // server CPU-s per 10^6 acked messages
  std::optional<double> PerMillion(double cpu_s) const;     // cpu_s per 10^6 acked messages
  std::optional<double> RssPerConnectionKib() const;        // connected RSS / connections
  std::optional<double> RssGrowthPerConnectionKib() const;  // (connected - empty) / connections
};

core::Result<RunResult> RunLoad(const LoadOptions& options, const RunTarget& server);

}  // namespace uitweg::load
