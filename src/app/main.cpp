// The composition root's front door: picks the sub-command. Each command wires what it needs
// and returns the exit code; nothing here outlives main.

#include <cstdio>
#include <cstring>
#include <exception>

#include "app/audit_command.hpp"
#include "app/backup_command.hpp"
#include "app/keys_command.hpp"
#include "app/migrate_data_command.hpp"
#include "app/outreach_command.hpp"
#include "app/report_command.hpp"
#include "app/retention_command.hpp"
#include "app/routes_command.hpp"
#include "app/scan_command.hpp"
#include "app/serve_command.hpp"
#include "app/user_command.hpp"
#include "core/log.hpp"

namespace {

constexpr const char* kHelp = R"(Usage: uitweg <command> [options]

Commands:
  serve      run the server (uitweg serve --help)
  user       staff accounts: add, reset-2fa, disable, enable, log-name (uitweg user --help)
  scan       find recruitment posts in channel exports (uitweg scan --help)
  outreach   train the scan's learned scorer on labelled posts (uitweg outreach --help)
  backup     copy an SQLite deployment's database while it runs (uitweg backup --help)
  migrate-data  move an SQLite deployment to PostgreSQL (uitweg migrate-data --help)
  routes     every route and staff frame with the roles that may use it
  audit      verify the audit trail's hash chain (uitweg audit --help)
  report     a partner's report, suppressed and rounded (uitweg report --help)
  retention  shred conversations past the retention period now (uitweg retention --help)
  keys       rotate the master key while the servers run (uitweg keys --help)

Every command takes --help.
)";

int Dispatch(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "help") == 0) {
    std::fputs(kHelp, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  if (std::strcmp(argv[1], "serve") == 0) return uitweg::app::RunServe(argc - 2, argv + 2);
  if (std::strcmp(argv[1], "user") == 0) return uitweg::app::RunUserCommand(argc - 2, argv + 2);
  if (std::strcmp(argv[1], "scan") == 0) return uitweg::app::RunScanCommand(argc - 1, argv + 1);
  if (std::strcmp(argv[1], "outreach") == 0) {
    return uitweg::app::RunOutreachCommand(argc - 1, argv + 1);
  }
  if (std::strcmp(argv[1], "backup") == 0) return uitweg::app::RunBackupCommand(argc - 2, argv + 2);
  if (std::strcmp(argv[1], "retention") == 0) {
    return uitweg::app::RunRetentionCommand(argc - 2, argv + 2);
  }
  if (std::strcmp(argv[1], "keys") == 0) return uitweg::app::RunKeysCommand(argc - 2, argv + 2);
  if (std::strcmp(argv[1], "audit") == 0) return uitweg::app::RunAuditCommand(argc - 2, argv + 2);
  if (std::strcmp(argv[1], "report") == 0) return uitweg::app::RunReportCommand(argc - 2, argv + 2);
  if (std::strcmp(argv[1], "routes") == 0) return uitweg::app::RunRoutesCommand(argc - 2, argv + 2);
  if (std::strcmp(argv[1], "migrate-data") == 0) {
    return uitweg::app::RunMigrateDataCommand(argc - 2, argv + 2);
  }
  std::fprintf(stderr, "uitweg: unknown command '%s'\n\n%s", argv[1], kHelp);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Dispatch(argc, argv);
  } catch (const std::exception& e) {
    uitweg::core::Log(uitweg::core::LogLevel::error, "uitweg.failed", {{"error", e.what()}});
    return 1;
  }
}
