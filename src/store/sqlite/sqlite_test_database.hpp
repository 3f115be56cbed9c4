#pragma once
// The SQLite backend of the store contract suite: each database is a file in a fresh temporary
// folder, removed with it.

#include "store/test_database.hpp"

namespace uitweg::store::sqlite {

StoreBackend SqliteTestBackend();

}  // namespace uitweg::store::sqlite
