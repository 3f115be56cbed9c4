// Linked into integration_postgres_test and integration_cluster_test: the cases run on the
// tests' PostgreSQL, each on a database of its own.

#include "integration/server_test.hpp"

namespace uitweg::support {

bool CasesRunOnPostgres() {
  return true;
}

}  // namespace uitweg::support
