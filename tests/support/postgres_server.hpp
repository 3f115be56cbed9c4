#pragma once
// A PostgreSQL 15 of the tests' own, as the issue of several nodes asks: `initdb` into a
// temporary folder, started with `pg_ctl` on a free loopback port (and a socket folder of its
// own), stopped and removed again. The binaries come from Debian's postgresql-15
// (/usr/lib/postgresql/15/bin, or $UITWEG_PG_BIN). PostgreSQL refuses to run as root; as root,
// the server runs as the `postgres` system user that the package creates.
//
// Everyone connects as the superuser `uitweg` without a password (trust, on 127.0.0.1 only).
// Each test takes a database of its own (CreateDatabase).
//
// Not durable unless asked: without `durable`, fsync is off, which no test needs unless it
// crashes the machine itself; benchmarks ask for durable.
//
// Thread safety: CreateDatabase and DropDatabase may be called from any thread at once.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace uitweg::support {

class PostgresServer {
 public:
  struct Options {
    bool durable = false;
    int max_connections = 300;
  };

  // initdb and pg_ctl start; unavailable (with initdb's or the server's words) when it fails.
  static core::Result<std::unique_ptr<PostgresServer>> Start(Options options);
  // pg_ctl stop (immediate), then removes the folder.
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  std::uint16_t port() const { return port_; }
  // "postgresql://uitweg@127.0.0.1:PORT", without a database.
  std::string url() const;

  // For a server that outlives this process (the ctest fixture): forgets the server without
  // stopping it and returns its folder, for StopAt.
  std::filesystem::path Release();
  // Stops the server that was started in `folder` and removes the folder.
  static core::Status StopAt(const std::filesystem::path& folder);

 private:
  PostgresServer(std::filesystem::path folder, std::uint16_t port)
      : folder_(std::move(folder)), port_(port) {}

  std::filesystem::path folder_;
  std::uint16_t port_ = 0;
};

// An empty database with a new name on the server at `base_url`; returns its full URL.
core::Result<std::string> CreateDatabase(const std::string& base_url);
// Drops the database at the full `url` that CreateDatabase returned.
core::Status DropDatabase(std::string_view url);

// The PostgreSQL that this test process should use (its base URL): the one the ctest fixture
// started, whose URL is the first line of the file that $UITWEG_TEST_POSTGRES_FILE names, or
// else one started for this process on first use and stopped at its exit. The error says why
// there is none.
core::Result<std::string> TestPostgresUrl();

}  // namespace uitweg::support
