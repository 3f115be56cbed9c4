#include "store/migration.hpp"

#include <string>

namespace uitweg::store {

core::Error SchemaTooNew(std::int64_t current, std::int64_t latest) {
  return core::Fail(core::Errc::failed_precondition,
                    "the database schema is at version " + std::to_string(current) +
                        ", newer than this binary knows (version " + std::to_string(latest) +
                        "); run a newer Uitweg");
}

core::Error MigrationFailed(const Migration& migration, const core::Error& error) {
  return core::Fail(error.code, "migration " + std::to_string(migration.version) + " (" +
                                    std::string(migration.name) + ") failed: " + error.message);
}

}  // namespace uitweg::store
