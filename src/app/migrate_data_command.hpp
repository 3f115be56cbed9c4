#pragma once
// `uitweg migrate-data --from DATA_DIR --to postgresql://…`: copies an SQLite deployment into an
// empty PostgreSQL database (store/transfer/sqlite_to_postgres.hpp), showing progress, and
// prints per table the rows and checksum that both sides agree on. Exit code 0 on success, 1
// when the copy fails or is refused (nothing is committed then), 2 for usage errors.

namespace uitweg::app {

int RunMigrateDataCommand(int argc, char** argv);

}  // namespace uitweg::app
