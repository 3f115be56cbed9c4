#pragma once
// Folders that hold confidential data (the database, the master key).

#include <filesystem>

#include "core/error.hpp"

namespace uitweg::core {

// Creates `folder` and any missing parents. The folders it creates are owner-only (0700); a
// folder that exists already is left as it is. unavailable, naming the folder, on failure.
Status CreatePrivateFolder(const std::filesystem::path& folder);

}  // namespace uitweg::core
