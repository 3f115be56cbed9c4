#include "insights/partners.hpp"

#include <fmt/format.h>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <set>

#include "core/utf8.hpp"
#include "insights/dashboard.hpp"
#include "model/registration.hpp"

namespace uitweg::insights {
namespace {

constexpr std::string_view kPartnersSetting = "insights.partners";
constexpr std::string_view kReportsSetting = "insights.reports.";
constexpr std::size_t kMaxLabelChars = 120;
// A partner's log keeps its newest reports; older ones fall out of the guard (docs/insights.md).
constexpr std::size_t kMaxLoggedReports = 1000;
// A report is built again when another was logged meanwhile; so many in a row is not a race.
constexpr int kMaxLogAttempts = 8;

core::Error Invalid(std::string message) {
  return core::Fail(core::Errc::invalid_argument, std::move(message));
}

bool IsPartnerName(std::string_view name) {
  if (name.size() < 2 || name.size() > 40 || name.front() == '-') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool IsLabel(std::string_view label) {
  const std::optional<std::size_t> chars = core::CountCodePoints(label);
  if (!chars || *chars == 0 || *chars > kMaxLabelChars) return false;
  return std::none_of(label.begin(), label.end(),
                      [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; });
}

core::Result<Partner> ParsePartner(const boost::json::value& value, std::size_t index) {
  const std::string where = fmt::format("partner {}", index + 1);
  if (!value.is_object()) return Invalid(where + " is not an object");
  Partner partner;
  bool named = false;
  bool labelled = false;
  bool regions = false;
  for (const auto& [key, field] : value.as_object()) {
    if (key == "name") {
      if (!field.is_string() || !IsPartnerName(field.as_string())) {
        return Invalid(where + ": name is 2 to 40 characters a-z, 0-9 and -");
      }
      partner.name = field.as_string();
      named = true;
    } else if (key == "label") {
      if (!field.is_string() || !IsLabel(field.as_string())) {
        return Invalid(where + ": label is 1 to 120 characters");
      }
      partner.label = field.as_string();
      labelled = true;
    } else if (key == "regions") {
      if (!field.is_array() || field.as_array().size() > kMaxPartnerRegions) {
        return Invalid(where + ": regions is a list of at most 100 places");
      }
      for (const boost::json::value& region : field.as_array()) {
        if (!region.is_string() || !model::IsPlace(region.as_string())) {
          return Invalid(where + ": a region is a place name (letters, spaces, - and ')");
        }
        partner.regions.push_back(model::TidyPlace(region.as_string()));
      }
      regions = true;
    } else if (key == "funnel" || key == "registrations" || key == "trends" ||
               key == "methodology") {
      if (!field.is_bool()) return Invalid(fmt::format("{}: {} is true or false", where, key));
      bool& flag = key == "funnel"          ? partner.funnel
                   : key == "registrations" ? partner.registrations
                   : key == "trends"        ? partner.trends
                                            : partner.methodology;
      flag = field.as_bool();
    } else {
      return Invalid(fmt::format("{}: unknown key {}", where, std::string_view(key)));
    }
  }
  if (!named || !labelled || !regions) {
    return Invalid(where + " needs a name, a label and regions (an empty list: the whole service)");
  }
  return partner;
}

// One published report in the partner's log: its period, and whether it showed trend tables
// (whose weeks are then published periods of the trend fields too).
struct LoggedReport {
  ReportPeriod period;
  bool trends = true;
};

// The log is a JSON array of [first_day, last_day] for a report that showed trend tables (or
// may have: entries written before this was noted look the same), and [first_day, last_day, 0]
// for one that did not. Their weeks are checked both as shown and as not (PartnerReportBuilder).
core::Result<std::vector<LoggedReport>> LoggedReports(const std::optional<store::Setting>& stored) {
  std::vector<LoggedReport> reports;
  if (!stored) return reports;
  boost::system::error_code error;
  const boost::json::value parsed = boost::json::parse(stored->value, error);
  const auto damaged = [] {
    return core::Fail(core::Errc::internal, "the report log of this partner is damaged");
  };
  if (error || !parsed.is_array()) return damaged();
  for (const boost::json::value& entry : parsed.as_array()) {
    const boost::json::array* fields = entry.if_array();
    if (fields == nullptr || fields->size() < 2 || fields->size() > 3) return damaged();
    for (const boost::json::value& field : *fields) {
      if (!field.is_int64()) return damaged();
    }
    reports.push_back({{(*fields)[0].as_int64(), (*fields)[1].as_int64()},
                       fields->size() == 2 || (*fields)[2].as_int64() != 0});
  }
  return reports;
}

std::string LogJson(const std::vector<LoggedReport>& reports) {
  boost::json::array log;
  for (const LoggedReport& logged : reports) {
    boost::json::array entry{logged.period.first_day, logged.period.last_day};
    if (!logged.trends) entry.push_back(0);
    log.push_back(std::move(entry));
  }
  return boost::json::serialize(log);
}

}  // namespace

core::Result<std::vector<Partner>> ParsePartners(std::string_view json) {
  boost::system::error_code error;
  const boost::json::value parsed = boost::json::parse(json, error);
  if (error || !parsed.is_array()) return Invalid("partners are a JSON array");
  if (parsed.as_array().size() > kMaxPartners) return Invalid("at most 500 partners");
  std::vector<Partner> partners;
  std::set<std::string, std::less<>> names;
  for (std::size_t i = 0; i < parsed.as_array().size(); ++i) {
    UITWEG_TRY_ASSIGN(Partner partner, ParsePartner(parsed.as_array()[i], i));
    if (!names.insert(partner.name).second) {
      return Invalid("the name " + partner.name + " is used twice");
    }
    partners.push_back(std::move(partner));
  }
  return partners;
}

std::string PartnersJson(const std::vector<Partner>& partners) {
  boost::json::array out;
  for (const Partner& partner : partners) {
    boost::json::array regions;
    for (const std::string& region : partner.regions) regions.push_back(region.c_str());
    out.push_back(boost::json::object{{"name", partner.name},
                                      {"label", partner.label},
                                      {"regions", std::move(regions)},
                                      {"funnel", partner.funnel},
                                      {"registrations", partner.registrations},
                                      {"trends", partner.trends},
                                      {"methodology", partner.methodology}});
  }
  return boost::json::serialize(out);
}

core::Result<PartnerList> PartnerReports::List() const {
  UITWEG_TRY_ASSIGN(const auto stored, settings_.ReadSetting(kPartnersSetting));
  PartnerList list{.version = store::SettingVersion(stored)};
  if (stored) {
    UITWEG_TRY_ASSIGN(list.partners, ParsePartners(stored->value));
  }
  return list;
}

core::Status PartnerReports::Save(const std::vector<Partner>& partners,
                                  std::optional<std::string_view> based_on, core::UnixMillis now) {
  const std::string json = PartnersJson(partners);
  UITWEG_TRY(ParsePartners(json));
  if (!based_on) return settings_.WriteSetting(kPartnersSetting, json, now);
  UITWEG_TRY_ASSIGN(const bool written,
                    store::WriteSettingOver(settings_, kPartnersSetting, json, *based_on, now));
  if (!written) {
    return core::Fail(core::Errc::aborted, "the partners were changed meanwhile; load them again");
  }
  return {};
}

core::Result<PartnerReport> PartnerReports::Generate(std::string_view name, ReportPeriod period,
                                                     std::int64_t today, core::UnixMillis now) {
  if (period.last_day < period.first_day) return Invalid("the period ends before it starts");
  if (const std::int64_t latest = today - settle_days_; period.last_day > latest) {
    return Invalid(
        fmt::format("a report covers days that have passed: its last day is {} at the "
                    "latest",
                    DayName(latest)));
  }
  const std::string log_name = std::string(kReportsSetting) + std::string(name);
  for (int attempt = 0; attempt < kMaxLogAttempts; ++attempt) {
    // Read again on each attempt: an admin may have changed the partner's regions meanwhile.
    UITWEG_TRY_ASSIGN(const PartnerList list, List());
    const auto partner = std::find_if(list.partners.begin(), list.partners.end(),
                                      [name](const Partner& p) { return p.name == name; });
    if (partner == list.partners.end()) {
      return core::Fail(core::Errc::not_found, "no such partner");
    }
    UITWEG_TRY_ASSIGN(const std::optional<store::Setting> stored, settings_.ReadSetting(log_name));
    UITWEG_TRY_ASSIGN(std::vector<LoggedReport> logged_reports, LoggedReports(stored));
    std::vector<ReportPeriod> earlier;
    std::vector<ReportPeriod> earlier_weeks;
    for (const LoggedReport& logged : logged_reports) {
      earlier.push_back(logged.period);
      if (!logged.trends) continue;
      const std::vector<ReportPeriod> weeks = TrendWeeksOf(logged.period);
      earlier_weeks.insert(earlier_weeks.end(), weeks.begin(), weeks.end());
    }
    UITWEG_TRY_ASSIGN(PartnerReport report,
                      builder_.Build(*partner, period, earlier, now, earlier_weeks));
    const bool trends = !report.trend_week.empty();
    const auto same = std::find_if(logged_reports.begin(), logged_reports.end(),
                                   [&](const LoggedReport& r) { return r.period == period; });
    if (same != logged_reports.end() && (same->trends || !trends)) return report;
    // Shown again with its weeks: logged anew, last, so that the trim keeps it longest.
    if (same != logged_reports.end()) logged_reports.erase(same);
    logged_reports.push_back({period, trends});
    if (logged_reports.size() > kMaxLoggedReports) logged_reports.erase(logged_reports.begin());
    const auto expected = stored ? std::optional<std::string_view>(stored->value) : std::nullopt;
    UITWEG_TRY_ASSIGN(const bool logged,
                      settings_.WriteSettingIf(log_name, LogJson(logged_reports), expected, now));
    if (logged) return report;
  }
  return core::Fail(core::Errc::unavailable,
                    "other reports for this partner are being made right now; try again");
}

}  // namespace uitweg::insights
