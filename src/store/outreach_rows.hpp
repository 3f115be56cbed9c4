#pragma once
// What both backends of OutreachStore do alike: the columns they select, reading a row of them
// (store/rows.hpp's StoredRow), scores as stored millionths, lists as lines, and the checks of
// input before it reaches SQL (so that both backends refuse the same things).

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/outreach_store.hpp"
#include "store/rows.hpp"

namespace uitweg::store {

inline constexpr std::string_view kInterruptedScan = "interrupted by a restart";

// SELECT <kScanColumns> FROM scan ...
inline constexpr const char* kScanColumns =
    "id, created_by, created_at, source_name, status, error, bytes_total, bytes_done, posts, "
    "flagged, clusters, lexicon_version, model_version, finished_at";

// SELECT <kFindingColumns>, <the finding's terms, one per line> FROM finding AS f
// LEFT JOIN finding_verdict AS v ON v.finding_id = f.id ...
inline constexpr const char* kFindingColumns =
    "f.id, f.scan_id, f.source, f.channel, f.author, f.message_id, f.date_unix, f.text, f.score, "
    "f.lexicon_score, f.model_score, f.categories, f.matches, f.cluster, f.cluster_channels, "
    "f.purged, v.verdict, v.account_id, v.at";
inline constexpr const char* kFindingsWithVerdicts =
    "finding AS f LEFT JOIN finding_verdict AS v ON v.finding_id = f.id";

// The statements that keep a verdict on a post (see OutreachStore) and count posts, alike in
// both backends.
struct OutreachSql {
  // ?1 the new finding's id, ?2 its post key: gives it the post's latest verdict, if any.
  std::string carry_verdict;
  // ?1 a finding's id, ?2 verdict, ?3 account, ?4 at: on every finding of its post; no row
  // changed when there is no such finding.
  std::string set_post_verdict;
  // ?1 a scan: one row, true when a finding of it has a verdict that no other scan's finding of
  // the same post keeps.
  std::string holds_only_verdicts;
  // ?1 a scan: deletes the verdicts of its findings (no cascade: see the schema).
  std::string drop_scan_verdicts;
  // SELECT <kLabelledColumns> <latest_verdicts> AND ...: each post once, by its latest verdict,
  // as its newest finding whose text is kept (if any is).
  std::string latest_verdicts;
  // Rows of TermStat, ordered.
  std::string term_stats;
  // ?1 first week, ?2 last week: rows of WeekCount, ordered.
  std::string week_counts;
};
const OutreachSql& OutreachStatements(SqlDialect dialect);

// SELECT <kLexiconColumns> FROM lexicon_version ...
inline constexpr const char* kLexiconColumns = "version, toml, created_by, created_at, note";

// A score as stored; invalid_argument for one that is not finite or beyond ±1e12.
core::Result<std::int64_t> ScoreMillionths(double score);
inline double ScoreFromMillionths(std::int64_t millionths) {
  return static_cast<double>(millionths) / 1e6;
}

// Lists (categories, terms) as one text, a line each.
std::string JoinLines(const std::vector<std::string>& items);
std::vector<std::string> SplitLines(std::string_view joined);

// The SQL condition on `v.verdict` (of kFindingsWithVerdicts) for a filter; constant text.
const char* VerdictCondition(VerdictFilter filter);

// Which post a finding is (see OutreachStore): "m<message id>:<fingerprint of its text>\n
// <channel>", or without a message id "h" and a fingerprint of its channel, date, author and
// text. Fingerprints outlive the text.
std::string PostKey(const Finding& finding);
// The ISO week of a post's date; empty when the date is unknown (0) or its ISO year is not one
// of four digits.
std::string WeekOfPost(std::int64_t date_unix);
// The finding's categories, each once, in its order.
std::vector<std::string> DistinctCategories(const Finding& finding);

core::Status CheckNewScan(const NewScan& scan);
core::Status CheckScanEnd(const ScanEnd& end);
core::Status CheckFinding(const Finding& finding);
core::Status CheckWeek(std::string_view week);
core::Status CheckPageLimit(std::int64_t limit);
inline constexpr const char* kAfterUnknown = "after names no finding of this scan";
core::Status CheckProgress(std::int64_t bytes_done, std::int64_t bytes_total, std::int64_t posts);
core::Status CheckLexiconVersion(const LexiconVersion& version);
// The finding's terms, each once, sorted bytewise.
std::vector<std::string> DistinctTerms(const Finding& finding);

core::Error StaleLexicon();
// What a finding's insert answers when the database refused its matches (invalid_argument).
core::Error MatchesNotAnArray();
// For a scan that a write found not queued or running: not_found when it does not exist,
// failed_precondition when it has ended.
core::Error ScanNotOpen(bool exists);
// Why DeleteScan refuses: the scan is queued or running, or its findings have verdicts.
core::Error ScanStillGoing();
core::Error ScanReviewed();

template <StoredRow Row>
core::Result<Scan> ReadScan(const Row& row) {
  Scan scan{.id = row.Int(0),
            .created_by = row.Int(1),
            .created_at = row.Int(2),
            .source_name = row.Text(3),
            .status = ScanStatus::queued,
            .error = row.Text(5),
            .bytes_total = row.Int(6),
            .bytes_done = row.Int(7),
            .posts = row.Int(8),
            .flagged = row.Int(9),
            .clusters = row.Int(10),
            .lexicon_version = row.Text(11),
            .model_version = row.Text(12),
            .finished_at = row.OptionalInt(13)};
  if (!ParseScanStatus(row.Text(4), scan.status)) return CorruptValue("scan status");
  return scan;
}

// A row of kFindingColumns followed by the terms, a line each.
template <StoredRow Row>
core::Result<Finding> ReadFinding(const Row& row) {
  Finding finding{.id = row.Int(0),
                  .scan_id = row.Int(1),
                  .source = row.Text(2),
                  .channel = row.Text(3),
                  .author = row.Text(4),
                  .message_id = row.Int(5),
                  .date_unix = row.Int(6),
                  .text = row.Text(7),
                  .score = ScoreFromMillionths(row.Int(8)),
                  .lexicon_score = ScoreFromMillionths(row.Int(9)),
                  .model_score = ScoreFromMillionths(row.Int(10)),
                  .categories = SplitLines(row.Text(11)),
                  .matches = row.Text(12),
                  .terms = SplitLines(row.Text(19)),
                  .cluster = row.Int(13),
                  .cluster_channels = row.Int(14),
                  .purged = row.Int(15) != 0,
                  .verdict = {}};
  if (!row.IsNull(16)) {
    GivenVerdict verdict{.verdict = Verdict::unsure, .account_id = row.Int(17), .at = row.Int(18)};
    if (!ParseVerdict(row.Text(16), verdict.verdict)) return CorruptValue("verdict");
    finding.verdict = verdict;
  }
  std::sort(finding.terms.begin(), finding.terms.end());
  return finding;
}

// SELECT <kLabelledColumns> FROM finding_verdict AS v JOIN finding AS f ON f.id = v.finding_id
inline constexpr const char* kLabelledColumns =
    "f.id, f.scan_id, f.text, f.categories, v.verdict, v.account_id, v.at";

template <StoredRow Row>
core::Result<LabelledPost> ReadLabelledPost(const Row& row) {
  LabelledPost post{
      .finding_id = row.Int(0),
      .scan_id = row.Int(1),
      .text = row.Text(2),
      .categories = SplitLines(row.Text(3)),
      .verdict = {.verdict = Verdict::unsure, .account_id = row.Int(5), .at = row.Int(6)}};
  if (!ParseVerdict(row.Text(4), post.verdict.verdict)) return CorruptValue("verdict");
  return post;
}

template <StoredRow Row>
core::Result<TermStat> ReadTermStat(const Row& row) {
  return TermStat{.term = row.Text(0),
                  .hits = row.Int(1),
                  .recruitment = row.Int(2),
                  .not_recruitment = row.Int(3)};
}

template <StoredRow Row>
core::Result<WeekCount> ReadWeekCount(const Row& row) {
  return WeekCount{.week = row.Text(0), .category = row.Text(1), .count = row.Int(2)};
}

template <StoredRow Row>
core::Result<LexiconVersion> ReadLexiconVersion(const Row& row) {
  return LexiconVersion{.version = row.Int(0),
                        .toml = row.Text(1),
                        .created_by = row.Int(2),
                        .created_at = row.Int(3),
                        .note = row.Text(4)};
}

}  // namespace uitweg::store
