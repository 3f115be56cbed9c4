#pragma once
// Opening a PostgreSQL database (15 or newer): for an organisation that runs several nodes, or
// outgrows one machine. Every node opens the same database; the schema is migrated once, by
// whichever node gets there first.

#include <cstddef>
#include <string>

#include "core/error.hpp"
#include "core/executor.hpp"
#include "store/database.hpp"

namespace uitweg::store {

struct PostgresOptions {
  std::string url;               // postgresql://user[:password]@host[:port]/database[?...]
  std::size_t reader_count = 8;  // connections for reads
  std::size_t max_batch = 512;   // writes folded into one group commit at most
  // As SqliteOptions::commit_linger_micros.
  std::size_t commit_linger_micros = 300;
  // Where conversation writes are answered (see conversation_store.hpp). Empty: on the writer
  // thread (tests).
  core::Post completions = {};
};

// Connects and migrates. failed_precondition if the schema is newer than this binary knows;
// unavailable if the server cannot be reached.
Result<Database> OpenPostgresDatabase(const PostgresOptions& options);

}  // namespace uitweg::store
