#pragma once
// The data folder of a deployment (./data unless configured): the SQLite database in it, and the
// master key file for encryption at rest beside it.

#include <filesystem>
#include <string>

#include "core/error.hpp"
#include "core/executor.hpp"
#include "store/database.hpp"

namespace uitweg::app {

std::string DatabasePath(const std::filesystem::path& data_dir);

// Creates the folder owner-only if needed, opens its database and seals conversation content
// with the master key: UITWEG_MASTER_KEY if set, else DATA/master.key (created on first use).
// Writes are answered on `completions`; key reads that must not block go to `blocking`.
core::Result<store::Database> OpenDataFolder(const std::filesystem::path& data_dir,
                                             core::Post completions, core::Post blocking);

}  // namespace uitweg::app
