#include "load/server_under_test.hpp"

#include <fstream>
#include <sstream>

namespace uitweg::load {
namespace {

core::Error Named(ServerKind kind, const std::string& why) {
  return core::Fail(core::Errc::unavailable, std::string(ServerName(kind)) + ": " + why);
}

core::Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return core::Fail(core::Errc::not_found, "cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Target LoopbackTarget(std::uint16_t port, Protocol protocol) {
  Target target;
  target.host = boost::asio::ip::make_address_v4("127.0.0.1");
  target.port = port;
  target.origin = "http://127.0.0.1:" + std::to_string(port);
  target.protocol = protocol;
  return target;
}

}  // namespace

std::string UitwegBinaryFor(const LoadOptions& options) {
  return options.server_bin.empty() ? support::UitwegBinary() : options.server_bin;
}

core::Result<std::unique_ptr<ServerUnderTest>> ServerUnderTest::Start(ServerKind kind,
                                                                      const LoadOptions& options) {
  std::unique_ptr<ServerUnderTest> server(new ServerUnderTest(kind));
  if (kind == ServerKind::uitweg) {
    server->uitweg_ = std::make_unique<support::ServerProcess>(std::vector<std::string>{},
                                                               UitwegBinaryFor(options));
    if (!options.server_config.empty()) {
      auto toml = ReadFile(options.server_config);
      if (!toml) return Named(kind, toml.error().message);
      if (auto st = server->uitweg_->UseConfig(*toml); !st) return Named(kind, st.error().message);
    }
    if (auto st = server->uitweg_->Start(); !st) {
      return Named(kind, st.error().message + "\n" + server->uitweg_->Stderr());
    }
    server->target_ = LoopbackTarget(server->uitweg_->port(), Protocol::uitweg);
    return server;
  }
  const std::string dir =
      options.peers_dir.empty() ? std::string(UITWEG_PEERS_DIR) : options.peers_dir;
  const std::string script = dir + "/" + std::string(ServerName(kind)) + "_relay.mjs";
  auto relay = RelayProcess::Start(options.node, script);
  if (!relay) return Named(kind, relay.error().message);
  server->relay_ = std::move(*relay);
  server->target_ = LoopbackTarget(
      server->relay_->port(), kind == ServerKind::socketio ? Protocol::socketio : Protocol::uitweg);
  return server;
}

pid_t ServerUnderTest::pid() const {
  return uitweg_ ? uitweg_->pid() : relay_ ? relay_->pid() : 0;
}

std::string ServerUnderTest::data_dir() const {
  return uitweg_ ? uitweg_->data_dir().string() : std::string();
}

std::string ServerUnderTest::LogTail(std::size_t lines) const {
  if (!uitweg_) return {};
  const std::string log = uitweg_->Stderr();
  std::size_t start = log.size();
  for (std::size_t n = 0; n < lines && start > 0; ++n) {
    const std::size_t newline = log.rfind('\n', start >= 2 ? start - 2 : 0);
    start = newline == std::string::npos ? 0 : newline + 1;
  }
  return log.substr(start);
}

core::Result<int> ServerUnderTest::Stop() {
  auto stopped = uitweg_ ? uitweg_->Stop() : relay_->Stop();
  if (!stopped) return Named(kind_, stopped.error().message);
  return *stopped;
}

}  // namespace uitweg::load
