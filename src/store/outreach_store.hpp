#pragma once
// What the outreach review console keeps: scans of channel exports and how far they got, the
// posts each scan flagged (findings) with the lexicon terms that matched, the reviewers'
// verdicts on them, counts per category and ISO week for the insights, and the versions of the
// lexicon that admins saved. The posts come from public channels, not from visitors, so nothing
// here is sealed; PurgeFindingTexts blanks their texts once they are old enough and keeps
// everything that is counted.
//
// A post is one post in every scan that flags it: a later export of a channel holds its earlier
// posts again. Findings are of the same post when their channel, message id and text are the
// same (without a message id: their channel, date, author and text). A verdict is on the post: it
// shows on each of its findings, a finding added later comes with it, and the post counts once
// in the week counts, the term statistics and the labelled export.
//
// Scores are kept to six decimals (the database holds millionths), so that both backends, and a
// copy from one to the other, agree exactly.
//
// Thread safety: every method may be called from any thread at once; each blocks until done
// (writes: until committed), so call them from workers. Errors: not_found for an unknown scan or
// finding, invalid_argument for malformed input (the message says which), failed_precondition
// for a scan or lexicon in the wrong state, unavailable/internal when the database fails.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace uitweg::store {

enum class ScanStatus { queued, running, done, failed, cancelled };
enum class Verdict { recruitment, not_recruitment, unsure };

// The stored names ("queued", "not_recruitment", ...); Parse* return false for an unknown name.
std::string_view ScanStatusName(ScanStatus status);
bool ParseScanStatus(std::string_view name, ScanStatus& status);
std::string_view VerdictName(Verdict verdict);
bool ParseVerdict(std::string_view name, Verdict& verdict);

struct NewScan {
  std::int64_t created_by = 0;  // the account that started it
  core::UnixMillis created_at = 0;
  std::string source_name = {};  // the uploaded file's name or the allowed server path
  std::int64_t bytes_total = 0;
  std::string lexicon_version = {};
  std::string model_version = {};  // empty: scored by the lexicon alone
};

struct Scan {
  std::int64_t id = 0;
  std::int64_t created_by = 0;
  core::UnixMillis created_at = 0;
  std::string source_name = {};
  ScanStatus status = ScanStatus::queued;
  std::string error = {};  // why it failed; empty otherwise
  std::int64_t bytes_total = 0;
  std::int64_t bytes_done = 0;
  std::int64_t posts = 0;
  std::int64_t flagged = 0;
  std::int64_t clusters = 0;
  std::string lexicon_version = {};
  std::string model_version = {};
  std::optional<core::UnixMillis> finished_at = {};
};

// How a scan ended: done, failed or cancelled, with its final counts.
struct ScanEnd {
  ScanStatus status = ScanStatus::done;
  std::string error = {};
  std::int64_t posts = 0;
  std::int64_t flagged = 0;
  std::int64_t clusters = 0;
  core::UnixMillis finished_at = 0;
};

// The latest verdict on a finding.
struct GivenVerdict {
  Verdict verdict = Verdict::unsure;
  std::int64_t account_id = 0;
  core::UnixMillis at = 0;
};

// A flagged post. Texts must be UTF-8.
struct Finding {
  std::int64_t id = 0;  // assigned by the store
  std::int64_t scan_id = 0;
  std::string source = {};   // the export file it came from
  std::string channel = {};  // the chat's name
  std::string author = {};
  std::int64_t message_id = 0;  // 0: unknown
  std::int64_t date_unix = 0;   // the post's date, seconds UTC; 0: unknown
  std::string text = {};        // empty once purged
  double score = 0;
  double lexicon_score = 0;
  double model_score = 0;
  std::vector<std::string> categories = {};  // in the scanner's order; no line breaks
  // The scanner's matches as a JSON array of objects (term, category, offsets, "text": the
  // matched text), for highlighting. The store reads nothing in it but each object's "text",
  // which the purge blanks (dropping any element that is not an object); a value that is not a
  // JSON array is invalid_argument.
  std::string matches = "[]";
  // The lexicon terms that matched, counted by TermStats; stored once each, read back sorted.
  std::vector<std::string> terms = {};
  std::int64_t cluster = 0;           // its near-duplicate group within the scan (1-based)
  std::int64_t cluster_channels = 0;  // in how many channels that group was posted
  bool purged = false;                // its text was blanked by PurgeFindingTexts
  std::optional<GivenVerdict> verdict = {};
};

// Which findings ListFindings answers, by their latest verdict.
enum class VerdictFilter { every, none, any, recruitment, not_recruitment, unsure };

struct FindingQuery {
  VerdictFilter verdict = VerdictFilter::every;
  double min_score = 0;
  // The page starts after this finding of the scan in the order (0: at the first). A position
  // by finding, not by count, so that verdicts given meanwhile skip nothing.
  std::int64_t after = 0;
  std::int64_t limit = 50;  // 1..kMaxPage
};

struct FindingPage {
  std::int64_t total = 0;  // all findings that match the query, not just this page
  std::vector<Finding> findings = {};
};

// A verdict with what it was given on, for export as labelled data.
struct LabelledPost {
  std::int64_t finding_id = 0;
  std::int64_t scan_id = 0;
  std::string text = {};  // empty when purged
  std::vector<std::string> categories = {};
  GivenVerdict verdict = {};
};

