#pragma once
// Campaign codes and what they brought, counted without tracking anyone: per day and per code,
// how often something happened (a home page visit, a self-check completed, a chat started or
// held). Only counters are kept: no row per visitor, no identifier, no address.
//
// Thread safety and errors as AccountStore: any thread, blocking (call from workers);
// unavailable/internal when the database fails.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace uitweg::store {

struct Campaign {
  std::string code = {};   // as in /?c=code
  std::string label = {};  // what the staff call it
  std::int64_t created_by = 0;
  core::UnixMillis created_at = 0;
  std::optional<core::UnixMillis> retired_at = {};  // retired codes count nothing more
};

struct CampaignCount {
  std::string day = {};     // "2026-03-14", in the service's time zone
  std::string code = {};    // empty: no campaign (or an unknown or retired one)
  std::string metric = {};  // "visit", "self_check", "chat_started", "chat_held"
  std::int64_t count = 0;
};

class CampaignStore {
 public:
  virtual ~CampaignStore() = default;

  // already_exists when the code is taken (retired codes too: a code keeps its meaning).
  virtual core::Status CreateCampaign(const Campaign& campaign) = 0;
  // true when this call retired it, false when it was retired already (which keeps the first
  // time); not_found for an unknown code.
  virtual core::Result<bool> RetireCampaign(std::string_view code, core::UnixMillis now) = 0;
  // Every code, the newest first.
  virtual core::Result<std::vector<Campaign>> ListCampaigns() = 0;
  virtual core::Result<std::optional<Campaign>> FindCampaign(std::string_view code) = 0;

  // Adds one to the day's counter for this code and metric.
  virtual core::Status CountCampaignEvent(std::string_view day, std::string_view code,
                                          std::string_view metric) = 0;
  // The counters of the days from `first_day` to `last_day`, both included ("YYYY-MM-DD").
  virtual core::Result<std::vector<CampaignCount>> ReadCampaignCounts(
      std::string_view first_day, std::string_view last_day) = 0;
};

}  // namespace uitweg::store
