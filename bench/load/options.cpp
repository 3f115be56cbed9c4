#include "load/options.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string_view>

#include "model/staff.hpp"

namespace uitweg::load {
namespace {

core::Error Bad(std::string_view option, std::string_view why) {
  return core::Fail(core::Errc::invalid_argument, std::string(option) + ": " + std::string(why));
}

template <class Number>
core::Status ParseNumber(std::string_view option, std::string_view text, Number min, Number& out) {
  Number value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return Bad(option, "not a number");
  if (value < min) return Bad(option, "too small");
  out = value;
  return {};
}

// "http://127.0.0.1:8080" -> port. Only the loopback address is a valid target.
core::Status ParseUrl(std::string_view url, LoadOptions& out) {
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme)) return Bad("--url", "must start with http://");
  std::string_view rest = url.substr(kScheme.size());
  if (rest.ends_with('/')) rest.remove_suffix(1);
  const auto colon = rest.rfind(':');
  if (colon == std::string_view::npos) return Bad("--url", "needs a port");
  const std::string_view host = rest.substr(0, colon);
  if (host != "127.0.0.1") return Bad("--url", "only http://127.0.0.1:PORT is allowed");
  int port = 0;
  UITWEG_TRY(ParseNumber("--url", rest.substr(colon + 1), 1, port));
  if (port > 65535) return Bad("--url", "port out of range");
  out.host = std::string(host);
  out.port = static_cast<std::uint16_t>(port);
  return {};
}

// "uitweg,ws,socketio" (any subset, in any order, each once).
core::Status ParseCompare(std::string_view list, LoadOptions& out) {
  out.compare.clear();
  while (!list.empty()) {
    const auto comma = list.find(',');
    const std::string_view name = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    ServerKind kind{};
    if (name == ServerName(ServerKind::uitweg))
      kind = ServerKind::uitweg;
    else if (name == ServerName(ServerKind::ws))
      kind = ServerKind::ws;
    else if (name == ServerName(ServerKind::socketio))
      kind = ServerKind::socketio;
    else
      return Bad("--compare", "unknown server '" + std::string(name) + "' (uitweg, ws, socketio)");
    if (std::find(out.compare.begin(), out.compare.end(), kind) != out.compare.end()) {
      return Bad("--compare", "names " + std::string(name) + " twice");
    }
    out.compare.push_back(kind);
  }
  if (out.compare.empty()) return Bad("--compare", "names no server");
  return {};
}

// "nodes:1234": a label (letters, digits, '-', '_') and a process id.
core::Status ParseCostPid(std::string_view text, LoadOptions& out) {
  const auto colon = text.find(':');
  if (colon == 0 || colon == std::string_view::npos) return Bad("--cost-pid", "needs LABEL:PID");
  const std::string_view label = text.substr(0, colon);
  const bool plain = std::all_of(label.begin(), label.end(), [](unsigned char c) {
    return std::isalnum(c) != 0 || c == '-' || c == '_';
  });
  if (!plain) return Bad("--cost-pid", "a label is letters, digits, '-' and '_'");
  pid_t pid = 0;
  UITWEG_TRY(ParseNumber("--cost-pid", text.substr(colon + 1), pid_t{1}, pid));
  out.cost_pids.emplace_back(std::string(label), pid);
  return {};
}

}  // namespace

std::string_view ServerName(ServerKind kind) {
  switch (kind) {
    case ServerKind::uitweg: return "uitweg";
    case ServerKind::ws: return "ws";
    case ServerKind::socketio: return "socketio";
  }
  return "?";
}

