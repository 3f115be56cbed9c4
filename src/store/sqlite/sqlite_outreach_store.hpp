#pragma once
// The SQLite OutreachStore: reads from the reader pool, writes through the one writer.

#include <memory>

#include "store/outreach_store.hpp"
#include "store/sqlite/connections.hpp"

namespace uitweg::store::sqlite {

class SqliteOutreachStore final : public OutreachStore {
 public:
  explicit SqliteOutreachStore(std::shared_ptr<Connections> connections)
      : connections_(std::move(connections)) {}

  core::Result<Scan> CreateScan(const NewScan& scan) override;
  core::Status UpdateScanProgress(std::int64_t scan_id, std::int64_t bytes_done,
                                  std::int64_t bytes_total, std::int64_t posts) override;
  core::Status FinishScan(std::int64_t scan_id, const ScanEnd& end) override;
  core::Result<std::int64_t> MarkInterruptedScans(core::UnixMillis now) override;
  core::Result<std::vector<Scan>> ListScans(std::int64_t limit) override;
  core::Result<std::optional<Scan>> FindScan(std::int64_t scan_id) override;
  core::Status DeleteScan(std::int64_t scan_id) override;

  core::Status AddFindings(std::int64_t scan_id, std::span<const Finding> findings) override;
  core::Result<FindingPage> ListFindings(std::int64_t scan_id, const FindingQuery& query) override;
  core::Result<std::vector<Finding>> FindingsOfCluster(std::int64_t scan_id,
                                                       std::int64_t cluster) override;
  core::Result<std::optional<Finding>> FindFinding(std::int64_t finding_id) override;

  core::Status SetVerdict(std::int64_t finding_id, const GivenVerdict& verdict) override;
  core::Result<std::vector<LabelledPost>> ListVerdicts(core::UnixMillis from,
                                                       core::UnixMillis to) override;
  core::Result<std::vector<TermStat>> TermStats() override;

  core::Result<std::vector<WeekCount>> ReadWeekCounts(std::string_view first_week,
                                                      std::string_view last_week) override;

  core::Result<std::int64_t> PurgeFindingTexts(core::UnixMillis cut_off) override;

  core::Result<LexiconVersion> SaveLexiconVersion(std::int64_t based_on,
                                                  const LexiconVersion& version) override;
  core::Result<std::vector<LexiconVersion>> ListLexiconVersions() override;
  core::Result<std::optional<LexiconVersion>> LoadLexiconVersion(std::int64_t version) override;
  core::Result<std::optional<LexiconVersion>> LatestLexiconVersion() override;

 private:
  std::shared_ptr<Connections> connections_;
};

}  // namespace uitweg::store::sqlite
