#pragma once
// The PostgreSQL backend of the store contract suite: each database is a fresh database on the
// tests' PostgreSQL (tests/support/postgres_server.hpp), dropped with it.

#include "store/test_database.hpp"

namespace uitweg::store::postgres {

StoreBackend PostgresTestBackend();

}  // namespace uitweg::store::postgres
