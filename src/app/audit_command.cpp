#include "app/audit_command.hpp"

#include <cstdio>
#include <cstring>
#include <string>

#include "app/args.hpp"
#include "app/data_folder.hpp"
#include "auth/audit_trail.hpp"

namespace uitweg::app {
namespace {

constexpr const char* kHelp = R"(Usage: uitweg audit verify [--data DIR] [--database URL]

Checks the audit trail: every entry must carry the hash of the one before it and match its own
hash. Names the first entry that was changed, removed or put in, and exits 1 if there is one.
The database is only read; the server may be running.

Options:
  --data DIR           data folder (default: $UITWEG_DATA or ./data)
  --database URL       a PostgreSQL database instead (default: $UITWEG_DATABASE)
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
  core::Result<Args> args = Args::Parse(argc - 1, argv + 1, {"data", "database"}, {"help"});
  if (!args) return Usage(args.error().message);
  if (args->Has("help")) {
    std::fputs(kHelp, stdout);
    return 0;
  }
  const core::Result<std::string> database_url = DatabaseUrl(args->Get("database"));
  if (!database_url) return Usage(database_url.error().message);
  auto database = OpenDatabase(DataFolder(args->Get("data")), *database_url);
  if (!database) {
    std::fprintf(stderr, "uitweg audit: %s\n", database.error().message.c_str());
    return 1;
  }
  core::SystemClock clock;
  auth::AuditTrail trail(*database->audit, clock, "terminal@" + auth::HostName());
  std::int64_t checked = 0;
  auto verified = trail.Verify([&checked](std::int64_t so_far) {
    checked = so_far;
    if (so_far % 100'000 == 0)
      std::fprintf(stderr, "checked %lld entries\n", static_cast<long long>(so_far));
  });
  if (!verified) {
    std::fprintf(stderr, "uitweg audit: %s\n", verified.error().message.c_str());
    return 1;
  }
  if (*verified) {
    std::fprintf(stdout, "The audit trail is broken at entry %lld: %s.\n",
                 static_cast<long long>((*verified)->seq), (*verified)->why.c_str());
    return 1;
  }
  std::fprintf(stdout,
               "The audit trail is intact: %lld entries, each following from the one before.\n",
               static_cast<long long>(checked));
  return 0;
}

}  // namespace uitweg::app
