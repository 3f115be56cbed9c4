#pragma once
// The schema migrations compiled into the binary from src/store/migrations/NNNN_name.sql, and
// the step that applies them. Versions are 1, 2, 3, ... without gaps (the build checks this).

#include <cstdint>
#include <span>
#include <string_view>

#include "core/error.hpp"
#include "store/migration.hpp"

namespace uitweg::store::sqlite {

class Connection;

using store::Migration;

// Every known migration, by ascending version. Defined in a generated file.
std::span<const Migration> Migrations();

// Brings the database to the newest version in `migrations`, all pending steps in one
// transaction, recording each in the schema_version table. failed_precondition, naming both
// versions, if the database is newer than `migrations` knows; it is left untouched then.
core::Status Migrate(Connection& connection, std::span<const Migration> migrations);

// The version the database is at (0 when it has no schema yet).
core::Result<std::int64_t> SchemaVersion(Connection& connection);

}  // namespace uitweg::store::sqlite
