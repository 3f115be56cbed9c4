#include "app/backup_command.hpp"

#include <cstdio>
#include <string>

#include "app/args.hpp"
#include "app/config.hpp"
#include "app/data_folder.hpp"
#include "store/sqlite/backup.hpp"

namespace uitweg::app {
namespace {

constexpr const char* kHelp = R"(Usage: uitweg backup --to FILE [--config FILE] [--data DIR]

Copies the SQLite database of the data folder to FILE (a new file, owner-only) as one consistent
snapshot, also while the server runs. Conversation content stays sealed in the copy; the master
key is NOT in it: keep DATA/master.key (or UITWEG_MASTER_KEY) in a separate, safe place, since
a backup without its key can never be read, and a backup with its key beside it protects
nothing. To restore, stop the server and put the file in place of DATA/uitweg.db.

For a PostgreSQL deployment use pg_dump instead (docs/operations.md).

Options:
  --to FILE       where to write the copy (must not exist)
  --config FILE   TOML configuration file (as for serve)
  --data DIR      data folder (default: $UITWEG_DATA, else the file's data_dir, else ./data)
  --help          show this help
)";

int Usage(const std::string& message) {
  std::fprintf(stderr, "uitweg backup: %s\n(try uitweg backup --help)\n", message.c_str());
  return 2;
}

}  // namespace

int RunBackupCommand(int argc, char** argv) {
  core::Result<Args> args = Args::Parse(argc, argv, {"to", "config", "data"}, {"help"});
  if (!args) return Usage(args.error().message);
  if (args->Has("help")) {
    std::fputs(kHelp, stdout);
    return 0;
  }
  const auto target = args->Get("to");
  if (!target || target->empty()) return Usage("--to FILE is required");
  // The deployment as `serve` reads it: the file, the environment, the flag.
  const core::Result<Config> config =
      LoadConfig(args->Get("config").value_or(""), ReadConfigEnvironment(),
                 ConfigOverrides{.data_dir = args->Get("data")});
  if (!config) return Usage(config.error().message);
  if (!config->database.empty()) {
    return Usage(
        "this deployment runs on PostgreSQL: back it up with pg_dump (docs/operations.md)");
  }
  if (core::Status found = RequireExistingDatabase(config->data_dir, ""); !found) {
    std::fprintf(stderr, "uitweg backup: %s\n", found.error().message.c_str());
    return 1;
  }
  auto copied = store::BackupSqliteDatabase(DatabasePath(config->data_dir), *target);
  if (!copied) {
    std::fprintf(stderr, "uitweg backup: %s\n", copied.error().message.c_str());
    return 1;
  }
  std::fprintf(stdout,
               "Backed up %d pages to %s.\nThe master key is not in it: keep it apart, safely.\n",
               copied->pages, copied->path.c_str());
  return 0;
}

}  // namespace uitweg::app
