#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/calendar.hpp"
#include "core/fnv.hpp"
#include "core/utf8.hpp"
#include "store/outreach_rows.hpp"

namespace uitweg::store {
namespace {

constexpr double kMaxScore = 1e12;

// PostgreSQL refuses text that is not UTF-8 or holds NUL; SQLite would keep it. Refusing it
// here keeps both backends (and a copy between them) alike.
bool StorableText(std::string_view text) {
  return core::InvalidUtf8Offset(text) == text.size() && text.find('\0') == std::string_view::npos;
}

core::Status CheckText(std::string_view text, const char* what) {
  if (!StorableText(text)) {
    return core::Fail(core::Errc::invalid_argument,
                      std::string(what) + " is not UTF-8 text (or holds a NUL byte)");
  }
  return {};
}

core::Status CheckListItems(const std::vector<std::string>& items, const char* what) {
  for (const std::string& item : items) {
    if (item.empty() || item.find('\n') != std::string::npos) {
      return core::Fail(core::Errc::invalid_argument,
                        std::string(what) + " must not be empty or hold a line break");
    }
    UITWEG_TRY(CheckText(item, what));
  }
  return {};
}

core::Status CheckCount(std::int64_t count, const char* what) {
  if (count < 0) return core::Fail(core::Errc::invalid_argument, std::string(what) + " < 0");
  return {};
}

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

std::string_view ScanStatusName(ScanStatus status) {
  switch (status) {
    case ScanStatus::queued: return "queued";
    case ScanStatus::running: return "running";
    case ScanStatus::done: return "done";
    case ScanStatus::failed: return "failed";
    case ScanStatus::cancelled: return "cancelled";
  }
  return "queued";
}

bool ParseScanStatus(std::string_view name, ScanStatus& status) {
  for (ScanStatus candidate : {ScanStatus::queued, ScanStatus::running, ScanStatus::done,
                               ScanStatus::failed, ScanStatus::cancelled}) {
    if (ScanStatusName(candidate) == name) {
      status = candidate;
      return true;
    }
  }
  return false;
}

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::recruitment: return "recruitment";
    case Verdict::not_recruitment: return "not_recruitment";
    case Verdict::unsure: return "unsure";
  }
  return "unsure";
}

bool ParseVerdict(std::string_view name, Verdict& verdict) {
  for (Verdict candidate : {Verdict::recruitment, Verdict::not_recruitment, Verdict::unsure}) {
    if (VerdictName(candidate) == name) {
      verdict = candidate;
      return true;
    }
  }
  return false;
}

core::Result<std::int64_t> ScoreMillionths(double score) {
  if (!std::isfinite(score) || std::fabs(score) > kMaxScore) {
    return core::Fail(core::Errc::invalid_argument, "a score must be a number within ±1e12");
  }
  return std::llround(score * 1e6);
}

std::string JoinLines(const std::vector<std::string>& items) {
  std::string joined;
  for (const std::string& item : items) {
    if (!joined.empty()) joined += '\n';
    joined += item;
  }
  return joined;
}

std::vector<std::string> SplitLines(std::string_view joined) {
  std::vector<std::string> items;
  while (!joined.empty()) {
    const std::size_t end = joined.find('\n');
    if (end != 0) items.emplace_back(joined.substr(0, end));
    if (end == std::string_view::npos) break;
    joined.remove_prefix(end + 1);
  }
  return items;
}

const char* VerdictCondition(VerdictFilter filter) {
  switch (filter) {
    case VerdictFilter::every: return "TRUE";
    case VerdictFilter::none: return "v.verdict IS NULL";
    case VerdictFilter::any: return "v.verdict IS NOT NULL";
    case VerdictFilter::recruitment: return "v.verdict = 'recruitment'";
    case VerdictFilter::not_recruitment: return "v.verdict = 'not_recruitment'";
    case VerdictFilter::unsure: return "v.verdict = 'unsure'";
  }
  return "TRUE";
}

core::Status CheckNewScan(const NewScan& scan) {
  if (scan.source_name.empty()) {
    return core::Fail(core::Errc::invalid_argument, "a scan needs the name of its source");
  }
  UITWEG_TRY(CheckText(scan.source_name, "the scan's source name"));
  UITWEG_TRY(CheckText(scan.lexicon_version, "the lexicon version"));
  UITWEG_TRY(CheckText(scan.model_version, "the model version"));
  return CheckCount(scan.bytes_total, "bytes_total");
}

