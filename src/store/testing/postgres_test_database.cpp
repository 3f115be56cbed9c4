#include "store/testing/postgres_test_database.hpp"

#include "store/postgres/connection.hpp"
#include "store/postgres/postgres_database.hpp"
#include "support/postgres_server.hpp"

namespace uitweg::store::postgres {
namespace {

Result<std::string> NewDatabase() {
  UITWEG_TRY_ASSIGN(std::string server, support::TestPostgresUrl());
  return support::CreateDatabase(server);
}

class PostgresTestDatabase final : public TestDatabase {
 public:
  PostgresTestDatabase() : url_(NewDatabase()) {}
  ~PostgresTestDatabase() override {
    if (url_) (void)support::DropDatabase(*url_);
  }

  Result<Database> Open() override {
    if (!url_) return url_.error();
    return OpenPostgresDatabase(PostgresOptions{.url = *url_, .reader_count = 4, .max_batch = 512});
  }

  Status ForceSchemaVersion(std::int64_t version) override {
    if (!url_) return url_.error();
    UITWEG_TRY_ASSIGN(auto db, Connection::Open(*url_));
    UITWEG_TRY(db->Query(
        "INSERT INTO schema_version (version, name, applied_at) VALUES ($1, 'from_the_future', 0)",
        {version}));
    return {};
  }

 private:
  Result<std::string> url_;
};

}  // namespace

StoreBackend PostgresTestBackend() {
  return StoreBackend{"postgresql", [] { return std::make_unique<PostgresTestDatabase>(); }};
}

}  // namespace uitweg::store::postgres
