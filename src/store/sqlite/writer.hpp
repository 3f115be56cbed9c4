#pragma once
// The SQLite writer: the group-commit writer (store/group_commit/writer.hpp) on an SQLite
// connection, whose write transactions begin IMMEDIATE and which flushes on COMMIT
// (synchronous=FULL).

#include "store/group_commit/writer.hpp"
#include "store/sqlite/connection.hpp"

namespace uitweg::store::sqlite {

using Writer = GroupCommitWriter<Connection>;

}  // namespace uitweg::store::sqlite
