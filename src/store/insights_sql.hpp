#pragma once
// What both backends of InsightsStore share: the SQL of each query, built from the filter with
// numbered parameters (?1 for SQLite, $1 for PostgreSQL) and the values to bind to them, and
// reading a row of the answer (store/rows.hpp's StoredRow). One text for both backends, so that
// they count alike; only ordering differs (PostgreSQL orders text bytewise with COLLATE "C", as
// SQLite's BINARY does).

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "model/registration.hpp"
#include "store/insights_store.hpp"
#include "store/rows.hpp"

namespace uitweg::store {

struct InsightsQuery {
  std::string sql = {};
  std::vector<std::variant<std::int64_t, std::string>> params = {};  // $1 first
};

// Whether the counts that the database keeps (migrations 0026_insights_counts for SQLite,
// 0024_insights_counts for PostgreSQL) answer `filter` exactly: they are kept by UTC hour and by
// parts of a UTC day cut at 22:00 and 23:00, so they do for a period from and to such a moment
// (not before 1970) whose local days are those of UTC, UTC+1 or UTC+2, as Amsterdam's are. The
// queries below read them then, and the rows otherwise.
bool CountsAnswer(const InsightsFilter& filter);

InsightsQuery FunnelQuery(const InsightsFilter& filter, SqlDialect dialect);
InsightsQuery HoursQuery(const InsightsFilter& filter, SqlDialect dialect);
InsightsQuery DurationsQuery(const InsightsFilter& filter, DurationKind kind, SqlDialect dialect);
InsightsQuery AnswersQuery(const InsightsFilter& filter, SqlDialect dialect);
// One row: shifts, conversations.
InsightsQuery ShiftsQuery(const InsightsFilter& filter, SqlDialect dialect);
InsightsQuery FeedbackQuery(std::int64_t first_day, std::int64_t last_day, SqlDialect dialect);

// What registration_answer.region holds for a registration: its "region" answer ('' for none;
// of several, which the form does not allow, the bytewise least).
std::string RegionOf(const model::Registration& registration);

template <StoredRow Row>
core::Result<CampaignFunnel> ReadCampaignFunnel(const Row& row) {
  return CampaignFunnel{.campaign = row.Text(0),
                        .counts = {.started = row.Int(1),
                                   .held = row.Int(2),
                                   .registered = row.Int(3),
                                   .criminal_involvement = row.Int(4),
                                   .exploitation_signals = row.Int(5),
                                   .referrals_proposed = row.Int(6),
                                   .referrals_completed = row.Int(7)}};
}

template <StoredRow Row>
core::Result<HourCounts> ReadHourCounts(const Row& row) {
  return HourCounts{
      .hour = row.Int(0), .started = row.Int(1), .held = row.Int(2), .abandoned = row.Int(3)};
}

template <StoredRow Row>
core::Result<DurationCount> ReadDurationCount(const Row& row) {
  return DurationCount{.seconds = row.Int(0), .count = row.Int(1)};
}

template <StoredRow Row>
core::Result<AnswerCount> ReadAnswerCount(const Row& row) {
  return AnswerCount{
      .day = row.Int(0), .field = row.Text(1), .value = row.Text(2), .count = row.Int(3)};
}

template <StoredRow Row>
core::Result<ShiftCounts> ReadShiftCounts(const Row& row) {
  return ShiftCounts{.shifts = row.Int(0), .conversations = row.Int(1)};
}

template <StoredRow Row>
core::Result<FeedbackCount> ReadFeedbackCount(const Row& row) {
  return FeedbackCount{
      .day = row.Int(0), .helped = row.Text(1), .would_return = row.Text(2), .count = row.Int(3)};
}

}  // namespace uitweg::store
