#pragma once
// PostgreSQL's schema migrations, compiled into the binary from
// src/store/postgres/migrations/NNNN_name.sql, and the step that applies them. Several nodes
// may start at once: the step holds an advisory lock, so one of them migrates and the others
// find the work done.

#include <cstdint>
#include <span>

#include "core/error.hpp"
#include "store/migration.hpp"

namespace uitweg::store::postgres {

class Connection;

// Every known migration, by ascending version. Defined in a generated file.
std::span<const Migration> Migrations();

// Brings the database to the newest version in `migrations`, all pending steps in one
// transaction, recording each in the schema_version table. failed_precondition, naming both
// versions, if the database is newer than `migrations` knows; it is left untouched then.
core::Status Migrate(Connection& connection, std::span<const Migration> migrations);

// The version the database is at (0 when it has no schema yet).
core::Result<std::int64_t> SchemaVersion(Connection& connection);

}  // namespace uitweg::store::postgres