core::Status CheckProgress(std::int64_t bytes_done, std::int64_t bytes_total, std::int64_t posts) {
  UITWEG_TRY(CheckCount(bytes_done, "bytes_done"));
  UITWEG_TRY(CheckCount(bytes_total, "bytes_total"));
  return CheckCount(posts, "posts");
}

core::Status CheckScanEnd(const ScanEnd& end) {
  if (end.status == ScanStatus::queued || end.status == ScanStatus::running) {
    return core::Fail(core::Errc::invalid_argument,
                      "a scan ends as done, failed or cancelled, not queued or running");
  }
  UITWEG_TRY(CheckText(end.error, "the scan's error"));
  UITWEG_TRY(CheckCount(end.posts, "posts"));
  UITWEG_TRY(CheckCount(end.flagged, "flagged"));
  return CheckCount(end.clusters, "clusters");
}

core::Status CheckFinding(const Finding& finding) {
  UITWEG_TRY(CheckText(finding.source, "a finding's source"));
  UITWEG_TRY(CheckText(finding.channel, "a finding's channel"));
  UITWEG_TRY(CheckText(finding.author, "a finding's author"));
  UITWEG_TRY(CheckText(finding.text, "a finding's text"));
  UITWEG_TRY(CheckText(finding.matches, "a finding's matches"));
  UITWEG_TRY(CheckListItems(finding.categories, "a finding's category"));
  UITWEG_TRY(CheckListItems(finding.terms, "a finding's term"));
  UITWEG_TRY(ScoreMillionths(finding.score));
  UITWEG_TRY(ScoreMillionths(finding.lexicon_score));
  UITWEG_TRY(ScoreMillionths(finding.model_score));
  UITWEG_TRY(CheckCount(finding.cluster, "cluster"));
  return CheckCount(finding.cluster_channels, "cluster_channels");
}

core::Status CheckWeek(std::string_view week) {
  const bool shaped = week.size() == 8 && IsDigit(week[0]) && IsDigit(week[1]) &&
                      IsDigit(week[2]) && IsDigit(week[3]) && week[4] == '-' && week[5] == 'W' &&
                      IsDigit(week[6]) && IsDigit(week[7]);
  const int number = shaped ? (week[6] - '0') * 10 + (week[7] - '0') : 0;
  if (number < 1 || number > 53) {
    return core::Fail(core::Errc::invalid_argument, "a week is written as an ISO week: 2026-W07");
  }
  return {};
}

core::Status CheckPageLimit(std::int64_t limit) {
  if (limit < 1 || limit > OutreachStore::kMaxPage) {
    return core::Fail(core::Errc::invalid_argument,
                      "a page holds 1 to " + std::to_string(OutreachStore::kMaxPage) + " rows");
  }
  return {};
}

core::Status CheckLexiconVersion(const LexiconVersion& version) {
  UITWEG_TRY(CheckText(version.toml, "the lexicon"));
  return CheckText(version.note, "the lexicon's note");
}

std::vector<std::string> DistinctTerms(const Finding& finding) {
  std::vector<std::string> terms = finding.terms;
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  return terms;
}

std::string PostKey(const Finding& finding) {
  // The parts are UTF-8 without NULs (CheckText), so a NUL keeps them apart. The text is in
  // both: a "message id" of text and CSV input is its line number, which another file shares.
  const auto mixed = [](std::uint64_t hash, std::string_view part) {
    return core::Fnv1a64(part, core::Fnv1a64(std::string_view("\0", 1), hash));
  };
  const std::uint64_t text = core::Fnv1a64(finding.text);
  if (finding.message_id != 0) {
    return fmt::format("m{}:{:016x}\n{}", finding.message_id, text, finding.channel);
  }
  std::uint64_t hash = mixed(text, finding.channel);
  hash = mixed(hash, std::to_string(finding.date_unix));
  return fmt::format("h{:016x}", mixed(hash, finding.author));
}

std::string WeekOfPost(std::int64_t date_unix) {
  if (date_unix == 0) return {};
  constexpr std::int64_t kSecondsPerDay = 86'400;
  const std::int64_t day = date_unix / kSecondsPerDay - (date_unix % kSecondsPerDay < 0 ? 1 : 0);
  const std::int64_t iso_year = core::CivilFromDays(core::WeekStart(day) + 3).year;
  if (iso_year < 1000 || iso_year > 9999) return {};
  return core::IsoWeekOfDay(day);
}

std::vector<std::string> DistinctCategories(const Finding& finding) {
  std::vector<std::string> categories;
  for (const std::string& category : finding.categories) {
    if (std::find(categories.begin(), categories.end(), category) == categories.end()) {
      categories.push_back(category);
    }
  }
  return categories;
}

