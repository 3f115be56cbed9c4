#include "store/postgres/postgres_outreach_store.hpp"

#include <limits>

#include "store/outreach_rows.hpp"

namespace uitweg::store::postgres {
namespace {

constexpr const char* kLockKey = "outreach";
const OutreachSql& kSql = OutreachStatements(SqlDialect::postgres);
// pg_advisory_xact_lock's key for giving verdicts and adding findings ("uitweg", 4): a finding
// that another node adds while a verdict is given to its post must not miss that verdict.
constexpr std::int64_t kVerdictLock = 0x7569747765670004;

const std::string kSelectFindings = std::string("SELECT ") + kFindingColumns +
                                    ", (SELECT string_agg(term, E'\\n') FROM finding_term"
                                    " WHERE finding_id = f.id) FROM " +
                                    kFindingsWithVerdicts;

// The scan's status; nullopt when there is no such scan. `lock`: held until the commit, so that
// a write that checked the status cannot interleave with another node ending the scan.
core::Result<std::optional<ScanStatus>> StatusOf(Connection& db, std::int64_t scan_id, bool lock) {
  UITWEG_TRY_ASSIGN(Rows rows, db.Query(lock ? "SELECT status FROM scan WHERE id = $1 FOR UPDATE"
                                             : "SELECT status FROM scan WHERE id = $1",
                                        {scan_id}));
  if (rows.empty()) return std::optional<ScanStatus>();
  ScanStatus status = ScanStatus::queued;
  if (!ParseScanStatus(rows[0].Text(0), status)) return CorruptValue("scan status");
  return std::optional<ScanStatus>(status);
}

core::Status RequireScan(Connection& db, std::int64_t scan_id, bool lock) {
  UITWEG_TRY_ASSIGN(const auto status, StatusOf(db, scan_id, lock));
  if (!status) return ScanNotOpen(false);
  return {};
}

// After an update limited to queued or running scans changed nothing: why not.
core::Error NotOpen(Connection& db, std::int64_t scan_id) {
  auto status = StatusOf(db, scan_id, false);
  if (!status) return status.error();
  return ScanNotOpen(status->has_value());
}

// The finding with its terms and weeks in one statement, and its post's verdict in another.
core::Status InsertFinding(Connection& db, std::int64_t scan_id, const Finding& finding) {
  UITWEG_TRY_ASSIGN(const std::int64_t score, ScoreMillionths(finding.score));
  UITWEG_TRY_ASSIGN(const std::int64_t lexicon_score, ScoreMillionths(finding.lexicon_score));
  UITWEG_TRY_ASSIGN(const std::int64_t model_score, ScoreMillionths(finding.model_score));
  const std::vector<std::string> terms = DistinctTerms(finding);
  const std::string week = WeekOfPost(finding.date_unix);
  const std::vector<std::string> categories =
      week.empty() ? std::vector<std::string>() : DistinctCategories(finding);
  const std::string post = PostKey(finding);
  auto inserted = db.Query(
      "WITH added AS (INSERT INTO finding (scan_id, source, channel, author, message_id,"
      " date_unix, text, score, lexicon_score, model_score, categories, matches, cluster,"
      " cluster_channels, purged, post) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,"
      " $12, $13, $14, 0, $18) RETURNING id),"
      " terms AS (INSERT INTO finding_term (finding_id, term)"
      " SELECT added.id, term FROM added, unnest($15::text[]) AS term),"
      " weeks AS (INSERT INTO finding_week (finding_id, week, category)"
      " SELECT added.id, $16, category FROM added, unnest($17::text[]) AS category)"
      " SELECT id FROM added",
      {scan_id, finding.source, finding.channel, finding.author, finding.message_id,
       finding.date_unix, finding.text, score, lexicon_score, model_score,
       JoinLines(finding.categories), finding.matches, finding.cluster, finding.cluster_channels,
       TextArray(terms), week, TextArray(categories), post});
  if (!inserted && inserted.error().code == core::Errc::invalid_argument) {
    return MatchesNotAnArray();
  }
  UITWEG_TRY(inserted);
  UITWEG_TRY(db.Query(kSql.carry_verdict, {(*inserted)[0].Int(0), post}));
  return {};
}

core::Result<std::optional<LexiconVersion>> OptionalVersion(const Rows& rows) {
  if (rows.empty()) return std::optional<LexiconVersion>();
  UITWEG_TRY_ASSIGN(LexiconVersion found, ReadLexiconVersion(rows[0]));
  return std::optional<LexiconVersion>(std::move(found));
}

}  // namespace

core::Result<Scan> PostgresOutreachStore::CreateScan(const NewScan& scan) {
  UITWEG_TRY(CheckNewScan(scan));
  return connections_->writer().Run<Scan>(
      [&](Connection& db) -> core::Result<Scan> {
        UITWEG_TRY_ASSIGN(
            Rows rows,
            db.Query("INSERT INTO scan (created_by, created_at, source_name, status, error,"
                     " bytes_total, bytes_done, posts, flagged, clusters, lexicon_version,"
                     " model_version) VALUES ($1, $2, $3, 'queued', '', $4, 0, 0, 0, 0, $5, $6)"
                     " RETURNING id",
                     {scan.created_by, scan.created_at, scan.source_name, scan.bytes_total,
                      scan.lexicon_version, scan.model_version}));
        return Scan{.id = rows[0].Int(0),
                    .created_by = scan.created_by,
                    .created_at = scan.created_at,
                    .source_name = scan.source_name,
                    .bytes_total = scan.bytes_total,
                    .lexicon_version = scan.lexicon_version,
                    .model_version = scan.model_version};
      },
      kLockKey);
}

core::Status PostgresOutreachStore::UpdateScanProgress(std::int64_t scan_id,
                                                       std::int64_t bytes_done,
                                                       std::int64_t bytes_total,
                                                       std::int64_t posts) {
  UITWEG_TRY(CheckProgress(bytes_done, bytes_total, posts));
  return connections_->writer().Run<void>(
      [&](Connection& db) -> core::Status {
        UITWEG_TRY_ASSIGN(Rows rows, db.Query("UPDATE scan SET status = 'running', bytes_done = $2,"
                                              " bytes_total = $3, posts = $4"
                                              " WHERE id = $1 AND status IN ('queued', 'running')",
                                              {scan_id, bytes_done, bytes_total, posts}));
        if (rows.affected() == 0) return NotOpen(db, scan_id);
        return {};
      },
      kLockKey);
}

core::Status PostgresOutreachStore::FinishScan(std::int64_t scan_id, const ScanEnd& end) {
  UITWEG_TRY(CheckScanEnd(end));
  return connections_->writer().Run<void>(
      [&](Connection& db) -> core::Status {
        UITWEG_TRY_ASSIGN(Rows rows,
                          db.Query("UPDATE scan SET status = $2, error = $3, posts = $4,"
                                   " flagged = $5, clusters = $6, finished_at = $7"
                                   " WHERE id = $1 AND status IN ('queued', 'running')",
                                   {scan_id, ScanStatusName(end.status), end.error, end.posts,
                                    end.flagged, end.clusters, end.finished_at}));
        if (rows.affected() == 0) return NotOpen(db, scan_id);
        return {};
      },
      kLockKey);
}

core::Result<std::int64_t> PostgresOutreachStore::MarkInterruptedScans(core::UnixMillis now) {
  return connections_->writer().Run<std::int64_t>(
      [&](Connection& db) -> core::Result<std::int64_t> {
        UITWEG_TRY_ASSIGN(Rows rows,
                          db.Query("UPDATE scan SET status = 'failed', error = $1,"
                                   " finished_at = $2 WHERE status IN ('queued', 'running')",
                                   {kInterruptedScan, now}));
        return rows.affected();
      },
      kLockKey);
}

core::Result<std::vector<Scan>> PostgresOutreachStore::ListScans(std::int64_t limit) {
  UITWEG_TRY(CheckPageLimit(limit));
  return connections_->WithReader([&](Connection& db) -> core::Result<std::vector<Scan>> {
    UITWEG_TRY_ASSIGN(Rows rows,
                      db.Query(std::string("SELECT ") + kScanColumns +
                                   " FROM scan ORDER BY created_at DESC, id DESC LIMIT $1",
                               {limit}));
    return ReadAll<Scan>(rows, ReadScan<Row>);
  });
}

core::Result<std::optional<Scan>> PostgresOutreachStore::FindScan(std::int64_t scan_id) {
  return connections_->WithReader([&](Connection& db) -> core::Result<std::optional<Scan>> {
    UITWEG_TRY_ASSIGN(
        Rows rows,
        db.Query(std::string("SELECT ") + kScanColumns + " FROM scan WHERE id = $1", {scan_id}));
    if (rows.empty()) return std::optional<Scan>();
    UITWEG_TRY_ASSIGN(Scan found, ReadScan(rows[0]));
    return std::optional<Scan>(std::move(found));
  });
}

core::Status PostgresOutreachStore::DeleteScan(std::int64_t scan_id) {
  return connections_->writer().Run<void>(
      [&](Connection& db) -> core::Status {
        UITWEG_TRY_ASSIGN(const auto status, StatusOf(db, scan_id, true));
        if (!status) return ScanNotOpen(false);
        if (*status == ScanStatus::queued || *status == ScanStatus::running)
          return ScanStillGoing();
        UITWEG_TRY(LockForTransaction(db, kVerdictLock));
        UITWEG_TRY_ASSIGN(Rows reviewed, db.Query(kSql.holds_only_verdicts, {scan_id}));
        if (reviewed[0].Text(0) == "t") return ScanReviewed();
        UITWEG_TRY(db.Query(kSql.drop_scan_verdicts, {scan_id}));
        auto removed = db.Query("DELETE FROM scan WHERE id = $1", {scan_id});
        // A verdict that another node gave meanwhile holds on to its finding.
        if (!removed && removed.error().code == core::Errc::not_found) return ScanReviewed();
        UITWEG_TRY(removed);
        return {};
      },
      kLockKey);
}

core::Status PostgresOutreachStore::AddFindings(std::int64_t scan_id,
                                                std::span<const Finding> findings) {
  for (const Finding& finding : findings) UITWEG_TRY(CheckFinding(finding));
  return connections_->writer().Run<void>(
      [&](Connection& db) -> core::Status {
        UITWEG_TRY_ASSIGN(const auto status, StatusOf(db, scan_id, true));
        if (!status || (*status != ScanStatus::queued && *status != ScanStatus::running)) {
          return ScanNotOpen(status.has_value());
        }
        UITWEG_TRY(LockForTransaction(db, kVerdictLock));
        for (const Finding& finding : findings) UITWEG_TRY(InsertFinding(db, scan_id, finding));
        return {};
      },
      kLockKey);
}

core::Result<FindingPage> PostgresOutreachStore::ListFindings(std::int64_t scan_id,
                                                              const FindingQuery& query) {
  UITWEG_TRY(CheckPageLimit(query.limit));
  UITWEG_TRY_ASSIGN(const std::int64_t min_score, ScoreMillionths(query.min_score));
  return connections_->WithReader([&](Connection& db) -> core::Result<FindingPage> {
    UITWEG_TRY(RequireScan(db, scan_id, false));
    const std::string where = std::string(" WHERE f.scan_id = $1 AND f.score >= $2 AND ") +
                              VerdictCondition(query.verdict);
    UITWEG_TRY_ASSIGN(Rows count,
                      db.Query(std::string("SELECT COUNT(*) FROM ") + kFindingsWithVerdicts + where,
                               {scan_id, min_score}));
    FindingPage page{.total = count[0].Int(0)};
    // Past the finding `after`: a lower score, or the same score and a later id.
    std::int64_t after_score = std::numeric_limits<std::int64_t>::max();
    if (query.after != 0) {
      UITWEG_TRY_ASSIGN(Rows position,
                        db.Query("SELECT score FROM finding WHERE id = $1 AND scan_id = $2",
                                 {query.after, scan_id}));
      if (position.empty()) return core::Fail(core::Errc::invalid_argument, kAfterUnknown);
      after_score = position[0].Int(0);
    }
    UITWEG_TRY_ASSIGN(Rows rows,
                      db.Query(kSelectFindings + where +
                                   " AND (f.score < $4 OR (f.score = $4 AND f.id > $5))"
                                   " ORDER BY f.score DESC, f.id LIMIT $3",
                               {scan_id, min_score, query.limit, after_score, query.after}));
    UITWEG_TRY_ASSIGN(page.findings, ReadAll<Finding>(rows, ReadFinding<Row>));
    return page;
  });
}

core::Result<std::vector<Finding>> PostgresOutreachStore::FindingsOfCluster(std::int64_t scan_id,
                                                                            std::int64_t cluster) {
  return connections_->WithReader([&](Connection& db) -> core::Result<std::vector<Finding>> {
    UITWEG_TRY(RequireScan(db, scan_id, false));
    UITWEG_TRY_ASSIGN(Rows rows,
                      db.Query(kSelectFindings + " WHERE f.scan_id = $1 AND f.cluster = $2"
                                                 " ORDER BY f.score DESC, f.id",
                               {scan_id, cluster}));
    return ReadAll<Finding>(rows, ReadFinding<Row>);
  });
}

core::Result<std::optional<Finding>> PostgresOutreachStore::FindFinding(std::int64_t finding_id) {
  return connections_->WithReader([&](Connection& db) -> core::Result<std::optional<Finding>> {
    UITWEG_TRY_ASSIGN(Rows rows, db.Query(kSelectFindings + " WHERE f.id = $1", {finding_id}));
    if (rows.empty()) return std::optional<Finding>();
    UITWEG_TRY_ASSIGN(Finding found, ReadFinding(rows[0]));
    return std::optional<Finding>(std::move(found));
  });
}

core::Status PostgresOutreachStore::SetVerdict(std::int64_t finding_id,
                                               const GivenVerdict& verdict) {
  core::Status set = connections_->writer().Run<void>(
      [&](Connection& db) -> core::Status {
        UITWEG_TRY(LockForTransaction(db, kVerdictLock));
        UITWEG_TRY_ASSIGN(Rows set,
                          db.Query(kSql.set_post_verdict, {finding_id, VerdictName(verdict.verdict),
                                                           verdict.account_id, verdict.at}));
        if (set.affected() == 0) return core::Fail(core::Errc::not_found, "no such finding");
        return {};
      },
      kLockKey);
  return set;
}

core::Result<std::vector<LabelledPost>> PostgresOutreachStore::ListVerdicts(core::UnixMillis from,
                                                                            core::UnixMillis to) {
  return connections_->WithReader([&](Connection& db) -> core::Result<std::vector<LabelledPost>> {
    UITWEG_TRY_ASSIGN(Rows rows,
                      db.Query(std::string("SELECT ") + kLabelledColumns + kSql.latest_verdicts +
                                   " AND v.at >= $1 AND v.at < $2"
                                   " ORDER BY v.at, v.finding_id",
                               {from, to}));
    return ReadAll<LabelledPost>(rows, ReadLabelledPost<Row>);
  });
}

core::Result<std::vector<TermStat>> PostgresOutreachStore::TermStats() {
  return connections_->WithReader([&](Connection& db) -> core::Result<std::vector<TermStat>> {
    UITWEG_TRY_ASSIGN(Rows rows, db.Query(kSql.term_stats));
    return ReadAll<TermStat>(rows, ReadTermStat<Row>);
  });
}

core::Result<std::vector<WeekCount>> PostgresOutreachStore::ReadWeekCounts(
    std::string_view first_week, std::string_view last_week) {
  UITWEG_TRY(CheckWeek(first_week));
  UITWEG_TRY(CheckWeek(last_week));
  return connections_->WithReader([&](Connection& db) -> core::Result<std::vector<WeekCount>> {
    UITWEG_TRY_ASSIGN(Rows rows, db.Query(kSql.week_counts, {first_week, last_week}));
    return ReadAll<WeekCount>(rows, ReadWeekCount<Row>);
  });
}

core::Result<std::int64_t> PostgresOutreachStore::PurgeFindingTexts(core::UnixMillis cut_off) {
  return connections_->writer().Run<std::int64_t>(
      [&](Connection& db) -> core::Result<std::int64_t> {
        UITWEG_TRY_ASSIGN(
            Rows rows,
            db.Query("UPDATE finding SET text = '', author = '', purged = 1, matches = (SELECT"
                     " COALESCE(jsonb_agg(CASE WHEN item ? 'text'"
                     " THEN jsonb_set(item, '{text}', '\"\"') ELSE item END ORDER BY place),"
                     " '[]'::jsonb)::text FROM jsonb_array_elements(finding.matches::jsonb)"
                     " WITH ORDINALITY AS e (item, place) WHERE jsonb_typeof(item) = 'object')"
                     " WHERE purged = 0 AND scan_id IN (SELECT id FROM scan"
                     " WHERE created_at < $1)",
                     {cut_off}));
        return rows.affected();
      },
      kLockKey);
}

core::Result<LexiconVersion> PostgresOutreachStore::SaveLexiconVersion(
    std::int64_t based_on, const LexiconVersion& version) {
  UITWEG_TRY(CheckLexiconVersion(version));
  core::Result<LexiconVersion> saved = connections_->writer().Run<LexiconVersion>(
      [&](Connection& db) -> core::Result<LexiconVersion> {
        UITWEG_TRY_ASSIGN(Rows newest,
                          db.Query("SELECT coalesce(max(version), 0) FROM lexicon_version"));
        if (newest[0].Int(0) != based_on) return StaleLexicon();
        LexiconVersion added = version;
        added.version = based_on + 1;
        UITWEG_TRY(
            db.Query("INSERT INTO lexicon_version (version, toml, created_by,"
                     " created_at, note) VALUES ($1, $2, $3, $4, $5)",
                     {added.version, added.toml, added.created_by, added.created_at, added.note}));
        return added;
      },
      kLockKey);
  // Another node took the same number at once: to this editor that is a concurrent save.
  if (!saved && saved.error().code == core::Errc::already_exists) return StaleLexicon();
  return saved;
}

core::Result<std::vector<LexiconVersion>> PostgresOutreachStore::ListLexiconVersions() {
  return connections_->WithReader([&](Connection& db) -> core::Result<std::vector<LexiconVersion>> {
    UITWEG_TRY_ASSIGN(Rows rows, db.Query("SELECT version, '', created_by, created_at, note"
                                          " FROM lexicon_version ORDER BY version DESC"));
    return ReadAll<LexiconVersion>(rows, ReadLexiconVersion<Row>);
  });
}

core::Result<std::optional<LexiconVersion>> PostgresOutreachStore::LoadLexiconVersion(
    std::int64_t version) {
  return connections_->WithReader(
      [&](Connection& db) -> core::Result<std::optional<LexiconVersion>> {
        UITWEG_TRY_ASSIGN(Rows rows, db.Query(std::string("SELECT ") + kLexiconColumns +
                                                  " FROM lexicon_version WHERE version = $1",
                                              {version}));
        return OptionalVersion(rows);
      });
}

core::Result<std::optional<LexiconVersion>> PostgresOutreachStore::LatestLexiconVersion() {
  return connections_->WithReader(
      [&](Connection& db) -> core::Result<std::optional<LexiconVersion>> {
        UITWEG_TRY_ASSIGN(Rows rows,
                          db.Query(std::string("SELECT ") + kLexiconColumns +
                                   " FROM lexicon_version ORDER BY version DESC LIMIT 1"));
        return OptionalVersion(rows);
      });
}

}  // namespace uitweg::store::postgres
