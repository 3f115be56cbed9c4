#include "app/audit_command.hpp"

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>

#include "app/args.hpp"
#include "app/data_folder.hpp"
#include "auth/audit_trail.hpp"

namespace uitweg::app {
namespace {

constexpr const char* kHelp =
    R"(Usage: uitweg audit verify [--data DIR] [--database URL] [--anchor SEQ:HASH]

Checks the audit trail: every entry must carry the hash of the one before it and match its own
hash. Names the first entry that was changed, removed or put in, and exits 1 if there is one.
The server may be running.

The chain alone does not show a rewrite by someone who recomputed every hash after their
change, nor entries cut from its end. Each run prints its last entry as SEQ:HASH: keep that
line apart from the database (a scheduled job's log), and give it to a later run as --anchor;
that run then also fails when the entry is gone or different.

Options:
  --data DIR           data folder (default: $UITWEG_DATA or ./data)
  --database URL       a PostgreSQL database instead (default: $UITWEG_DATABASE)
  --anchor SEQ:HASH    an entry an earlier run printed, which must still be there
  --help               show this help
)";

int Usage(const std::string& message) {
  std::fprintf(stderr, "uitweg audit: %s\n(try uitweg audit --help)\n", message.c_str());
  return 2;
}

}  // namespace

int RunAuditCommand(int argc, char** argv) {
  if (argc < 1 || std::strcmp(argv[0], "--help") == 0) {
    std::fputs(kHelp, argc < 1 ? stderr : stdout);
    return argc < 1 ? 2 : 0;
  }
  if (std::strcmp(argv[0], "verify") != 0) return Usage("the only sub-command is 'verify'");
  core::Result<Args> args =
      Args::Parse(argc - 1, argv + 1, {"data", "database", "anchor"}, {"help"});
  if (!args) return Usage(args.error().message);
  if (args->Has("help")) {
    std::fputs(kHelp, stdout);
    return 0;
  }
  std::optional<auth::ChainAnchor> anchor;
  if (const auto text = args->Get("anchor")) {
    anchor = auth::ParseChainAnchor(*text);
    if (!anchor) return Usage("--anchor is SEQ:HASH, as an earlier run printed it");
  }
  const core::Result<std::string> database_url = DatabaseUrl(args->Get("database"));
  if (!database_url) return Usage(database_url.error().message);
  const std::filesystem::path data_dir = DataFolder(args->Get("data"));
  // Opening would make a new, empty database, whose trail is intact: a mistyped folder must fail.
  if (core::Status found = RequireExistingDatabase(data_dir, *database_url); !found) {
    std::fprintf(stderr, "uitweg audit: %s\n", found.error().message.c_str());
    return 1;
  }
  auto database = OpenDatabase(data_dir, *database_url);
  if (!database) {
    std::fprintf(stderr, "uitweg audit: %s\n", database.error().message.c_str());
    return 1;
  }
  core::SystemClock clock;
  auth::AuditTrail trail(*database->audit, clock, "terminal@" + auth::HostName());
  auto verified = trail.Verify(
      [](std::int64_t so_far) {
        if (so_far % 100'000 == 0)
          std::fprintf(stderr, "checked %lld entries\n", static_cast<long long>(so_far));
      },
      anchor);
  if (!verified) {
    std::fprintf(stderr, "uitweg audit: %s\n", verified.error().message.c_str());
    return 1;
  }
  if (verified->broken) {
    std::fprintf(stdout, "The audit trail is broken at entry %lld: %s.\n",
                 static_cast<long long>(verified->broken->seq), verified->broken->why.c_str());
    return 1;
  }
  std::fprintf(stdout,
               "The audit trail is intact: %lld entries, each following from the one before.\n",
               static_cast<long long>(verified->last.seq));
  if (verified->last.seq > 0) {
    std::fprintf(stdout, "Its last entry, to keep apart from the database for --anchor: %s\n",
                 auth::ChainAnchorText(verified->last).c_str());
  }
  return 0;
}

}  // namespace uitweg::app
