#pragma once
// What the insights dashboard and the partner reports count, aggregated in the database: from
// conversation timestamps, registrations and referrals, never from what was said. Every query
// takes the conversations that started in a period, optionally of one campaign and of some
// regions (the registration's "region" answer), and returns counts grouped by a few keys, so
// that a year of a busy service reaches the server as a few thousand rows. Where it can
// (insights_sql.hpp's CountsAnswer: periods from and to a local midnight of UTC, UTC+1 or UTC+2),
// the database adds up counts it keeps itself by hour and by day, kept exact by triggers in the
// transaction of every write; otherwise it counts the rows.
//
// Local days and hours: the caller passes the service's offset from UTC for the period
// (Europe/Amsterdam: one or two hours), and a day is `(started_at + offset) / 86,400,000` (days
// since 1970-01-01, local), an hour `(started_at + offset) / 3,600,000`. Across a change of
// summer time the hour of the conversations in between is off by one; insights are counts of
// hundreds, the error is documented (docs/insights.md).
//
// Thread safety and errors as AccountStore: any thread, blocking (call from workers);
// unavailable/internal when the database fails.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace uitweg::store {

struct InsightsFilter {
  core::UnixMillis from = 0;  // conversations that started in [from, to)
  core::UnixMillis to = 0;
  std::int64_t utc_offset_millis = 0;        // for local days and hours
  std::optional<std::string> campaign = {};  // nullopt: any; "": those without a campaign
  std::vector<std::string> regions = {};     // empty: any (and none); else one of these
  bool include_offline = false;              // offline messages (left while closed) too
};

// The steps of the funnel that conversations themselves show (home page visits are campaign
// counters: CampaignStore).
struct FunnelCounts {
  std::int64_t started = 0;               // chats started (conversations created)
  std::int64_t held = 0;                  // accepted by a counsellor
  std::int64_t registered = 0;            // with a registration (complete or not)
  std::int64_t criminal_involvement = 0;  // registration: criminal_involvement = yes
  std::int64_t exploitation_signals = 0;  // registration: exploitation_signals = yes
  std::int64_t referrals_proposed = 0;    // with at least one referral
  std::int64_t referrals_completed = 0;   // with at least one completed referral
};

inline FunnelCounts& operator+=(FunnelCounts& total, const FunnelCounts& more) {
  total.started += more.started;
  total.held += more.held;
  total.registered += more.registered;
  total.criminal_involvement += more.criminal_involvement;
  total.exploitation_signals += more.exploitation_signals;
  total.referrals_proposed += more.referrals_proposed;
  total.referrals_completed += more.referrals_completed;
  return total;
}

struct CampaignFunnel {
  std::string campaign = {};  // "" for none
  FunnelCounts counts = {};
};

// Per local hour (hours since 1970-01-01, local) in which conversations started.
struct HourCounts {
  std::int64_t hour = 0;
  std::int64_t started = 0;
  std::int64_t held = 0;
  std::int64_t abandoned = 0;  // ended while waiting: never accepted
};

// What a duration measures, for each conversation that has it.
enum class DurationKind {
  first_response,  // started → accepted, for held conversations
  abandoned_wait,  // started → ended, for abandoned ones
  length,          // accepted → ended, for held conversations that ended
};

// How many conversations took `seconds` whole seconds (rounded down). Durations of an hour or
// more come in one bucket per minute (seconds a multiple of 60), of a day or more in one bucket
// of 86,400 seconds, so that the number of rows stays bounded.
struct DurationCount {
  std::int64_t seconds = 0;
  std::int64_t count = 0;
};

// Registrations of conversations that started on a local day, by field and answer (one for each
// option chosen of a "choices" field).
struct AnswerCount {
  std::int64_t day = 0;
  std::string field = {};
  std::string value = {};
  std::int64_t count = 0;
};

// Held conversations by counsellor and local day: the shifts a counsellor worked. The counsellor
// is the one the conversation was last assigned to, the day the one it started on.
struct ShiftCounts {
  std::int64_t shifts = 0;         // distinct (counsellor, day) with a held conversation
  std::int64_t conversations = 0;  // held conversations
};

// The two questions after a chat, by day (visitor_feedback keeps only the UTC day number).
struct FeedbackCount {
  std::int64_t day = 0;
  std::string helped = {};        // "yes", "somewhat", "no" or "" (not answered)
  std::string would_return = {};  // "yes", "maybe", "no" or ""
  std::int64_t count = 0;
};

class InsightsStore {
 public:
  virtual ~InsightsStore() = default;

  // One row per campaign code among the filtered conversations, by code.
  virtual core::Result<std::vector<CampaignFunnel>> ReadFunnel(const InsightsFilter& filter) = 0;
  // By hour, the hours without conversations left out.
  virtual core::Result<std::vector<HourCounts>> ReadHours(const InsightsFilter& filter) = 0;
  // By seconds, ascending.
  virtual core::Result<std::vector<DurationCount>> ReadDurations(const InsightsFilter& filter,
                                                                 DurationKind kind) = 0;
  // By day, field, value.
  virtual core::Result<std::vector<AnswerCount>> ReadAnswers(const InsightsFilter& filter) = 0;
  virtual core::Result<ShiftCounts> ReadShifts(const InsightsFilter& filter) = 0;
  // UTC days `first_day` to `last_day` (days since 1970-01-01, both included), by day, helped,
  // would_return; filters do not apply (feedback is kept apart from its conversation).
  virtual core::Result<std::vector<FeedbackCount>> ReadFeedback(std::int64_t first_day,
                                                                std::int64_t last_day) = 0;
};

}  // namespace uitweg::store
