#include "app/report_command.hpp"

#include <cstdio>
#include <cstring>
#include <string>

#include <fmt/format.h>

#include "app/args.hpp"
#include "app/config.hpp"
#include "app/data_folder.hpp"
#include "app/registration_form.hpp"
#include "app/review_rubric.hpp"
#include "app/terminal_audit.hpp"
#include "auth/audit_trail.hpp"
#include "chat/opening_hours.hpp"
#include "core/files.hpp"
#include "insights/dashboard.hpp"
#include "insights/partners.hpp"

namespace uitweg::app {
namespace {

constexpr const char* kHelp =
    R"(Usage: uitweg report --partner NAME --from YYYY-MM-DD --to YYYY-MM-DD [options]

Writes a partner's report: the funnel, the registrations and the trends of the partner's
regions over the days from --from to --to (both included), every count under the suppression
threshold left out, the cells that would give one away left out too, the rest rounded, as set in
the configuration's [insights]. The report is recorded in the audit trail and in the partner's
log of reports, so that a later report over an overlapping period cannot be subtracted from it.
Admins define partners in the console (Inzichten, Partners).

Options:
  --partner NAME       the partner's name
  --from DATE          the first day (YYYY-MM-DD)
  --to DATE            the last day (YYYY-MM-DD), [insights] report_settle_days (1) before
                       today at the latest
  --format FORMAT      csv or html (default: html, a printable page)
  --out FILE           write to FILE instead of standard output
  --config FILE        TOML configuration file (as for serve)
  --data DIR           data folder (default: $UITWEG_DATA, else the file's data_dir)
  --database URL       a PostgreSQL database (default: $UITWEG_DATABASE, else the file's)
  --help               show this help
)";

constexpr std::int64_t kDayMillis = 24LL * 60 * 60 * 1000;
constexpr std::int64_t kMaxDays = 731;

int Usage(const std::string& message) {
  std::fprintf(stderr, "uitweg report: %s\n(try uitweg report --help)\n", message.c_str());
  return 2;
}

int Failed(const std::string& message) {
  std::fprintf(stderr, "uitweg report: %s\n", message.c_str());
  return 1;
}

std::int64_t DayOf(core::UnixMillis start) {
  return (start + chat::UtcOffsetMillis(start)) / kDayMillis;
}

}  // namespace

int RunReportCommand(int argc, char** argv) {
  if (argc < 1 || std::strcmp(argv[0], "--help") == 0) {
    std::fputs(kHelp, argc < 1 ? stderr : stdout);
    return argc < 1 ? 2 : 0;
  }
  core::Result<Args> args = Args::Parse(
      argc, argv, {"partner", "from", "to", "format", "out", "config", "data", "database"},
      {"help"});
  if (!args) return Usage(args.error().message);
  if (args->Has("help")) {
    std::fputs(kHelp, stdout);
    return 0;
  }
  const std::optional<std::string> partner = args->Get("partner");
  const std::optional<std::string> from = args->Get("from");
  const std::optional<std::string> to = args->Get("to");
  if (!partner) return Usage("--partner names the partner");
  if (!from || !to || !chat::IsDate(*from) || !chat::IsDate(*to)) {
    return Usage("--from and --to are dates, YYYY-MM-DD");
  }
  const std::string format = args->Get("format").value_or("html");
  if (format != "csv" && format != "html") return Usage("--format is csv or html");
  const std::int64_t first_day = DayOf(chat::StartOfLocalDate(*from));
  const std::int64_t last_day = DayOf(chat::StartOfLocalDate(*to));
  if (last_day - first_day + 1 > kMaxDays) return Usage("a period is at most two years");

  // Where the server keeps its data, as `serve` reads it: the file, the environment, the flags.
  const core::Result<Config> config =
      LoadConfig(args->Get("config").value_or(""), ReadConfigEnvironment(),
                 ConfigOverrides{.data_dir = args->Get("data"), .database = args->Get("database")});
  if (!config) return Usage(config.error().message);
  auto form = LoadRegistrationForm(config->registration_form);
  if (!form) return Usage(form.error().message);
  auto rubric = LoadReviewRubric(config->review_rubric);
  if (!rubric) return Usage(rubric.error().message);
  if (core::Status found = RequireExistingDatabase(config->data_dir, config->database); !found) {
    return Failed(found.error().message);
  }
  auto database = OpenDatabase(config->data_dir, config->database);
  if (!database) return Failed(database.error().message);

  core::SystemClock clock;
  const insights::MethodologyReader methodology(*database->reviews, *rubric);
  const insights::PartnerReportBuilder builder(
      *database->insights, *form,
      insights::DisclosureRules{config->insights.suppression_threshold,
                                config->insights.rounding_base},
      [](std::int64_t day) { return chat::StartOfLocalDate(insights::DayName(day)); },
      &methodology);
  insights::PartnerReports reports(*database->settings, builder,
                                   config->insights.report_settle_days);
  const core::UnixMillis now = clock.Now();
  auto report = reports.Generate(*partner, {first_day, last_day},
                                 DayOf(chat::StartOfLocalDate(chat::LocalDate(now))), now);
  if (!report) {
    return report.error().code == core::Errc::invalid_argument ? Usage(report.error().message)
                                                               : Failed(report.error().message);
  }
  const std::string text =
      format == "csv" ? insights::RenderCsv(*report) : insights::RenderHtml(*report);
  if (const std::optional<std::string> out = args->Get("out")) {
    if (core::Status written = core::WriteFileWhole(*out, text); !written) {
      return Failed(written.error().message);
    }
  } else if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size()) {
    return Failed("cannot write the report");
  }
  auth::AuditTrail audit(*database->audit, clock, "terminal@" + auth::HostName());
  const bool recorded = RecordedFromTerminal(
      audit, "uitweg report", auth::audit_action::insights_report,
      fmt::format("{} {}..{} {} (uitweg report)", report->partner.name, *from, *to, format),
      "the report was made");
  return recorded ? 0 : 1;
}

}  // namespace uitweg::app
