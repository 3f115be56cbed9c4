#include "store/postgres/migrations.hpp"

#include "core/clock.hpp"
#include "core/log.hpp"
#include "store/postgres/connection.hpp"

namespace uitweg::store::postgres {
namespace {

// pg_advisory_lock's key for migrations: any fixed number that nothing else uses.
constexpr std::int64_t kMigrationLock = 0x7569747765670001;  // "uitweg", 1

Result<std::int64_t> ReadVersion(Connection& connection) {
  UITWEG_TRY_ASSIGN(Rows exists,
                    connection.Query("SELECT to_regclass('schema_version') IS NOT NULL"));
  if (exists[0].Text(0) != "t") return std::int64_t{0};
  UITWEG_TRY_ASSIGN(Rows version,
                    connection.Query("SELECT COALESCE(MAX(version), 0) FROM schema_version"));
  return version[0].Int(0);
}

Status ApplyPending(Connection& connection, std::span<const Migration> migrations,
                    std::int64_t current) {
  UITWEG_TRY(connection.Exec(
      "CREATE TABLE IF NOT EXISTS schema_version ("
      " version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"));
  const core::UnixMillis now = core::SystemClock().Now();
  for (const Migration& migration : migrations) {
    if (migration.version <= current) continue;
    if (auto applied = connection.Exec(migration.sql); !applied) {
      return MigrationFailed(migration, applied.error());
    }
    UITWEG_TRY(connection.Query(
        "INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)",
        {migration.version, migration.name, now}));
  }
  return {};
}

// Runs the migration under the lock; the transaction is committed or rolled back inside.
Status MigrateLocked(Connection& connection, std::span<const Migration> migrations) {
  const std::int64_t latest = migrations.empty() ? 0 : migrations.back().version;
  UITWEG_TRY(connection.Exec("BEGIN"));
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
  UITWEG_TRY(connection.Exec("COMMIT"));
  if (*current < latest) {
    core::Log(core::LogLevel::info, "store.migrated", {{"from", *current}, {"to", latest}});
  }
  return {};
}

}  // namespace

Result<std::int64_t> SchemaVersion(Connection& connection) {
  return ReadVersion(connection);
}

Status Migrate(Connection& connection, std::span<const Migration> migrations) {
  UITWEG_TRY(connection.Query("SELECT pg_advisory_lock($1)", {kMigrationLock}));
  Status migrated = MigrateLocked(connection, migrations);
  auto unlocked = connection.Query("SELECT pg_advisory_unlock($1)", {kMigrationLock});
  if (!migrated) return migrated;
  if (!unlocked) return unlocked.error();
  return {};
}

}  // namespace uitweg::store::postgres