// Per lexicon term: in how many posts it matched, and how many of those have the latest verdict
// recruitment or not_recruitment (the term's precision as reviewed).
struct TermStat {
  std::string term = {};
  std::int64_t hits = 0;
  std::int64_t recruitment = 0;
  std::int64_t not_recruitment = 0;
};

// Flagged posts per category in one ISO week ("2026-W07") of the posts' dates.
struct WeekCount {
  std::string week = {};
  std::string category = {};
  std::int64_t count = 0;
};

struct LexiconVersion {
  std::int64_t version = 0;  // 1, 2, 3, ... assigned by the store
  std::string toml = {};     // empty in ListLexiconVersions
  std::int64_t created_by = 0;
  core::UnixMillis created_at = 0;
  std::string note = {};
};

class OutreachStore {
 public:
  static constexpr std::int64_t kMaxPage = 1000;

  virtual ~OutreachStore() = default;

  // Scans. A new scan is queued; the first progress makes it running; FinishScan ends it once.
  virtual core::Result<Scan> CreateScan(const NewScan& scan) = 0;
  // failed_precondition when the scan has ended (a cancelled scan's worker stops on it).
  virtual core::Status UpdateScanProgress(std::int64_t scan_id, std::int64_t bytes_done,
                                          std::int64_t bytes_total, std::int64_t posts) = 0;
  // `end.status` must be done, failed or cancelled (invalid_argument otherwise);
  // failed_precondition when the scan has ended already, which keeps its first end.
  virtual core::Status FinishScan(std::int64_t scan_id, const ScanEnd& end) = 0;
  // Ends every queued or running scan as failed, "interrupted by a restart", and returns how
  // many. For start-up: scans run in the process that created them, so with several nodes on
  // one database, call it only where no other node may be scanning.
  virtual core::Result<std::int64_t> MarkInterruptedScans(core::UnixMillis now) = 0;
  // The newest first (1 <= limit <= kMaxPage).
  virtual core::Result<std::vector<Scan>> ListScans(std::int64_t limit) = 0;
  virtual core::Result<std::optional<Scan>> FindScan(std::int64_t scan_id) = 0;
  // Removes an ended scan with its findings. failed_precondition while it is queued or running,
  // or when it holds the only findings of a post with a verdict (verdicts are kept for good).
  virtual core::Status DeleteScan(std::int64_t scan_id) = 0;

  // Findings. Adds the batch to a queued or running scan, all or nothing (failed_precondition
  // once it has ended). Each finding's id, scan_id, purged and verdict are ignored: a finding of
  // a post with a verdict gets that verdict. The batch is one unit on the writer that the chat
  // shares: keep it to a few hundred findings.
  virtual core::Status AddFindings(std::int64_t scan_id, std::span<const Finding> findings) = 0;
  // Highest score first (then in the order added), with the total for paging. invalid_argument
  // when `after` is not a finding of the scan.
  virtual core::Result<FindingPage> ListFindings(std::int64_t scan_id,
                                                 const FindingQuery& query) = 0;
  // The findings of one near-duplicate group, highest score first.
  virtual core::Result<std::vector<Finding>> FindingsOfCluster(std::int64_t scan_id,
                                                               std::int64_t cluster) = 0;
  // One finding with its latest verdict; nullopt when there is no such finding.
  virtual core::Result<std::optional<Finding>> FindFinding(std::int64_t finding_id) = 0;

  // Verdicts. The latest one counts; it replaces any earlier verdict on the finding's post, in
  // every scan.
  virtual core::Status SetVerdict(std::int64_t finding_id, const GivenVerdict& verdict) = 0;
  // The posts whose latest verdict was given from `from` until before `to`, oldest first, each
  // once: as its newest finding whose text is kept, else its newest (texts empty once purged).
  virtual core::Result<std::vector<LabelledPost>> ListVerdicts(core::UnixMillis from,
                                                               core::UnixMillis to) = 0;
  // Every term of every finding kept, by term (bytewise).
  virtual core::Result<std::vector<TermStat>> TermStats() = 0;

  // The posts flagged in each category, by the ISO week of their dates, from `first_week` to
  // `last_week` (both included), by week and category; a post without a date is not counted.
  // invalid_argument for a week not written "YYYY-Www".
  virtual core::Result<std::vector<WeekCount>> ReadWeekCounts(std::string_view first_week,
                                                              std::string_view last_week) = 0;

  // Retention: blanks the texts and authors of the findings of scans created before `cut_off`,
  // and the matched texts in their matches; scores, categories, terms, verdicts and week counts
  // stay.
  // Returns how many findings it blanked (none twice).
  virtual core::Result<std::int64_t> PurgeFindingTexts(core::UnixMillis cut_off) = 0;

  // Lexicon versions. Saves the next version; `based_on` is the version the editor started
  // from (0: none yet); `version.version` is ignored. failed_precondition when another was saved
  // since, which changes nothing.
  virtual core::Result<LexiconVersion> SaveLexiconVersion(std::int64_t based_on,
                                                          const LexiconVersion& version) = 0;
  // Every version, the newest first, without their TOML.
  virtual core::Result<std::vector<LexiconVersion>> ListLexiconVersions() = 0;
  // nullopt when there is no such version.
  virtual core::Result<std::optional<LexiconVersion>> LoadLexiconVersion(std::int64_t version) = 0;
  // nullopt while no version was saved.
  virtual core::Result<std::optional<LexiconVersion>> LatestLexiconVersion() = 0;
};

}  // namespace uitweg::store
