#include "store/sqlite/sqlite_outreach_store.hpp"

#include <limits>

#include "store/outreach_rows.hpp"
#include "store/sqlite/rows.hpp"

namespace uitweg::store::sqlite {
namespace {

constexpr const char* kLockKey = "outreach";
const OutreachSql& kSql = OutreachStatements(SqlDialect::sqlite);

const std::string kSelectFindings = std::string("SELECT ") + kFindingColumns +
                                    ", (SELECT group_concat(term, char(10)) FROM finding_term"
                                    " WHERE finding_id = f.id) FROM " +
                                    kFindingsWithVerdicts;

// The scan's status; nullopt when there is no such scan.
core::Result<std::optional<ScanStatus>> StatusOf(Connection& db, std::int64_t scan_id) {
  UITWEG_TRY_ASSIGN(auto select, db.Prepare("SELECT status FROM scan WHERE id = ?1"));
  select.Bind(1, scan_id);
  UITWEG_TRY_ASSIGN(const bool row, select.Step());
  if (!row) return std::optional<ScanStatus>();
  ScanStatus status = ScanStatus::queued;
  if (!ParseScanStatus(select.Text(0), status)) return CorruptValue("scan status");
  return std::optional<ScanStatus>(status);
}

core::Status RequireScan(Connection& db, std::int64_t scan_id) {
  UITWEG_TRY_ASSIGN(const auto status, StatusOf(db, scan_id));
  if (!status) return ScanNotOpen(false);
  return {};
}

// After an update limited to queued or running scans changed nothing: why not.
core::Error NotOpen(Connection& db, std::int64_t scan_id) {
  auto status = StatusOf(db, scan_id);
  if (!status) return status.error();
  return ScanNotOpen(status->has_value());
}

core::Status InsertFinding(Connection& db, std::int64_t scan_id, const Finding& finding) {
  UITWEG_TRY_ASSIGN(auto insert,
                    db.Prepare("INSERT INTO finding (scan_id, source, channel, author, message_id,"
                               " date_unix, text, score, lexicon_score, model_score, categories,"
                               " matches, cluster, cluster_channels, purged, post) VALUES (?1, ?2,"
                               " ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, 0, ?15)"));
  const std::string post = PostKey(finding);
  UITWEG_TRY_ASSIGN(const std::int64_t score, ScoreMillionths(finding.score));
  UITWEG_TRY_ASSIGN(const std::int64_t lexicon_score, ScoreMillionths(finding.lexicon_score));
  UITWEG_TRY_ASSIGN(const std::int64_t model_score, ScoreMillionths(finding.model_score));
  core::Status inserted = insert.Bind(1, scan_id)
                              .Bind(2, finding.source)
                              .Bind(3, finding.channel)
                              .Bind(4, finding.author)
                              .Bind(5, finding.message_id)
                              .Bind(6, finding.date_unix)
                              .Bind(7, finding.text)
                              .Bind(8, score)
                              .Bind(9, lexicon_score)
                              .Bind(10, model_score)
                              .Bind(11, JoinLines(finding.categories))
                              .Bind(12, finding.matches)
                              .Bind(13, finding.cluster)
                              .Bind(14, finding.cluster_channels)
                              .Bind(15, post)
                              .Run();
  if (!inserted && inserted.error().code == core::Errc::invalid_argument) {
    return MatchesNotAnArray();
  }
  UITWEG_TRY(inserted);
  const std::int64_t finding_id = db.LastInsertRowId();
  for (const std::string& term : DistinctTerms(finding)) {
    UITWEG_TRY_ASSIGN(auto insert_term,
                      db.Prepare("INSERT INTO finding_term (finding_id, term) VALUES (?1, ?2)"));
    UITWEG_TRY(insert_term.Bind(1, finding_id).Bind(2, term).Run());
  }
  if (const std::string week = WeekOfPost(finding.date_unix); !week.empty()) {
    for (const std::string& category : DistinctCategories(finding)) {
      UITWEG_TRY_ASSIGN(auto insert_week, db.Prepare("INSERT INTO finding_week (finding_id, week,"
                                                     " category) VALUES (?1, ?2, ?3)"));
      UITWEG_TRY(insert_week.Bind(1, finding_id).Bind(2, week).Bind(3, category).Run());
    }
  }
  UITWEG_TRY_ASSIGN(auto carry, db.Prepare(kSql.carry_verdict));
  return carry.Bind(1, finding_id).Bind(2, post).Run();
}

core::Result<std::optional<LexiconVersion>> ReadOptionalVersion(Statement& select) {
  UITWEG_TRY_ASSIGN(const bool row, select.Step());
  if (!row) return std::optional<LexiconVersion>();
  UITWEG_TRY_ASSIGN(LexiconVersion found, ReadLexiconVersion(select));
  return std::optional<LexiconVersion>(std::move(found));
}

}  // namespace

core::Result<Scan> SqliteOutreachStore::CreateScan(const NewScan& scan) {
  UITWEG_TRY(CheckNewScan(scan));
  return connections_->writer().Run<Scan>(
      [&](Connection& db) -> core::Result<Scan> {
        UITWEG_TRY_ASSIGN(auto insert,
                          db.Prepare("INSERT INTO scan (created_by, created_at, source_name,"
                                     " status, error, bytes_total, bytes_done, posts, flagged,"
                                     " clusters, lexicon_version, model_version) VALUES (?1, ?2,"
                                     " ?3, 'queued', '', ?4, 0, 0, 0, 0, ?5, ?6)"));
        UITWEG_TRY(insert.Bind(1, scan.created_by)
                       .Bind(2, scan.created_at)
                       .Bind(3, scan.source_name)
                       .Bind(4, scan.bytes_total)
                       .Bind(5, scan.lexicon_version)
                       .Bind(6, scan.model_version)
                       .Run());
        return Scan{.id = db.LastInsertRowId(),
                    .created_by = scan.created_by,
                    .created_at = scan.created_at,
                    .source_name = scan.source_name,
                    .bytes_total = scan.bytes_total,
                    .lexicon_version = scan.lexicon_version,
                    .model_version = scan.model_version};
      },
      kLockKey);
}

core::Status SqliteOutreachStore::UpdateScanProgress(std::int64_t scan_id, std::int64_t bytes_done,
                                                     std::int64_t bytes_total, std::int64_t posts) {
  UITWEG_TRY(CheckProgress(bytes_done, bytes_total, posts));
  return connections_->writer().Run<void>(
      [&](Connection& db) -> core::Status {
        UITWEG_TRY_ASSIGN(auto update,
                          db.Prepare("UPDATE scan SET status = 'running', bytes_done = ?2,"
                                     " bytes_total = ?3, posts = ?4"
                                     " WHERE id = ?1 AND status IN ('queued', 'running')"));
        UITWEG_TRY(
            update.Bind(1, scan_id).Bind(2, bytes_done).Bind(3, bytes_total).Bind(4, posts).Run());
        if (db.Changes() == 0) return NotOpen(db, scan_id);
        return {};
      },
      kLockKey);
}

core::Status SqliteOutreachStore::FinishScan(std::int64_t scan_id, const ScanEnd& end) {
  UITWEG_TRY(CheckScanEnd(end));
  return connections_->writer().Run<void>(
      [&](Connection& db) -> core::Status {
        UITWEG_TRY_ASSIGN(auto update,
                          db.Prepare("UPDATE scan SET status = ?2, error = ?3, posts = ?4,"
                                     " flagged = ?5, clusters = ?6, finished_at = ?7"
                                     " WHERE id = ?1 AND status IN ('queued', 'running')"));
        UITWEG_TRY(update.Bind(1, scan_id)
                       .Bind(2, ScanStatusName(end.status))
                       .Bind(3, end.error)
                       .Bind(4, end.posts)
                       .Bind(5, end.flagged)
                       .Bind(6, end.clusters)
                       .Bind(7, end.finished_at)
                       .Run());
        if (db.Changes() == 0) return NotOpen(db, scan_id);
        return {};
      },
      kLockKey);
}

core::Result<std::int64_t> SqliteOutreachStore::MarkInterruptedScans(core::UnixMillis now) {
  return connections_->writer().Run<std::int64_t>(
      [&](Connection& db) -> core::Result<std::int64_t> {
        UITWEG_TRY_ASSIGN(auto update,
                          db.Prepare("UPDATE scan SET status = 'failed', error = ?1,"
                                     " finished_at = ?2 WHERE status IN ('queued', 'running')"));
        UITWEG_TRY(update.Bind(1, kInterruptedScan).Bind(2, now).Run());
        return db.Changes();
      },
      kLockKey);
}

core::Result<std::vector<Scan>> SqliteOutreachStore::ListScans(std::int64_t limit) {
  UITWEG_TRY(CheckPageLimit(limit));
  return connections_->WithReader([&](Connection& db) -> core::Result<std::vector<Scan>> {
    UITWEG_TRY_ASSIGN(auto select,
                      db.Prepare(std::string("SELECT ") + kScanColumns +
                                 " FROM scan ORDER BY created_at DESC, id DESC LIMIT ?1"));
    select.Bind(1, limit);
    return ReadAll<Scan>(select, ReadScan<Statement>);
  });
}

core::Result<std::optional<Scan>> SqliteOutreachStore::FindScan(std::int64_t scan_id) {
  return connections_->WithReader([&](Connection& db) -> core::Result<std::optional<Scan>> {
    UITWEG_TRY_ASSIGN(auto select, db.Prepare(std::string("SELECT ") + kScanColumns +
                                              " FROM scan WHERE id = ?1"));
    select.Bind(1, scan_id);
    UITWEG_TRY_ASSIGN(const bool row, select.Step());
    if (!row) return std::optional<Scan>();
    UITWEG_TRY_ASSIGN(Scan found, ReadScan(select));
    return std::optional<Scan>(std::move(found));
  });
}

core::Status SqliteOutreachStore::DeleteScan(std::int64_t scan_id) {
  return connections_->writer().Run<void>(
      [&](Connection& db) -> core::Status {
        UITWEG_TRY_ASSIGN(const auto status, StatusOf(db, scan_id));
        if (!status) return ScanNotOpen(false);
        if (*status == ScanStatus::queued || *status == ScanStatus::running)
          return ScanStillGoing();
        UITWEG_TRY_ASSIGN(auto reviewed, db.Prepare(kSql.holds_only_verdicts));
        reviewed.Bind(1, scan_id);
        UITWEG_TRY(reviewed.Step());
        if (reviewed.Int(0) != 0) return ScanReviewed();
        UITWEG_TRY_ASSIGN(auto release, db.Prepare(kSql.drop_scan_verdicts));
        UITWEG_TRY(release.Bind(1, scan_id).Run());
        UITWEG_TRY_ASSIGN(auto remove, db.Prepare("DELETE FROM scan WHERE id = ?1"));
        return remove.Bind(1, scan_id).Run();
      },
      kLockKey);
}

core::Status SqliteOutreachStore::AddFindings(std::int64_t scan_id,
                                              std::span<const Finding> findings) {
  for (const Finding& finding : findings) UITWEG_TRY(CheckFinding(finding));
  return connections_->writer().Run<void>(
      [&](Connection& db) -> core::Status {
        UITWEG_TRY_ASSIGN(const auto status, StatusOf(db, scan_id));
        if (!status || (*status != ScanStatus::queued && *status != ScanStatus::running)) {
          return ScanNotOpen(status.has_value());
        }
        for (const Finding& finding : findings) UITWEG_TRY(InsertFinding(db, scan_id, finding));
        return {};
      },
      kLockKey);
}

core::Result<FindingPage> SqliteOutreachStore::ListFindings(std::int64_t scan_id,
                                                            const FindingQuery& query) {
  UITWEG_TRY(CheckPageLimit(query.limit));
  UITWEG_TRY_ASSIGN(const std::int64_t min_score, ScoreMillionths(query.min_score));
  return connections_->WithReader([&](Connection& db) -> core::Result<FindingPage> {
    UITWEG_TRY(RequireScan(db, scan_id));
    const std::string where = std::string(" WHERE f.scan_id = ?1 AND f.score >= ?2 AND ") +
                              VerdictCondition(query.verdict);
    UITWEG_TRY_ASSIGN(auto count, db.Prepare(std::string("SELECT COUNT(*) FROM ") +
                                             kFindingsWithVerdicts + where));
    count.Bind(1, scan_id).Bind(2, min_score);
    UITWEG_TRY(count.Step());
    FindingPage page{.total = count.Int(0)};
    // Past the finding `after`: a lower score, or the same score and a later id.
    std::int64_t after_score = std::numeric_limits<std::int64_t>::max();
    if (query.after != 0) {
      UITWEG_TRY_ASSIGN(auto position,
                        db.Prepare("SELECT score FROM finding WHERE id = ?1 AND scan_id = ?2"));
      position.Bind(1, query.after).Bind(2, scan_id);
      UITWEG_TRY_ASSIGN(const bool found, position.Step());
      if (!found) return core::Fail(core::Errc::invalid_argument, kAfterUnknown);
      after_score = position.Int(0);
    }
    UITWEG_TRY_ASSIGN(auto select, db.Prepare(kSelectFindings + where +
                                              " AND (f.score < ?4 OR (f.score = ?4 AND f.id > ?5))"
                                              " ORDER BY f.score DESC, f.id LIMIT ?3"));
    select.Bind(1, scan_id)
        .Bind(2, min_score)
        .Bind(3, query.limit)
        .Bind(4, after_score)
        .Bind(5, query.after);
    UITWEG_TRY_ASSIGN(page.findings, ReadAll<Finding>(select, ReadFinding<Statement>));
    return page;
  });
}

core::Result<std::vector<Finding>> SqliteOutreachStore::FindingsOfCluster(std::int64_t scan_id,
                                                                          std::int64_t cluster) {
  return connections_->WithReader([&](Connection& db) -> core::Result<std::vector<Finding>> {
    UITWEG_TRY(RequireScan(db, scan_id));
    UITWEG_TRY_ASSIGN(auto select,
                      db.Prepare(kSelectFindings + " WHERE f.scan_id = ?1 AND f.cluster = ?2"
                                                   " ORDER BY f.score DESC, f.id"));
    select.Bind(1, scan_id).Bind(2, cluster);
    return ReadAll<Finding>(select, ReadFinding<Statement>);
  });
}

core::Result<std::optional<Finding>> SqliteOutreachStore::FindFinding(std::int64_t finding_id) {
  return connections_->WithReader([&](Connection& db) -> core::Result<std::optional<Finding>> {
    UITWEG_TRY_ASSIGN(auto select, db.Prepare(kSelectFindings + " WHERE f.id = ?1"));
    select.Bind(1, finding_id);
    UITWEG_TRY_ASSIGN(const bool row, select.Step());
    if (!row) return std::optional<Finding>();
    UITWEG_TRY_ASSIGN(Finding found, ReadFinding(select));
    return std::optional<Finding>(std::move(found));
  });
}

core::Status SqliteOutreachStore::SetVerdict(std::int64_t finding_id, const GivenVerdict& verdict) {
  return connections_->writer().Run<void>(
      [&](Connection& db) -> core::Status {
        UITWEG_TRY_ASSIGN(auto upsert, db.Prepare(kSql.set_post_verdict));
        UITWEG_TRY(upsert.Bind(1, finding_id)
                       .Bind(2, VerdictName(verdict.verdict))
                       .Bind(3, verdict.account_id)
                       .Bind(4, verdict.at)
                       .Run());
        if (db.Changes() == 0) return core::Fail(core::Errc::not_found, "no such finding");
        return {};
      },
      kLockKey);
}

core::Result<std::vector<LabelledPost>> SqliteOutreachStore::ListVerdicts(core::UnixMillis from,
                                                                          core::UnixMillis to) {
  return connections_->WithReader([&](Connection& db) -> core::Result<std::vector<LabelledPost>> {
    UITWEG_TRY_ASSIGN(auto select,
                      db.Prepare(std::string("SELECT ") + kLabelledColumns + kSql.latest_verdicts +
                                 " AND v.at >= ?1 AND v.at < ?2 ORDER BY v.at, v.finding_id"));
    select.Bind(1, from).Bind(2, to);
    return ReadAll<LabelledPost>(select, ReadLabelledPost<Statement>);
  });
}

core::Result<std::vector<TermStat>> SqliteOutreachStore::TermStats() {
  return connections_->WithReader([&](Connection& db) -> core::Result<std::vector<TermStat>> {
    UITWEG_TRY_ASSIGN(auto select, db.Prepare(kSql.term_stats));
    return ReadAll<TermStat>(select, ReadTermStat<Statement>);
  });
}

core::Result<std::vector<WeekCount>> SqliteOutreachStore::ReadWeekCounts(
    std::string_view first_week, std::string_view last_week) {
  UITWEG_TRY(CheckWeek(first_week));
  UITWEG_TRY(CheckWeek(last_week));
  return connections_->WithReader([&](Connection& db) -> core::Result<std::vector<WeekCount>> {
    UITWEG_TRY_ASSIGN(auto select, db.Prepare(kSql.week_counts));
    select.Bind(1, first_week).Bind(2, last_week);
    return ReadAll<WeekCount>(select, ReadWeekCount<Statement>);
  });
}

core::Result<std::int64_t> SqliteOutreachStore::PurgeFindingTexts(core::UnixMillis cut_off) {
  return connections_->writer().Run<std::int64_t>(
      [&](Connection& db) -> core::Result<std::int64_t> {
        // json_replace blanks "text" only where a match has one; json_group_array keeps the
        // order of json_each, which is the array's.
        UITWEG_TRY_ASSIGN(auto update,
                          db.Prepare("UPDATE finding SET text = '', author = '', purged = 1,"
                                     " matches = (SELECT"
                                     " json_group_array(json_replace(value, '$.text', ''))"
                                     " FROM json_each(finding.matches) WHERE type = 'object')"
                                     " WHERE purged = 0 AND scan_id IN (SELECT id FROM scan"
                                     " WHERE created_at < ?1)"));
        UITWEG_TRY(update.Bind(1, cut_off).Run());
        return db.Changes();
      },
      kLockKey);
}

core::Result<LexiconVersion> SqliteOutreachStore::SaveLexiconVersion(
    std::int64_t based_on, const LexiconVersion& version) {
  UITWEG_TRY(CheckLexiconVersion(version));
  return connections_->writer().Run<LexiconVersion>(
      [&](Connection& db) -> core::Result<LexiconVersion> {
        UITWEG_TRY_ASSIGN(auto newest,
                          db.Prepare("SELECT coalesce(max(version), 0) FROM lexicon_version"));
        UITWEG_TRY(newest.Step());
        if (newest.Int(0) != based_on) return StaleLexicon();
        LexiconVersion saved = version;
        saved.version = based_on + 1;
        UITWEG_TRY_ASSIGN(auto insert,
                          db.Prepare("INSERT INTO lexicon_version (version, toml, created_by,"
                                     " created_at, note) VALUES (?1, ?2, ?3, ?4, ?5)"));
        UITWEG_TRY(insert.Bind(1, saved.version)
                       .Bind(2, saved.toml)
                       .Bind(3, saved.created_by)
                       .Bind(4, saved.created_at)
                       .Bind(5, saved.note)
                       .Run());
        return saved;
      },
      kLockKey);
}

core::Result<std::vector<LexiconVersion>> SqliteOutreachStore::ListLexiconVersions() {
  return connections_->WithReader([&](Connection& db) -> core::Result<std::vector<LexiconVersion>> {
    UITWEG_TRY_ASSIGN(auto select, db.Prepare("SELECT version, '', created_by, created_at, note"
                                              " FROM lexicon_version ORDER BY version DESC"));
    return ReadAll<LexiconVersion>(select, ReadLexiconVersion<Statement>);
  });
}

core::Result<std::optional<LexiconVersion>> SqliteOutreachStore::LoadLexiconVersion(
    std::int64_t version) {
  return connections_->WithReader(
      [&](Connection& db) -> core::Result<std::optional<LexiconVersion>> {
        UITWEG_TRY_ASSIGN(auto select, db.Prepare(std::string("SELECT ") + kLexiconColumns +
                                                  " FROM lexicon_version WHERE version = ?1"));
        select.Bind(1, version);
        return ReadOptionalVersion(select);
      });
}

core::Result<std::optional<LexiconVersion>> SqliteOutreachStore::LatestLexiconVersion() {
  return connections_->WithReader(
      [&](Connection& db) -> core::Result<std::optional<LexiconVersion>> {
        UITWEG_TRY_ASSIGN(auto select,
                          db.Prepare(std::string("SELECT ") + kLexiconColumns +
                                     " FROM lexicon_version ORDER BY version DESC LIMIT 1"));
        return ReadOptionalVersion(select);
      });
}

}  // namespace uitweg::store::sqlite
