#pragma once
// A schema migration compiled into the binary (by embed_migrations.cmake from
// NNNN_name.sql files): every backend keeps its own list, versions 1, 2, 3, ... without gaps.

#include <cstdint>
#include <string_view>

#include "core/error.hpp"

namespace uitweg::store {

struct Migration {
  std::int64_t version;
  std::string_view name;
  std::string_view sql;
};

// failed_precondition: the database's schema is at `current`, newer than this binary knows.
core::Error SchemaTooNew(std::int64_t current, std::int64_t latest);
// The error of a migration that failed, naming it.
core::Error MigrationFailed(const Migration& migration, const core::Error& error);

}  // namespace uitweg::store
