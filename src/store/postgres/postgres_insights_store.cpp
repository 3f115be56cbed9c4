#include "store/postgres/postgres_insights_store.hpp"

#include "store/insights_sql.hpp"

namespace uitweg::store::postgres {
namespace {

// Every row of `query`, read with `read`.
template <class T, class Read>
core::Result<std::vector<T>> ReadQuery(Connections& connections, const InsightsQuery& query,
                                       Read read) {
  return connections.WithReader([&](Connection& db) -> core::Result<std::vector<T>> {
    std::vector<Param> params;
    params.reserve(query.params.size());
    for (const auto& value : query.params) {
      std::visit([&](const auto& held) { params.emplace_back(held); }, value);
    }
    UITWEG_TRY_ASSIGN(Rows rows, db.Query(query.sql, params));
    return ReadAll<T>(rows, read);
  });
}

}  // namespace

core::Result<std::vector<CampaignFunnel>> PostgresInsightsStore::ReadFunnel(
    const InsightsFilter& filter) {
  return ReadQuery<CampaignFunnel>(*connections_, FunnelQuery(filter, SqlDialect::postgres),
                                   ReadCampaignFunnel<Row>);
}

core::Result<std::vector<HourCounts>> PostgresInsightsStore::ReadHours(
    const InsightsFilter& filter) {
  return ReadQuery<HourCounts>(*connections_, HoursQuery(filter, SqlDialect::postgres),
                               ReadHourCounts<Row>);
}

core::Result<std::vector<DurationCount>> PostgresInsightsStore::ReadDurations(
    const InsightsFilter& filter, DurationKind kind) {
  return ReadQuery<DurationCount>(*connections_, DurationsQuery(filter, kind, SqlDialect::postgres),
                                  ReadDurationCount<Row>);
}

core::Result<std::vector<AnswerCount>> PostgresInsightsStore::ReadAnswers(
    const InsightsFilter& filter) {
  return ReadQuery<AnswerCount>(*connections_, AnswersQuery(filter, SqlDialect::postgres),
                                ReadAnswerCount<Row>);
}

core::Result<ShiftCounts> PostgresInsightsStore::ReadShifts(const InsightsFilter& filter) {
  UITWEG_TRY_ASSIGN(const auto rows,
                    ReadQuery<ShiftCounts>(*connections_, ShiftsQuery(filter, SqlDialect::postgres),
                                           ReadShiftCounts<Row>));
  if (rows.size() != 1) return core::Fail(core::Errc::internal, "shifts: not one row");
  return rows.front();
}

core::Result<std::vector<FeedbackCount>> PostgresInsightsStore::ReadFeedback(
    std::int64_t first_day, std::int64_t last_day) {
  return ReadQuery<FeedbackCount>(*connections_,
                                  FeedbackQuery(first_day, last_day, SqlDialect::postgres),
                                  ReadFeedbackCount<Row>);
}

}  // namespace uitweg::store::postgres
