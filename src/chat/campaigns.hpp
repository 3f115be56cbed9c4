#pragma once
// Campaigns, counted without tracking anyone. A campaign link carries a short code
// (/?c=tiktok-2026-03); the service adds one to a counter per day (in the service's time zone),
// code and metric when a visitor arrives, completes a self-check, starts a chat or is taken into
// one. An unknown or retired code counts under no campaign, so a made-up code cannot create
// counters, and nothing about the visitor is kept.
//
// Thread-safe; blocking (call from workers).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "store/campaign_store.hpp"

namespace uitweg::chat {

enum class CampaignMetric { visit, self_check, chat_started, chat_held };
std::string_view CampaignMetricName(CampaignMetric metric);

// a–z, 0–9 and '-', 2 to 40 characters, starting with a letter or digit.
bool IsCampaignCodeShape(std::string_view code);

class Campaigns {
 public:
  Campaigns(store::CampaignStore& store, const core::Clock& clock) : store_(store), clock_(clock) {}

  // invalid_argument for a badly shaped code or an empty or overlong (120) label;
  // already_exists for a code in use, retired or not.
  core::Result<store::Campaign> Create(std::string_view code, std::string_view label,
                                       std::int64_t created_by);
  // As CampaignStore::RetireCampaign: false when it was retired already.
  core::Result<bool> Retire(std::string_view code);
  core::Result<std::vector<store::Campaign>> List();

  // The code if it names a campaign that is not retired; otherwise empty (no campaign).
  core::Result<std::string> LiveCode(std::string_view code);
  // Counts one event today for `code` as LiveCode leaves it.
  core::Status Count(CampaignMetric metric, std::string_view code);
  // Counts one event today for a code LiveCode returned earlier (or empty), without asking
  // again: a chat counts for the campaign it started with, even one retired since.
  core::Status CountChecked(CampaignMetric metric, std::string_view live_code);

  // The days from `first_day` to `last_day` ("YYYY-MM-DD"): the counters as
  // stored, for a table per day.
  core::Result<std::vector<store::CampaignCount>> Counts(std::string_view first_day,
                                                         std::string_view last_day);
  // Today's date in the service's time zone, and `days` before it.
  std::string Today() const;
  std::string DaysBefore(int days) const;

 private:
  store::CampaignStore& store_;
  const core::Clock& clock_;
};

}  // namespace uitweg::chat
