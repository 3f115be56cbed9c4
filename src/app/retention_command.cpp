#include "app/retention_command.hpp"

#include <cstdio>
#include <cstring>
#include <string>

#include "app/args.hpp"
#include "app/config.hpp"
#include "app/data_folder.hpp"
#include "app/outreach_console.hpp"
#include "auth/audit_trail.hpp"
#include "chat/retention.hpp"

namespace uitweg::app {
namespace {

constexpr const char* kHelp =
    R"(Usage: uitweg retention run [--config FILE] [--data DIR] [--database URL]

Crypto-shreds every ended conversation older than the retention period ([retention]
ended_conversation_days in the configuration, default 90) and every one whose visitor asked to
be forgotten: its key, nickname and texts are gone for good; ids, times and counts remain. Also
blanks the texts of outreach findings older than [outreach] retention_days (default 90). The
server does this every minute by itself; this runs it once, e.g. after lowering the period.
(Ending the messages left that nobody took within the period is the server's alone.)
Each shredded conversation is recorded in the audit trail.

Options:
  --config FILE        TOML configuration file (as for serve)
  --data DIR           data folder (default: $UITWEG_DATA, else the file's data_dir)
  --database URL       a PostgreSQL database (default: $UITWEG_DATABASE, else the file's)
  --help               show this help
)";

int Usage(const std::string& message) {
  std::fprintf(stderr, "uitweg retention: %s\n(try uitweg retention --help)\n", message.c_str());
  return 2;
}

}  // namespace

int RunRetentionCommand(int argc, char** argv) {
  if (argc < 1 || std::strcmp(argv[0], "--help") == 0) {
    std::fputs(kHelp, argc < 1 ? stderr : stdout);
    return argc < 1 ? 2 : 0;
  }
  if (std::strcmp(argv[0], "run") != 0) return Usage("the only sub-command is 'run'");
  core::Result<Args> args =
      Args::Parse(argc - 1, argv + 1, {"config", "data", "database"}, {"help"});
  if (!args) return Usage(args.error().message);
  if (args->Has("help")) {
    std::fputs(kHelp, stdout);
    return 0;
  }
  // Where the server keeps its data, as `serve` reads it: the file, the environment, the flags.
  const core::Result<Config> config =
      LoadConfig(args->Get("config").value_or(""), ReadConfigEnvironment(),
                 ConfigOverrides{.data_dir = args->Get("data"), .database = args->Get("database")});
  if (!config) return Usage(config.error().message);
  if (core::Status found = RequireExistingDatabase(config->data_dir, config->database); !found) {
    std::fprintf(stderr, "uitweg retention: %s\n", found.error().message.c_str());
    return 1;
  }
  auto database = OpenDatabase(config->data_dir, config->database);
  if (!database) {
    std::fprintf(stderr, "uitweg retention: %s\n", database.error().message.c_str());
    return 1;
  }
  core::SystemClock clock;
  auth::AuditTrail audit(*database->audit, clock, "terminal@" + auth::HostName());
  chat::Retention retention(
      *database->conversations, clock, config->retention, [&audit](const std::string& id) {
        return audit.Record(auth::Actor::Nobody(), auth::audit_action::deleted, id, "retention");
      });
  auto shredded = retention.Run();
  if (!shredded) {
    std::fprintf(stderr, "uitweg retention: %s\n", shredded.error().message.c_str());
    return 1;
  }
  std::printf("Shredded %lld conversation(s).\n", static_cast<long long>(*shredded));
  auto purged = PurgeFindingTexts(*database->outreach, clock, config->outreach);
  if (!purged) {
    std::fprintf(stderr, "uitweg retention: %s\n", purged.error().message.c_str());
    return 1;
  }
  std::printf("Blanked the texts of %lld outreach finding(s).\n", static_cast<long long>(*purged));
  return 0;
}

}  // namespace uitweg::app
