#include "app/serve_command.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include <boost/asio/thread_pool.hpp>
#include <fmt/format.h>

#include "api/health.hpp"
#include "app/args.hpp"
#include "app/config.hpp"
#include "core/log.hpp"
#include "crypto/random.hpp"
#include "net/router.hpp"
#include "net/server.hpp"

namespace uitweg::app {
namespace {

constexpr const char* kHelp = R"(Usage: uitweg serve [options]

Runs the Uitweg server (HTTP and WebSocket) until SIGINT or SIGTERM.

Options:
  --listen HOST:PORT   where to listen (default 127.0.0.1:8080; port 0 picks a free port)
  --data DIR           data folder: database and key file (default ./data)
  --config FILE        TOML configuration file (see docs/operations.md)
  --log-level LEVEL    debug, info, warn or error (default info)
  --help               show this help

Environment: UITWEG_LISTEN, UITWEG_DATA, UITWEG_LOG_LEVEL override the file; flags override both.
)";

std::map<std::string, std::string> ReadEnvironment() {
  std::map<std::string, std::string> environment;
  for (const char* name : {"UITWEG_LISTEN", "UITWEG_DATA", "UITWEG_LOG_LEVEL"}) {
    if (const char* value = std::getenv(name)) environment[name] = value;
  }
  return environment;
}

std::string UrlHost(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

}  // namespace

int RunServe(int argc, char** argv) {
  core::Result<Args> args =
      Args::Parse(argc, argv, {"listen", "data", "config", "log-level"}, {"help"});
  if (!args) {
    std::fprintf(stderr, "uitweg serve: %s\n(try uitweg serve --help)\n",
                 args.error().message.c_str());
    return 2;
  }
  if (args->Has("help")) {
    std::fputs(kHelp, stdout);
    return 0;
  }
  ConfigOverrides flags{args->Get("listen"), args->Get("data"), args->Get("log-level")};
  core::Result<Config> config =
      LoadConfig(args->Get("config").value_or(""), ReadEnvironment(), flags);
  if (!config) {
    std::fprintf(stderr, "uitweg serve: %s\n", config.error().message.c_str());
    return 2;
  }
  core::SetLogLevel(config->log_level);
  crypto::EnsureInitialized();

  std::error_code fs_error;
  std::filesystem::create_directories(config->data_dir, fs_error);
  if (fs_error) {
    core::Log(core::LogLevel::error, "server.data_dir_failed",
              {{"data_dir", config->data_dir}, {"error", fs_error.message()}});
    return 1;
  }

  const std::string data_dir = config->data_dir;
  api::Health health(UITWEG_VERSION, "sqlite", [data_dir]() -> core::Status {
    std::error_code ec;
    if (!std::filesystem::is_directory(data_dir, ec)) {
      return core::Fail(core::Errc::unavailable, "the data folder is gone");
    }
    return {};
  });

  net::Router router;
  router.Add("GET", "/healthz", [&health](const api::Request& r) { return health.Get(r); });

  boost::asio::thread_pool workers(static_cast<std::size_t>(config->worker_threads));
  net::ServerOptions options{config->host, config->port, config->io_threads, config->limits};
  net::Server server(options, router, workers);
  core::Result<std::uint16_t> port = server.Listen();
  if (!port) {
    core::Log(core::LogLevel::error, "server.listen_failed", {{"error", port.error().message}});
    return 1;
  }
  core::Log(core::LogLevel::info, "server.listening",
            {{"host", config->host}, {"port", static_cast<std::int64_t>(*port)}});
  const std::string base = fmt::format("http://{}:{}", UrlHost(config->host), *port);
  std::fprintf(stdout, "Uitweg is running at %s/ — counsellors sign in at /console\n", base.c_str());
  std::fflush(stdout);

  server.Run();
  workers.join();
  core::Log(core::LogLevel::info, "server.stopped", {});
  return 0;
}

}  // namespace uitweg::app
