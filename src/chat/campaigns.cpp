#include "chat/campaigns.hpp"

#include <algorithm>

#include "chat/opening_hours.hpp"
#include "chat/text_rules.hpp"

namespace uitweg::chat {
namespace {

constexpr std::size_t kMaxLabel = 120;

}  // namespace

std::string_view CampaignMetricName(CampaignMetric metric) {
  switch (metric) {
    case CampaignMetric::visit: return "visit";
    case CampaignMetric::self_check: return "self_check";
    case CampaignMetric::chat_started: return "chat_started";
    case CampaignMetric::chat_held: return "chat_held";
  }
  return "visit";
}

bool IsCampaignCodeShape(std::string_view code) {
  if (code.size() < 2 || code.size() > 40 || code.front() == '-') return false;
  return std::all_of(code.begin(), code.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

core::Result<store::Campaign> Campaigns::Create(std::string_view code, std::string_view label,
                                                std::int64_t created_by) {
  if (!IsCampaignCodeShape(code)) {
    return core::Fail(core::Errc::invalid_argument,
                      "a code is 2 to 40 characters: a-z, 0-9 and -, not starting with -");
  }
  const std::string_view trimmed = TrimSpace(label);
  if (trimmed.empty() || !FitsLine(trimmed, kMaxLabel)) {
    return core::Fail(core::Errc::invalid_argument, "a label is 1 to 120 characters of text");
  }
  store::Campaign campaign{.code = std::string(code),
                           .label = std::string(trimmed),
                           .created_by = created_by,
                           .created_at = clock_.Now()};
  UITWEG_TRY(store_.CreateCampaign(campaign));
  return campaign;
}

core::Result<bool> Campaigns::Retire(std::string_view code) {
  if (!IsCampaignCodeShape(code)) return core::Fail(core::Errc::not_found, "no such campaign code");
  return store_.RetireCampaign(code, clock_.Now());
}

core::Result<std::vector<store::Campaign>> Campaigns::List() {
  return store_.ListCampaigns();
}

core::Result<std::string> Campaigns::LiveCode(std::string_view code) {
  if (!IsCampaignCodeShape(code)) return std::string();
  UITWEG_TRY_ASSIGN(const auto found, store_.FindCampaign(code));
  if (!found || found->retired_at) return std::string();
  return found->code;
}

core::Status Campaigns::Count(CampaignMetric metric, std::string_view code) {
  UITWEG_TRY_ASSIGN(const std::string live, LiveCode(code));
  return CountChecked(metric, live);
}

core::Status Campaigns::CountChecked(CampaignMetric metric, std::string_view live_code) {
  return store_.CountCampaignEvent(Today(), live_code, CampaignMetricName(metric));
}

core::Result<std::vector<store::CampaignCount>> Campaigns::Counts(std::string_view first_day,
                                                                  std::string_view last_day) {
  if (!IsDate(first_day) || !IsDate(last_day) || last_day < first_day) {
    return core::Fail(core::Errc::invalid_argument,
                      "from and to are dates, YYYY-MM-DD, from first");
  }
  return store_.ReadCampaignCounts(first_day, last_day);
}

std::string Campaigns::Today() const {
  return LocalDate(clock_.Now());
}

std::string Campaigns::DaysBefore(int days) const {
  return LocalDaysBefore(clock_.Now(), days);
}

}  // namespace uitweg::chat
