#pragma once
// The organisation's view of its own work, for supervisors, analysts and admins: the funnel from
// home page visit to completed referral, service levels (waiting, abandonment, length, shifts)
// by hour of day and weekday, the registrations' answers, the visitors' feedback, the flagged
// outreach posts per week and the week's largest rises. Everything comes from counts the
// stores aggregate (store/insights_store.hpp): registrations, timestamps and campaign
// counters, never what was said.
//
// The dashboard is for staff: it shows exact counts. What leaves the organisation goes through
// the partner report, which suppresses and rounds them (disclosure.hpp).
//
// Thread safety: Read may run on any number of threads at once (the stores are thread-safe);
// blocking (call from workers). Errors: those of the stores.

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/calendar.hpp"
#include "core/error.hpp"
#include "insights/trends.hpp"
#include "model/registration.hpp"
#include "store/campaign_store.hpp"
#include "store/insights_store.hpp"
#include "store/outreach_store.hpp"

namespace uitweg::insights {

// Local days are days since 1970-01-01 in the service's time zone (store/insights_store.hpp).
struct DashboardQuery {
  std::int64_t first_day = 0;  // both included
  std::int64_t last_day = 0;
  core::UnixMillis from = 0;  // the first day's local midnight, as a moment
  core::UnixMillis to = 0;    // the midnight after the last day
  std::int64_t utc_offset_millis = 0;
  std::optional<std::string> campaign = {};  // nullopt: every campaign; "": none
  std::vector<std::string> regions = {};     // empty: every region
};

struct FunnelStep {
  std::string id = {};  // "visits", "started", "held", "criminal_involvement", ...
  std::string label = {};
  std::optional<std::int64_t> count =
      {};  // nullopt: not counted for this filter (visits by region)
};

struct CampaignSteps {
  std::string campaign = {};  // "" for none
  std::vector<FunnelStep> steps = {};
};

// Over the conversations a duration applies to (DurationKind), in seconds.
struct DurationSummary {
  std::int64_t count = 0;
  std::int64_t median = 0;
  std::int64_t p90 = 0;
};

// How long visitors waited: those who were helped and those who gave up, by how long.
struct WaitingBand {
  std::string label = {};  // "< 30 s", "30 s – 1 min", ...
  std::int64_t up_to = 0;  // seconds, exclusive; 0 for the last, open band
  std::int64_t held = 0;
  std::int64_t abandoned = 0;
};

struct HourOfWeek {
  std::int64_t started = 0;
  std::int64_t held = 0;
  std::int64_t abandoned = 0;
};

struct OptionCount {
  std::string id = {};
  std::string label = {};
  std::int64_t count = 0;
};

struct FieldCounts {
  std::string id = {};
  std::string label = {};
  std::vector<OptionCount> options = {};  // places: the places named, most first
};

// Per week (its Monday, "YYYY-MM-DD"), the answers to the two questions after a chat.
struct FeedbackWeek {
  std::string week = {};
  std::array<std::int64_t, 3> helped = {};        // yes, somewhat, no
  std::array<std::int64_t, 3> would_return = {};  // yes, maybe, no
};

struct OutreachWeek {
  std::string week = {};                  // ISO week, "2026-W47"
  std::vector<std::int64_t> counts = {};  // per category of Dashboard::outreach_categories
};

struct Rise {
  Trend trend = {};
  std::string field = {};  // the registration field: topics, crime, region
  std::string sentence = {};
};

struct Dashboard {
  std::vector<FunnelStep> funnel = {};
  std::vector<CampaignSteps> campaigns = {};
  DurationSummary first_response = {};
  DurationSummary abandoned_wait = {};
  DurationSummary length = {};
  std::vector<WaitingBand> waiting = {};
  std::array<HourOfWeek, 24> by_hour = {};
  std::array<HourOfWeek, 7> by_weekday = {};  // Monday first
  store::ShiftCounts shifts = {};
  std::int64_t registered = 0;
  std::vector<FieldCounts> registrations = {};
  std::vector<FeedbackWeek> feedback = {};
  std::vector<std::string> outreach_categories = {};
  std::vector<OutreachWeek> outreach = {};
  std::string trend_week = {};  // the Monday of the last whole week of the period, "" if none
  std::vector<Rise> rises = {};
};

// "YYYY-MM-DD" of a local day number.
std::string DayName(std::int64_t day);
using core::IsoWeekOfDay;
using core::WeekStart;
// The Dutch label of a funnel step by its id ("started": "Chats begonnen"), as the dashboard
// and the partner reports show it; the id itself for a step it does not know.
std::string FunnelStepLabel(std::string_view id);

// The outreach posts flagged per ISO week and category, from `first_week` to `last_week`
// (OutreachStore::ReadWeekCounts).
using OutreachWeekCounts = std::function<core::Result<std::vector<store::WeekCount>>(
    std::string_view first_week, std::string_view last_week)>;

class DashboardReader {
 public:
  // `rise_threshold`: a rise is named only when this week's count reaches it (the suppression
  // threshold, so that no small group is singled out even internally).
  DashboardReader(store::InsightsStore& insights, store::CampaignStore& campaigns,
                  OutreachWeekCounts outreach, const model::RegistrationForm& form,
                  std::int64_t rise_threshold)
      : insights_(insights),
        campaigns_(campaigns),
        outreach_(std::move(outreach)),
        form_(form),
        rise_threshold_(rise_threshold) {}

  core::Result<Dashboard> Read(const DashboardQuery& query) const;

 private:
  store::InsightsStore& insights_;
  store::CampaignStore& campaigns_;
  OutreachWeekCounts outreach_;
  const model::RegistrationForm& form_;
  std::int64_t rise_threshold_;
};

}  // namespace uitweg::insights
