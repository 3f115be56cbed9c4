#pragma once
// `uitweg backup --to FILE [--config FILE] [--data DIR]`: an online backup of an SQLite
// deployment's database while the server runs (store/sqlite/backup.hpp). Exit code 0 on success, 1
// when the copy fails, 2 for usage errors. The master key is not copied: it is kept apart on
// purpose.

namespace uitweg::app {

int RunBackupCommand(int argc, char** argv);

}  // namespace uitweg::app
