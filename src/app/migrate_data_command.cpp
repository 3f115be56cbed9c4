#include "app/migrate_data_command.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "app/args.hpp"
#include "app/data_folder.hpp"
#include "core/files.hpp"
#include "store/database.hpp"
#include "store/transfer/sqlite_to_postgres.hpp"

namespace uitweg::app {
namespace {

constexpr const char* kHelp = R"(Usage: uitweg migrate-data --from DATA_DIR --to postgresql://…

Copies an SQLite deployment (DATA_DIR/uitweg.db) into an empty PostgreSQL database: staff
accounts, sessions, conversations with their wrapped keys, and every entry, sealed as stored.
Each table is counted and checksummed on both sides before the copy is committed; a target
that is not empty is refused. Stop the server first: the copy is refused while a `uitweg serve`
runs on DATA_DIR, since what it wrote afterwards would be lost. The master key is not copied:
start the PostgreSQL nodes with the same key in UITWEG_MASTER_KEY. With one key in
DATA_DIR/master.key that is `base64 -w0 DATA_DIR/master.key`; a file with more (a rotation not
yet retired) holds 32 bytes per key, current first: run `uitweg keys retire` first.

Options:
  --from DIR    the SQLite deployment's data folder
  --to URL      the PostgreSQL database (postgresql://user@host/db)
  --help        show this help
)";

int Usage(const std::string& message) {
  std::fprintf(stderr, "uitweg migrate-data: %s\n(try uitweg migrate-data --help)\n",
               message.c_str());
  return 2;
}

}  // namespace

int RunMigrateDataCommand(int argc, char** argv) {
  core::Result<Args> args = Args::Parse(argc, argv, {"from", "to"}, {"help"});
  if (!args) return Usage(args.error().message);
  if (args->Has("help")) {
    std::fputs(kHelp, stdout);
    return 0;
  }
  const auto from = args->Get("from");
  const auto to = args->Get("to");
  if (!from || from->empty()) return Usage("--from DATA_DIR is required");
  if (!to || !store::IsPostgresUrl(*to)) return Usage("--to must be a postgresql:// URL");

  if (auto found = RequireExistingDatabase(*from, ""); !found) {
    std::fprintf(stderr, "uitweg migrate-data: %s\n", found.error().message.c_str());
    return 1;
  }
  // Held until the copy is committed: a server started meanwhile stops at once.
  auto alone = HoldDataFolder(*from);
  if (!alone) {
    std::fprintf(stderr, "uitweg migrate-data: %s%s\n", alone.error().message.c_str(),
                 alone.error().code == core::Errc::failed_precondition
                     ? ": stop it first (what it writes after the copy would be lost)"
                     : "");
    return 1;
  }
  const auto started = std::chrono::steady_clock::now();
  auto last_shown = started;
  auto copied = store::CopySqliteToPostgres(
      DatabasePath(*from), *to, [&](const store::CopyProgress& progress) {
        const auto now = std::chrono::steady_clock::now();
        if (progress.copied < progress.total && now - last_shown < std::chrono::seconds(1)) return;
        last_shown = now;
        std::fprintf(stderr, "%-14s %lld of %lld rows\n", std::string(progress.table).c_str(),
                     static_cast<long long>(progress.copied),
                     static_cast<long long>(progress.total));
      });
  if (!copied) {
    std::fprintf(stderr, "uitweg migrate-data: %s\n", copied.error().message.c_str());
    return 1;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  for (const store::TableCopied& table : *copied) {
    std::fprintf(stdout, "%-14s %10lld rows  checksum %s\n", table.table.c_str(),
                 static_cast<long long>(table.rows), table.checksum.c_str());
  }
  std::fprintf(stdout,
               "Copied and verified in %.1f s. Start the nodes with UITWEG_DATABASE set to the "
               "target and the same master key.\n"
               "The old database stays in %s: no retention run deletes anything in it any more. "
               "Once the nodes run, remove uitweg.db and its -wal and -shm files from it "
               "(shred them, or delete them on an encrypted disk), and keep the master key "
               "apart from any copy you keep.\n",
               seconds, from->c_str());
  return 0;
}

}  // namespace uitweg::app
