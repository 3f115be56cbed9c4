#pragma once
// Command-line options of uitweg-load, the load generator.

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace uitweg::load {

// The servers compare mode can start: uitweg itself, and the two Node.js relays of bench/peers.
enum class ServerKind { uitweg, ws, socketio };
std::string_view ServerName(ServerKind kind);  // "uitweg", "ws", "socketio"

struct LoadOptions {
  int visitors = 100;
  int counsellors = 10;
  double rate = 200;       // messages per second, both directions together
  double duration_s = 10;  // length of the measured window
  bool saturate = false;   // closed loop: send again as soon as an ack comes back
  int window = 1;          // saturation: unacknowledged sends per side of a conversation
  int threads = 2;         // one io_context per thread
  int body_bytes = 64;
  int connect_concurrency = 8;  // visitors being set up at once, per thread
  double setup_timeout_s = 900;
  double sign_ins_per_second = 0;  // staff sign-ins during the traffic (sign_ins.hpp)
  std::string server_bin;          // start this binary (the default when no --url is given)
  std::string url;                 // or target a running server, http://127.0.0.1:PORT
  std::string data_dir;            // with --url: the server's data directory, for `user add`
  pid_t server_pid = 0;            // with --url: the server process, for CPU and memory figures
  // --cost-pid LABEL:PID: processes whose CPU time (with everything under them) the report sums
  // per label, for what a deployment of several parts (nodes, a database, a balancer) costs.
  std::vector<std::pair<std::string, pid_t>> cost_pids;
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::vector<ServerKind> compare;  // --compare: start and load each of these in turn
  std::string server_config;        // a TOML file for the uitweg servers this program starts
  std::string node = "node";        // the Node.js binary that runs the relays
  std::string peers_dir;  // where the relays are; default: bench/peers of this source tree
};

// Parses argv; invalid_argument names the offending option. `--help` yields failed_precondition
// with the usage text as its message.
core::Result<LoadOptions> ParseOptions(int argc, char** argv);

std::string Usage();

}  // namespace uitweg::load
