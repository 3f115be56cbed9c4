#pragma once
// An online backup of an SQLite deployment's database: one consistent snapshot, taken while the
// server runs (SQLite's backup API; in WAL mode the server's writes go on meanwhile). The copy
// holds conversation content sealed as it is stored; the master key is never in it.

#include <string>

#include "core/error.hpp"

namespace uitweg::store {

struct BackupResult {
  int pages = 0;
  std::string path;
};

// Copies the database at `source` into a new file `target` (owner-only, 0600; an existing file
// is refused with already_exists, a missing source with not_found). The copy is made in
// `target.partial-XXXXXX` beside it and named `target` once complete; a copy cut off leaves
// only such a partial file.
core::Result<BackupResult> BackupSqliteDatabase(const std::string& source,
                                                const std::string& target);

}  // namespace uitweg::store
