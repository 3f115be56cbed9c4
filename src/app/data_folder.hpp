#pragma once
// The data folder of a deployment (./data unless configured): the SQLite database in it (unless
// the deployment names a PostgreSQL database), and the master key file for encryption at rest.

#include <filesystem>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "core/executor.hpp"
#include "core/files.hpp"
#include "crypto/master_key.hpp"
#include "store/database.hpp"

namespace uitweg::app {

std::string DatabasePath(const std::filesystem::path& data_dir);

// The data folder a command works on: its --data flag, else $UITWEG_DATA, else ./data.
std::string DataFolder(const std::optional<std::string>& flag);

// The PostgreSQL database a command works on: its --database flag, else $UITWEG_DATABASE, else
// empty (SQLite in the data folder). invalid_argument for anything but a postgresql:// URL.
core::Result<std::string> DatabaseUrl(const std::optional<std::string>& flag);

// For commands that work on a deployment's data: not_found, naming the path, when `database` is
// empty and the data folder holds no SQLite database. Opening one would make a new, empty
// database, on which a mistyped folder "succeeds".
core::Status RequireExistingDatabase(const std::filesystem::path& data_dir,
                                     const std::string& database);

// The database: PostgreSQL at `database` (a postgresql:// URL), or when that is empty SQLite in
// the data folder (created owner-only if needed). Writes are answered on `completions`.
core::Result<store::Database> OpenDatabase(const std::filesystem::path& data_dir,
                                           const std::string& database,
                                           core::Post completions = {});

// One process at a time writes a SQLite data folder (`uitweg serve`, `uitweg migrate-data`): a
// second server would take over the first's interrupted work, and a copy would miss what a
// server writes after it. The lock lasts as long as the returned FileLock. failed_precondition,
// naming the folder, when another process holds it. Several nodes share PostgreSQL instead.
core::Result<core::FileLock> HoldDataFolder(const std::filesystem::path& data_dir);

struct OpenedData {
  store::Database database;
  // Also seal what is secret outside conversations (TOTP secrets).
  std::shared_ptr<crypto::MasterKeys> master_keys;
};

// OpenDatabase, then seals conversation content with the master key: UITWEG_MASTER_KEY if set,
// else DATA/master.key (created on first use). Key reads that must not block go to `blocking`.
core::Result<OpenedData> OpenDataFolder(const std::filesystem::path& data_dir,
                                        const std::string& database, core::Post completions,
                                        core::Post blocking);

}  // namespace uitweg::app
