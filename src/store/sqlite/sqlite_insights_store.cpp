#include "store/sqlite/sqlite_insights_store.hpp"

#include "store/insights_sql.hpp"
#include "store/sqlite/rows.hpp"

namespace uitweg::store::sqlite {
namespace {

// Every row of `query`, read with `read`.
template <class T, class Read>
core::Result<std::vector<T>> ReadQuery(Connections& connections, const InsightsQuery& query,
                                       Read read) {
  return connections.WithReader([&](Connection& db) -> core::Result<std::vector<T>> {
    UITWEG_TRY_ASSIGN(auto select, db.Prepare(query.sql));
    for (std::size_t i = 0; i < query.params.size(); ++i) {
      std::visit([&](const auto& value) { select.Bind(static_cast<int>(i) + 1, value); },
                 query.params[i]);
    }
    return ReadAll<T>(select, read);
  });
}

}  // namespace

core::Result<std::vector<CampaignFunnel>> SqliteInsightsStore::ReadFunnel(
    const InsightsFilter& filter) {
  return ReadQuery<CampaignFunnel>(*connections_, FunnelQuery(filter, SqlDialect::sqlite),
                                   ReadCampaignFunnel<Statement>);
}

core::Result<std::vector<HourCounts>> SqliteInsightsStore::ReadHours(const InsightsFilter& filter) {
  return ReadQuery<HourCounts>(*connections_, HoursQuery(filter, SqlDialect::sqlite),
                               ReadHourCounts<Statement>);
}

core::Result<std::vector<DurationCount>> SqliteInsightsStore::ReadDurations(
    const InsightsFilter& filter, DurationKind kind) {
  return ReadQuery<DurationCount>(*connections_, DurationsQuery(filter, kind, SqlDialect::sqlite),
                                  ReadDurationCount<Statement>);
}

core::Result<std::vector<AnswerCount>> SqliteInsightsStore::ReadAnswers(
    const InsightsFilter& filter) {
  return ReadQuery<AnswerCount>(*connections_, AnswersQuery(filter, SqlDialect::sqlite),
                                ReadAnswerCount<Statement>);
}

core::Result<ShiftCounts> SqliteInsightsStore::ReadShifts(const InsightsFilter& filter) {
  UITWEG_TRY_ASSIGN(const auto rows,
                    ReadQuery<ShiftCounts>(*connections_, ShiftsQuery(filter, SqlDialect::sqlite),
                                           ReadShiftCounts<Statement>));
  if (rows.size() != 1) return core::Fail(core::Errc::internal, "shifts: not one row");
  return rows.front();
}

core::Result<std::vector<FeedbackCount>> SqliteInsightsStore::ReadFeedback(std::int64_t first_day,
                                                                           std::int64_t last_day) {
  return ReadQuery<FeedbackCount>(*connections_,
                                  FeedbackQuery(first_day, last_day, SqlDialect::sqlite),
                                  ReadFeedbackCount<Statement>);
}

}  // namespace uitweg::store::sqlite
