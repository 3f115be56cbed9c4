#pragma once
// Growing out of SQLite: copies an SQLite deployment's database into an empty PostgreSQL
// database, byte for byte (accounts, sessions, conversations with their wrapped keys, and every
// entry, sealed as stored: the master key is not needed and stays the operator's). Each table
// is bulk-loaded (COPY), then counted and checksummed on both sides, all in one transaction:
// the copy commits only if every table matches, so a failed copy leaves the target empty.
//
// Run it with the server stopped: the copy reads one snapshot of every table, so a server still
// running leaves a consistent copy, but what it writes after the snapshot is not in it. The
// sign-in throttle's failures are not copied; they are minutes old at most.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace uitweg::store {

struct TableCopied {
  std::string table;
  std::int64_t rows = 0;
  std::string checksum;  // BLAKE2b over the rows in key order, the same on both sides
};

struct CopyProgress {
  std::string_view table;
  std::int64_t copied = 0;
  std::int64_t total = 0;
};

// failed_precondition if the target holds any account or conversation; internal, naming the
// table, if a count or checksum differs (nothing is committed then); unavailable if either
// database cannot be reached.
core::Result<std::vector<TableCopied>> CopySqliteToPostgres(
    const std::string& sqlite_path, const std::string& postgres_url,
    const std::function<void(const CopyProgress&)>& progress);

}  // namespace uitweg::store
