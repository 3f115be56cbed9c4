#include "app/serve_command.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <fmt/format.h>

#include "api/health.hpp"
#include "api/setup_api.hpp"
#include "api/staff_api.hpp"
#include "api/visitor_api.hpp"
#include "app/args.hpp"
#include "app/config.hpp"
#include "app/routes.hpp"
#include "auth/accounts.hpp"
#include "auth/first_admin_setup.hpp"
#include "auth/sessions.hpp"
#include "auth/sign_in_limiter.hpp"
#include "chat/conversations.hpp"
#include "chat/hub.hpp"
#include "core/clock.hpp"
#include "core/files.hpp"
#include "core/log.hpp"
#include "crypto/password_hasher.hpp"
#include "crypto/random.hpp"
#include "net/router.hpp"
#include "net/server.hpp"
#include "store/encrypting_store.hpp"
#include "store/store.hpp"

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
UITWEG_MASTER_KEY (base64 of 32 bytes) is the master key for encryption at rest; without it the
key file DIR/master.key is used, created on first start.
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

  if (auto created = core::CreatePrivateFolder(config->data_dir); !created) {
    core::Log(core::LogLevel::error, "server.data_dir_failed",
              {{"data_dir", config->data_dir}, {"error", created.error().message}});
    return 1;
  }

  auto store = store::OpenSqliteStore(
      store::SqliteOptions{.path = (std::filesystem::path(config->data_dir) / "uitweg.db").string()});
  if (!store) {
    core::Log(core::LogLevel::error, "server.store_failed", {{"error", store.error().message}});
    return 1;
  }
  const char* master_key = std::getenv("UITWEG_MASTER_KEY");
  auto encrypted =
      store::EncryptAtRest(std::move(*store), master_key != nullptr ? master_key : "",
                           std::filesystem::path(config->data_dir) / "master.key");
  if (!encrypted) {
    core::Log(core::LogLevel::error, "server.store_failed", {{"error", encrypted.error().message}});
    return 1;
  }
  store::Store& db = **encrypted;

  boost::asio::thread_pool workers(static_cast<std::size_t>(config->worker_threads));
  api::Post post = [&workers](std::function<void()> task) {
    boost::asio::post(workers, [task = std::move(task)] {
      try {
        task();
      } catch (const std::exception& e) {
        core::Log(core::LogLevel::error, "worker.task_threw", {{"error", e.what()}});
      }
    });
  };

  core::SystemClock clock;
  chat::Hub hub;
  chat::Conversations conversations(db, hub, clock);
  api::Health health(UITWEG_VERSION, "sqlite", [&db]() -> core::Status {
    auto count = db.CountAccounts();
    if (!count) return count.error();
    return {};
  });
  api::VisitorApi visitor(conversations, hub, clock, post, config->visitor_starts_per_minute);

  crypto::PasswordHasher hasher;
  auth::SignInLimiter limiter;
  auth::Sessions sessions(db, hasher, limiter);
  auth::Accounts accounts(db, hasher, clock);
  auth::FirstAdminSetup setup(db, accounts);
  api::StaffAuth staff_auth(sessions, clock);
  api::StaffApi staff(staff_auth, conversations, hub, clock, post);
  api::SetupApi setup_api(setup);

  net::Router router;
  AddRoutes(router, Handlers{health, visitor, staff, setup_api});

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
  core::Result<std::optional<std::string>> setup_token = setup.Begin();
  if (!setup_token) {
    core::Log(core::LogLevel::error, "server.setup_failed", {{"error", setup_token.error().message}});
    return 1;
  }
  if (*setup_token) {
    // The token goes to the operator's terminal only, never into the structured log.
    std::fprintf(stdout, "No staff accounts yet. Create the first administrator at:\n  %s/setup#token=%s\n",
                 base.c_str(), (*setup_token)->c_str());
  }
  std::fflush(stdout);

  server.Run();
  workers.join();
  core::Log(core::LogLevel::info, "server.stopped", {});
  return 0;
}

}  // namespace uitweg::app