namespace {

OutreachSql OutreachSqlOf(SqlDialect dialect) {
  const bool postgres = dialect == SqlDialect::postgres;
  const auto numbered = [postgres](std::string sql) {
    if (postgres) std::replace(sql.begin(), sql.end(), '?', '$');
    return sql;
  };
  const std::string bytewise = postgres ? " COLLATE \"C\"" : "";
  return OutreachSql{
      .carry_verdict =
          numbered("INSERT INTO finding_verdict (finding_id, verdict, account_id, at)"
                   " SELECT CAST(?1 AS BIGINT), v.verdict, v.account_id, v.at FROM finding AS g"
                   " JOIN finding_verdict AS v ON v.finding_id = g.id"
                   " WHERE g.post = CAST(?2 AS TEXT) AND g.id <> CAST(?1 AS BIGINT)"
                   " ORDER BY v.at DESC, g.id DESC LIMIT 1"),
      .set_post_verdict =
          numbered("INSERT INTO finding_verdict (finding_id, verdict, account_id, at)"
                   " SELECT g.id, CAST(?2 AS TEXT), CAST(?3 AS BIGINT), CAST(?4 AS BIGINT)"
                   " FROM finding AS g WHERE g.post = (SELECT post FROM finding WHERE id = ?1)"
                   " ON CONFLICT (finding_id) DO UPDATE SET verdict = excluded.verdict,"
                   " account_id = excluded.account_id, at = excluded.at"),
      .holds_only_verdicts = numbered(
          "SELECT EXISTS (SELECT 1 FROM finding_verdict AS v JOIN finding AS f"
          " ON f.id = v.finding_id WHERE f.scan_id = ?1 AND NOT EXISTS (SELECT 1 FROM finding"
          " AS g WHERE g.post = f.post AND g.scan_id <> ?1))"),
      .drop_scan_verdicts = numbered("DELETE FROM finding_verdict WHERE finding_id IN"
                                     " (SELECT id FROM finding WHERE scan_id = ?1)"),
      .latest_verdicts =
          " FROM finding_verdict AS v JOIN finding AS f ON f.id = v.finding_id"
          " WHERE NOT EXISTS (SELECT 1 FROM finding AS g JOIN finding_verdict AS w"
          " ON w.finding_id = g.id WHERE g.post = f.post AND (w.at > v.at OR (w.at = v.at"
          " AND (g.purged < f.purged OR (g.purged = f.purged AND g.id > f.id)))))",
      .term_stats =
          "SELECT t.term, COUNT(DISTINCT f.post),"
          " COUNT(DISTINCT CASE WHEN v.verdict = 'recruitment' THEN f.post END),"
          " COUNT(DISTINCT CASE WHEN v.verdict = 'not_recruitment' THEN f.post END)"
          " FROM finding_term AS t JOIN finding AS f ON f.id = t.finding_id"
          " LEFT JOIN finding_verdict AS v ON v.finding_id = t.finding_id"
          " GROUP BY t.term ORDER BY t.term" +
          bytewise,
      .week_counts =
          numbered("SELECT w.week, w.category, COUNT(DISTINCT f.post) FROM finding_week AS w"
                   " JOIN finding AS f ON f.id = w.finding_id WHERE w.week >= ?1 AND w.week <= ?2"
                   " GROUP BY w.week, w.category ORDER BY w.week" +
                   bytewise + ", w.category" + bytewise)};
}

}  // namespace

const OutreachSql& OutreachStatements(SqlDialect dialect) {
  static const OutreachSql sqlite = OutreachSqlOf(SqlDialect::sqlite);
  static const OutreachSql postgres = OutreachSqlOf(SqlDialect::postgres);
  return dialect == SqlDialect::postgres ? postgres : sqlite;
}

core::Error StaleLexicon() {
  return core::Fail(core::Errc::failed_precondition,
                    "someone saved the lexicon since you opened it; reload it first");
}

core::Error MatchesNotAnArray() {
  return core::Fail(core::Errc::invalid_argument, "a finding's matches are not a JSON array");
}

core::Error ScanNotOpen(bool exists) {
  if (!exists) return core::Fail(core::Errc::not_found, "no such scan");
  return core::Fail(core::Errc::failed_precondition, "the scan has ended");
}

core::Error ScanStillGoing() {
  return core::Fail(core::Errc::failed_precondition, "the scan is still going; cancel it first");
}

core::Error ScanReviewed() {
  return core::Fail(core::Errc::failed_precondition,
                    "the scan's findings have verdicts, which are kept");
}

}  // namespace uitweg::store
