#pragma once
// The PostgreSQL InsightsStore: every query reads from the connection pool.

#include <memory>

#include "store/insights_store.hpp"
#include "store/postgres/connections.hpp"

namespace uitweg::store::postgres {

class PostgresInsightsStore final : public InsightsStore {
 public:
  explicit PostgresInsightsStore(std::shared_ptr<Connections> connections)
      : connections_(std::move(connections)) {}

  core::Result<std::vector<CampaignFunnel>> ReadFunnel(const InsightsFilter& filter) override;
  core::Result<std::vector<HourCounts>> ReadHours(const InsightsFilter& filter) override;
  core::Result<std::vector<DurationCount>> ReadDurations(const InsightsFilter& filter,
                                                         DurationKind kind) override;
  core::Result<std::vector<AnswerCount>> ReadAnswers(const InsightsFilter& filter) override;
  core::Result<ShiftCounts> ReadShifts(const InsightsFilter& filter) override;
  core::Result<std::vector<FeedbackCount>> ReadFeedback(std::int64_t first_day,
                                                        std::int64_t last_day) override;

 private:
  std::shared_ptr<Connections> connections_;
};

}  // namespace uitweg::store::postgres
