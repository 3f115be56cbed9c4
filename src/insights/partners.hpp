#pragma once
// The partners that receive reports, and the reports each has received. An admin keeps the list
// of partners (name, label, regions, which sections they may see) as one setting, written whole;
// every report generated for a partner adds its period to that partner's log, so that the next
// report over an overlapping period is guarded against subtraction (partner_report.hpp).
//
// The setting "insights.partners" holds a JSON array of partners; "insights.reports.<name>" a
// JSON array of [first_day, last_day] pairs. A period is logged only over the log its report was
// guarded by: when another report for the partner was logged meanwhile (on another node, say),
// the report is built again against that one too, so no two reports escape each other's guard.
//
// Thread safety: PartnerReports may be used from several threads (the stores are thread-safe);
// blocking (call from workers).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "insights/partner_report.hpp"
#include "store/setting_store.hpp"

namespace uitweg::insights {

inline constexpr std::size_t kMaxPartners = 500;
inline constexpr std::size_t kMaxPartnerRegions = 100;

// invalid_argument naming the first problem: not a JSON array of objects with "name" (2 to 40
// characters a–z, 0–9, '-', unique), "label" (1 to 120 characters, no control characters),
// "regions" (an array of at most kMaxPartnerRegions places: letters, spaces, hyphens and
// apostrophes, 1 to 60 characters) and optional booleans "funnel", "registrations", "trends"
// (default true) and "methodology" (default false); more than kMaxPartners partners; an unknown
// key.
core::Result<std::vector<Partner>> ParsePartners(std::string_view json);
std::string PartnersJson(const std::vector<Partner>& partners);

struct PartnerList {
  std::vector<Partner> partners = {};
  // What an admin's change names as the list it started from (store::SettingVersion).
  std::string version = {};
};

class PartnerReports {
 public:
  // `settle_days`: how many days before today a period ends at the latest.
  PartnerReports(store::SettingStore& settings, const PartnerReportBuilder& builder,
                 std::int64_t settle_days)
      : settings_(settings), builder_(builder), settle_days_(settle_days) {}

  // Empty when none were set up.
  core::Result<PartnerList> List() const;
  // Replaces the list (as ParsePartners checks it) while it is still the version `based_on`
  // names (nullopt: whatever it is); aborted when a colleague changed it meanwhile.
  core::Status Save(const std::vector<Partner>& partners, std::optional<std::string_view> based_on,
                    core::UnixMillis now);
  // The report for partner `name` over `period`, guarded by the partner's earlier reports; logs
  // the period. not_found for an unknown partner; invalid_argument for a period that ends before
  // it starts or less than `settle_days` before `today` (the current local day): the figures of
  // a day still running change, and two reports of it differ by what came in between; unavailable
  // when other reports for the partner kept being logged while this one was built.
  core::Result<PartnerReport> Generate(std::string_view name, ReportPeriod period,
                                       std::int64_t today, core::UnixMillis now);

 private:
  store::SettingStore& settings_;
  const PartnerReportBuilder& builder_;
  const std::int64_t settle_days_;
};

}  // namespace uitweg::insights
