#include "store/sqlite/migrations.hpp"

#include <string>

#include "core/clock.hpp"
#include "core/log.hpp"
#include "store/sqlite/connection.hpp"

namespace uitweg::store::sqlite {
namespace {

constexpr std::string_view kCreateVersionTable =
    "CREATE TABLE IF NOT EXISTS schema_version ("
    " version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

Result<std::int64_t> ReadVersion(Connection& connection) {
  auto exists = connection.QueryText(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'");
  if (!exists) return exists.error();
  if (exists->empty()) return std::int64_t{0};
  auto version = connection.QueryText("SELECT COALESCE(MAX(version), 0) FROM schema_version");
  if (!version) return version.error();
  return std::stoll(*version);
}

Status ApplyPending(Connection& connection, std::span<const Migration> migrations,
                    std::int64_t current) {
  UITWEG_TRY(connection.Exec(kCreateVersionTable));
  const core::UnixMillis now = core::SystemClock().Now();
  for (const Migration& migration : migrations) {
    if (migration.version <= current) continue;
    if (auto applied = connection.Exec(migration.sql); !applied) {
      return MigrationFailed(migration, applied.error());
    }
    auto record = connection.Prepare(
        "INSERT INTO schema_version (version, name, applied_at) VALUES (?1, ?2, ?3)");
    if (!record) return record.error();
    if (auto done = record->Bind(1, migration.version).Bind(2, migration.name).Bind(3, now).Run();
        !done) {
      return done;
    }
  }
  return {};
}

}  // namespace

Result<std::int64_t> SchemaVersion(Connection& connection) {
  return ReadVersion(connection);
}

Status Migrate(Connection& connection, std::span<const Migration> migrations) {
  const std::int64_t latest = migrations.empty() ? 0 : migrations.back().version;
  UITWEG_TRY(connection.Exec("BEGIN IMMEDIATE"));
  auto current = ReadVersion(connection);
  Status outcome;
  if (!current) {
    outcome = current.error();
  } else if (*current > latest) {
    outcome = SchemaTooNew(*current, latest);
  } else if (*current < latest) {
    outcome = ApplyPending(connection, migrations, *current);
  }
  if (!outcome) {
    (void)connection.Exec("ROLLBACK");
    return outcome;
  }
  if (auto committed = connection.Exec("COMMIT"); !committed) {
    (void)connection.Exec("ROLLBACK");
    return committed;
  }
  if (*current < latest) {
    core::Log(core::LogLevel::info, "store.migrated", {{"from", *current}, {"to", latest}});
  }
  return {};
}

}  // namespace uitweg::store::sqlite
