// Linked into integration_test: the cases run on SQLite, in each server's data folder.

#include "integration/server_test.hpp"

namespace uitweg::support {

bool CasesRunOnPostgres() {
  return false;
}

}  // namespace uitweg::support
