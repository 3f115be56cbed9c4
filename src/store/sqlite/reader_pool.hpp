#pragma once
// SQLite's readers: read-only connections in WAL mode, which never block the writer or each
// other; each statement sees the last committed state.

#include "store/connection_pool.hpp"
#include "store/sqlite/connection.hpp"

namespace uitweg::store::sqlite {

using ReaderPool = ConnectionPool<Connection>;

}  // namespace uitweg::store::sqlite
