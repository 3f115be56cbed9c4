#pragma once
// Opening an SQLite database: the embedded default, one file under the data folder.

#include <cstddef>
#include <string>

#include "core/error.hpp"
#include "core/executor.hpp"
#include "store/database.hpp"

namespace uitweg::store {

struct SqliteOptions {
  std::string path;              // database file; created with its folder if missing
  std::size_t reader_count = 4;  // read connections in WAL mode
  std::size_t max_batch = 512;   // writes folded into one group commit at most
  // After a commit of several writes, the writer waits up to this long for their callers to
  // queue their next writes, so that batches stay full instead of alternating small and large.
  // Never applies after a single write, so a lone caller pays nothing.
  std::size_t commit_linger_micros = 300;
  // Where conversation writes are answered (see conversation_store.hpp): a serial executor,
  // tasks run one at a time in the order posted. Empty: on the writer thread (tests).
  core::Post completions = {};
};

// Opens (creating if needed) and migrates the database. failed_precondition if the schema is
// newer than this binary knows; unavailable if the file cannot be opened.
Result<Database> OpenSqliteDatabase(const SqliteOptions& options);

}  // namespace uitweg::store