std::string Usage() {
  return R"(uitweg-load: drives a uitweg server with WebSocket visitors and counsellors.

usage: uitweg-load --visitors N --counsellors M --rate MSGS_PER_S --duration S
                   [--server-bin PATH | --url http://127.0.0.1:PORT --data DIR [--server-pid PID]]
                   [--compare uitweg,ws,socketio [--node PATH] [--peers-dir DIR]]
                   [--server-config FILE] [--saturate [--window W]] [--threads T]
                   [--body-bytes B] [--connect-concurrency C] [--setup-timeout S]
                   [--sign-ins-per-second R] [--cost-pid LABEL:PID ...]

  --visitors N            visitor conversations, each accepted by a counsellor (default 100)
  --counsellors M         counsellor accounts created and signed in (default 10); when the
                          visitors are more than 3 per counsellor, a supervisor raises each
                          counsellor's capacity to what the share needs (at most 20)
  --rate R                messages per second over all conversations, both ways (default 200)
  --duration S            seconds of measured traffic (default 10)
  --saturate              ignore --rate; each side resends as soon as its ack arrives
  --window W              unacknowledged sends per side in --saturate mode (default 1)
  --server-bin PATH       the uitweg binary; without --url it is started on a free port with
                          a fresh data directory
  --url URL               target a running server at http://127.0.0.1:PORT
  --data DIR              the running server's data directory (to create counsellors)
  --server-pid PID        the running server's process id (for CPU and RSS figures)
  --compare LIST          start each of these servers in turn (uitweg, ws, socketio: the ws
                          and Socket.IO relays of bench/peers, run with Node.js), put the same
                          load on each, and print one table with a row per server
  --node PATH             the Node.js binary for the relays (default: node)
  --peers-dir DIR         where ws_relay.mjs and socketio_relay.mjs are (default: bench/peers
                          of the source tree this program was built from)
  --server-config FILE    a TOML file passed with --config to every uitweg server started
  --threads T             client threads, one io_context each (default 2)
  --body-bytes B          message body size (default 64)
  --connect-concurrency C visitors set up at once per thread (default 8)
  --setup-timeout S       give up connecting after S seconds (default 900)
  --sign-ins-per-second R during the traffic, R staff sign-ins a second (each an argon2id
                          verification on the server); uitweg only (default 0)
  --cost-pid LABEL:PID    also count the CPU time of this process and everything under it
                          (a database server's backends, say) over the traffic, summed per
                          label (repeat a label for several nodes); the report prints each
                          label's CPU-seconds per million messages, and their sum

Prints a table and one JSON line (with --compare: one table row and one JSON line per
server). Latency is from send to receipt on the other side.
)";
}

core::Result<LoadOptions> ParseOptions(int argc, char** argv) {
  LoadOptions out;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") return core::Fail(core::Errc::failed_precondition, Usage());
    if (arg == "--saturate") {
      out.saturate = true;
      continue;
    }
    if (i + 1 >= argc) return Bad(arg, "needs a value");
    const std::string_view value = argv[++i];
    core::Status st;
    if (arg == "--visitors")
      st = ParseNumber(arg, value, 1, out.visitors);
    else if (arg == "--counsellors")
      st = ParseNumber(arg, value, 1, out.counsellors);
    else if (arg == "--rate")
      st = ParseNumber(arg, value, 0.001, out.rate);
    else if (arg == "--duration")
      st = ParseNumber(arg, value, 0.1, out.duration_s);
    else if (arg == "--window")
      st = ParseNumber(arg, value, 1, out.window);
    else if (arg == "--threads")
      st = ParseNumber(arg, value, 1, out.threads);
    else if (arg == "--body-bytes")
      st = ParseNumber(arg, value, 1, out.body_bytes);
    else if (arg == "--connect-concurrency")
      st = ParseNumber(arg, value, 1, out.connect_concurrency);
    else if (arg == "--setup-timeout")
      st = ParseNumber(arg, value, 1.0, out.setup_timeout_s);
    else if (arg == "--sign-ins-per-second")
      st = ParseNumber(arg, value, 0.0, out.sign_ins_per_second);
    else if (arg == "--server-pid")
      st = ParseNumber(arg, value, pid_t{1}, out.server_pid);
    else if (arg == "--cost-pid")
      st = ParseCostPid(value, out);
    else if (arg == "--server-bin")
      out.server_bin = value;
    else if (arg == "--data")
      out.data_dir = value;
    else if (arg == "--compare")
      st = ParseCompare(value, out);
    else if (arg == "--server-config")
      out.server_config = value;
    else if (arg == "--node")
      out.node = value;
    else if (arg == "--peers-dir")
      out.peers_dir = value;
    else if (arg == "--url") {
      out.url = value;
      st = ParseUrl(value, out);
    } else
      return Bad(arg, "unknown option");
    if (!st) return st.error();
  }
  if (!out.url.empty() && out.data_dir.empty()) return Bad("--url", "needs --data DIR");
  if (!out.url.empty() && !out.compare.empty())
    return Bad("--compare", "starts its own servers; drop --url");
  if (!out.url.empty() && !out.server_config.empty()) {
    return Bad("--server-config", "only for a server this program starts; drop --url");
  }
  if (out.visitors > out.counsellors * model::kMaxCapacity) {
    return Bad("--counsellors",
               "each takes at most " + std::to_string(model::kMaxCapacity) +
                   " visitors at once; give at least " +
                   std::to_string((out.visitors + model::kMaxCapacity - 1) / model::kMaxCapacity));
  }
  if (out.body_bytes > 4000) return Bad("--body-bytes", "at most 4000");
  if (out.threads > out.counsellors) out.threads = out.counsellors;
  return out;
}

}  // namespace uitweg::load
