#include "support/postgres_server.hpp"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <optional>
#include <utility>

#include "support/command.hpp"

namespace uitweg::support {
namespace {

std::filesystem::path BinDir() {
  if (const char* env = std::getenv("UITWEG_PG_BIN"); env && *env) return env;
  return "/usr/lib/postgresql/15/bin";
}

// PostgreSQL refuses root; as root, the package's `postgres` user runs it.
core::Result<std::optional<RunAs>> ServerUser() {
  if (geteuid() != 0) return std::optional<RunAs>();
  UITWEG_TRY_ASSIGN(RunAs user, SystemUser("postgres"));
  return std::optional<RunAs>(user);
}

core::Status Run(const std::string& tool, const std::vector<std::string>& args,
                 const std::optional<RunAs>& run_as, std::chrono::seconds timeout) {
  UITWEG_TRY_ASSIGN(CommandResult result,
                    RunProgram((BinDir() / tool).string(), args, {}, timeout, run_as));
  if (result.exit_code == 0) return {};
  return core::Fail(
      core::Errc::unavailable,
      tool + " failed (exit " + std::to_string(result.exit_code) + "): " + result.err + result.out);
}

core::Status Exec(const std::string& url, const std::string& sql) {
  PGconn* connection = PQconnectdb(url.c_str());
  if (PQstatus(connection) != CONNECTION_OK) {
    std::string message = PQerrorMessage(connection);
    PQfinish(connection);
    return core::Fail(core::Errc::unavailable, "cannot connect to the test PostgreSQL: " + message);
  }
  PGresult* result = PQexec(connection, sql.c_str());
  const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  std::string message = ok ? std::string() : PQresultErrorMessage(result);
  PQclear(result);
  PQfinish(connection);
  if (!ok) return core::Fail(core::Errc::internal, sql + ": " + message);
  return {};
}

std::string BaseUrl(std::uint16_t port) {
  return "postgresql://uitweg@127.0.0.1:" + std::to_string(port);
}

}  // namespace

core::Result<std::unique_ptr<PostgresServer>> PostgresServer::Start(Options options) {
  if (access((BinDir() / "initdb").c_str(), X_OK) != 0) {
    return core::Fail(core::Errc::unavailable,
                      "PostgreSQL 15 is not installed (no " + (BinDir() / "initdb").string() +
                          "); scripts/bootstrap.sh installs postgresql-15");
  }
  UITWEG_TRY_ASSIGN(std::optional<RunAs> run_as, ServerUser());
  std::string folder_template =
      (std::filesystem::temp_directory_path() / "uitweg-pg-XXXXXX").string();
  if (mkdtemp(folder_template.data()) == nullptr) return Errno("mkdtemp");
  const std::filesystem::path folder = folder_template;
  // Owned from here on: a failure below removes the folder again (the destructor stops a
  // server only once it has a port).
  std::unique_ptr<PostgresServer> server(new PostgresServer(folder, 0));
  if (run_as && chown(folder.c_str(), run_as->uid, run_as->gid) != 0) return Errno("chown");
  const std::string data = (folder / "data").string();
  UITWEG_TRY(
      Run("initdb",
          {"-D", data, "-U", "uitweg", "--auth=trust", "--no-sync", "--no-locale", "-E", "UTF8"},
          run_as, std::chrono::seconds(120)));
  // A port found free can be taken before the server binds it; try another then.
  core::Status started = core::Fail(core::Errc::unavailable, "no free port");
  for (int attempt = 0; attempt < 3 && !started; ++attempt) {
    const std::uint16_t port = FreeLoopbackPort();
    if (port == 0) continue;
    std::string settings = "-p " + std::to_string(port) + " -k " + folder.string() +
                           " -c listen_addresses=127.0.0.1 -c max_connections=" +
                           std::to_string(options.max_connections);
    if (!options.durable) settings += " -c fsync=off -c full_page_writes=off";
    started = Run("pg_ctl",
                  {"-D", data, "-l", (folder / "server.log").string(), "-w", "-t", "60", "-o",
                   settings, "start"},
                  run_as, std::chrono::seconds(90));
    if (started) server->port_ = port;
  }
  if (!started) return started.error();
  return server;
}

PostgresServer::~PostgresServer() {
  if (folder_.empty()) return;  // released
  if (port_ != 0) {
    (void)StopAt(folder_);
    return;
  }
  std::error_code ignored;
  std::filesystem::remove_all(folder_, ignored);
}

std::string PostgresServer::url() const {
  return BaseUrl(port_);
}

std::filesystem::path PostgresServer::Release() {
  port_ = 0;
  return std::exchange(folder_, {});
}

core::Status PostgresServer::StopAt(const std::filesystem::path& folder) {
  core::Status stopped;
  if (auto run_as = ServerUser(); !run_as) {
    stopped = run_as.error();
  } else {
    stopped = Run("pg_ctl", {"-D", (folder / "data").string(), "-m", "immediate", "-w", "stop"},
                  *run_as, std::chrono::seconds(60));
  }
  std::error_code ignored;
  std::filesystem::remove_all(folder, ignored);
  return stopped;
}

core::Result<std::string> CreateDatabase(const std::string& base_url) {
  static std::atomic<int> created{0};
  const std::string name =
      "t" + std::to_string(::getpid()) + "_" + std::to_string(created.fetch_add(1));
  UITWEG_TRY(Exec(base_url + "/postgres", "CREATE DATABASE " + name));
  return base_url + "/" + name;
}

core::Status DropDatabase(std::string_view url) {
  const std::size_t slash = url.rfind('/');
  const std::string base(url.substr(0, slash));
  const std::string name(url.substr(slash + 1));
  return Exec(base + "/postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
}

namespace {

struct ProcessPostgres {
  std::once_flag once;
  std::unique_ptr<PostgresServer> server;
  core::Result<std::string> url = core::Fail(core::Errc::unavailable, "not started");
};

ProcessPostgres& TheProcessPostgres() {
  static ProcessPostgres postgres;
  return postgres;
}

}  // namespace

core::Result<std::string> TestPostgresUrl() {
  ProcessPostgres& postgres = TheProcessPostgres();
  std::call_once(postgres.once, [&] {
    if (const char* file = std::getenv("UITWEG_TEST_POSTGRES_FILE"); file && *file) {
      std::ifstream in(file);
      std::string url;
      if (std::getline(in, url) && !url.empty()) {
        postgres.url = url;
      } else {
        postgres.url =
            core::Fail(core::Errc::unavailable,
                       std::string("the test PostgreSQL did not start (no URL in ") + file + ")");
      }
      return;
    }
    auto started = PostgresServer::Start({});
    if (!started) {
      postgres.url = started.error();
      return;
    }
    postgres.server = std::move(*started);
    postgres.url = postgres.server->url();
  });
  return postgres.url;
}

}  // namespace uitweg::support
