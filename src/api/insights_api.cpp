#include "api/insights_api.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/json_fields.hpp"
#include "chat/opening_hours.hpp"

namespace uitweg::api {
namespace {

constexpr std::int64_t kDayMillis = 24LL * 60 * 60 * 1000;
constexpr int kDefaultDays = 28;

boost::json::value Count(const std::optional<std::int64_t>& count) {
  return count ? boost::json::value(*count) : boost::json::value(nullptr);
}

boost::json::array StepsJson(const std::vector<insights::FunnelStep>& steps) {
  boost::json::array out;
  for (const insights::FunnelStep& step : steps) {
    out.push_back(
        boost::json::object{{"id", step.id}, {"label", step.label}, {"count", Count(step.count)}});
  }
  return out;
}

boost::json::object DurationJson(const insights::DurationSummary& summary) {
  return {{"count", summary.count}, {"median", summary.median}, {"p90", summary.p90}};
}

boost::json::object HourJson(const insights::HourOfWeek& hour) {
  return {{"started", hour.started}, {"held", hour.held}, {"abandoned", hour.abandoned}};
}

boost::json::array Triple(const std::array<std::int64_t, 3>& counts) {
  return {counts[0], counts[1], counts[2]};
}

boost::json::object DashboardJson(const insights::Dashboard& d) {
  boost::json::array campaigns;
  for (const insights::CampaignSteps& campaign : d.campaigns) {
    campaigns.push_back(
        boost::json::object{{"campaign", campaign.campaign}, {"steps", StepsJson(campaign.steps)}});
  }
  boost::json::array waiting;
  for (const insights::WaitingBand& band : d.waiting) {
    waiting.push_back(boost::json::object{{"label", band.label},
                                          {"up_to", band.up_to},
                                          {"held", band.held},
                                          {"abandoned", band.abandoned}});
  }
  boost::json::array by_hour;
  for (const insights::HourOfWeek& hour : d.by_hour) by_hour.push_back(HourJson(hour));
  boost::json::array by_weekday;
  for (const insights::HourOfWeek& day : d.by_weekday) by_weekday.push_back(HourJson(day));
  boost::json::array registrations;
  for (const insights::FieldCounts& field : d.registrations) {
    boost::json::array options;
    for (const insights::OptionCount& option : field.options) {
      options.push_back(
          boost::json::object{{"id", option.id}, {"label", option.label}, {"count", option.count}});
    }
    registrations.push_back(boost::json::object{
        {"id", field.id}, {"label", field.label}, {"options", std::move(options)}});
  }
  boost::json::array feedback;
  for (const insights::FeedbackWeek& week : d.feedback) {
    feedback.push_back(boost::json::object{{"week", week.week},
                                           {"helped", Triple(week.helped)},
                                           {"would_return", Triple(week.would_return)}});
  }
  boost::json::array outreach_weeks;
  for (const insights::OutreachWeek& week : d.outreach) {
    boost::json::array counts;
    for (const std::int64_t count : week.counts) counts.push_back(count);
    outreach_weeks.push_back(boost::json::object{{"week", week.week}, {"counts", counts}});
  }
  boost::json::array categories;
  for (const std::string& category : d.outreach_categories) categories.push_back(category.c_str());
  boost::json::array rises;
  for (const insights::Rise& rise : d.rises) {
    rises.push_back(boost::json::object{{"field", rise.field},
                                        {"key", rise.trend.key},
                                        {"label", rise.trend.label},
                                        {"count", rise.trend.count},
                                        {"previous", rise.trend.previous},
                                        {"sentence", rise.sentence}});
  }
  const double per_shift = d.shifts.shifts == 0 ? 0.0
                                                : static_cast<double>(d.shifts.conversations) /
                                                      static_cast<double>(d.shifts.shifts);
  return {
      {"funnel", StepsJson(d.funnel)},
      {"campaigns", std::move(campaigns)},
      {"service",
       boost::json::object{{"first_response", DurationJson(d.first_response)},
                           {"abandoned_wait", DurationJson(d.abandoned_wait)},
                           {"length", DurationJson(d.length)},
                           {"waiting", std::move(waiting)},
                           {"by_hour", std::move(by_hour)},
                           {"by_weekday", std::move(by_weekday)},
                           {"shifts", boost::json::object{{"shifts", d.shifts.shifts},
                                                          {"conversations", d.shifts.conversations},
                                                          {"per_shift", per_shift}}}}},
      {"registered", d.registered},
      {"registrations", std::move(registrations)},
      {"feedback", std::move(feedback)},
      {"outreach", boost::json::object{{"categories", std::move(categories)},
                                       {"weeks", std::move(outreach_weeks)}}},
      {"trends", boost::json::object{{"week", d.trend_week}, {"rises", std::move(rises)}}}};
}

// The local day number of a date's start, as the stores count days.
std::int64_t DayOf(core::UnixMillis start) {
  return (start + chat::UtcOffsetMillis(start)) / kDayMillis;
}

core::Result<std::int64_t> DayParam(const std::map<std::string, std::string, std::less<>>& params,
                                    std::string_view name) {
  const auto found = params.find(name);
  if (found == params.end() || !chat::IsDate(found->second)) {
    return core::Fail(core::Errc::invalid_argument, fmt::format("{} is a date, YYYY-MM-DD", name));
  }
  return DayOf(chat::StartOfLocalDate(found->second));
}

}  // namespace

core::Result<Response> InsightsApi::Dashboard(const Request& request) {
  UITWEG_TRY(auth_.Check(request));
  UITWEG_TRY_ASSIGN(const auto params,
                    QueryParams(request.query, {"from", "to", "campaign", "region"}));
  UITWEG_TRY_ASSIGN(const LocalPeriod period, PeriodParams(params, clock_.Now(), kDefaultDays));
  insights::DashboardQuery query;
  query.from = chat::StartOfLocalDate(period.from);
  query.first_day = DayOf(query.from);
  const core::UnixMillis last_start = chat::StartOfLocalDate(period.to);
  query.last_day = DayOf(last_start);
  if (query.last_day - query.first_day + 1 > kMaxDays) {
    return core::Fail(core::Errc::invalid_argument, "a period is at most two years");
  }
  query.to = chat::StartOfLocalDate(insights::DayName(query.last_day + 1));
  query.utc_offset_millis = chat::UtcOffsetMillis(last_start);
  if (const auto campaign = QueryParam(params, "campaign")) {
    query.campaign = *campaign == "-" ? std::string() : *campaign;
  }
  if (const auto regions = QueryParam(params, "region")) {
    std::string_view rest = *regions;
    while (!rest.empty()) {
      const std::size_t comma = rest.find(',');
      const std::string_view region = rest.substr(0, comma);
      if (!region.empty() &&
          std::find(query.regions.begin(), query.regions.end(), region) == query.regions.end()) {
        if (query.regions.size() == kMaxRegions) {
          return core::Fail(core::Errc::invalid_argument,
                            fmt::format("at most {} regions at once", kMaxRegions));
        }
        query.regions.emplace_back(region);
      }
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
  UITWEG_TRY_ASSIGN(const insights::Dashboard dashboard, dashboard_.Read(query));
  boost::json::object body = DashboardJson(dashboard);
  body["from"] = period.from;
  body["to"] = period.to;
  body["campaign"] = query.campaign ? boost::json::value(*query.campaign) : nullptr;
  boost::json::array regions;
  for (const std::string& region : query.regions) regions.push_back(region.c_str());
  body["regions"] = std::move(regions);
  return JsonResponse(200, std::move(body));
}

core::Result<Response> InsightsApi::Partners(const Request& request) {
  UITWEG_TRY(auth_.Check(request));
  UITWEG_TRY_ASSIGN(const insights::PartnerList list, reports_.List());
  boost::json::value listed = boost::json::parse(insights::PartnersJson(list.partners));
  return JsonResponse(
      200, boost::json::object{{"partners", std::move(listed)}, {"version", list.version}});
}

core::Result<Response> InsightsApi::SavePartners(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated staff, auth_.CheckChange(request));
  UITWEG_TRY_ASSIGN(const boost::json::object body, ParseObject(request.body, "the body"));
  const boost::json::value* partners = body.if_contains("partners");
  if (partners == nullptr || body.size() != (body.contains("based_on") ? 2u : 1u)) {
    return core::Fail(core::Errc::invalid_argument,
                      "the body is {\"partners\": [...], \"based_on\": version}");
  }
  UITWEG_TRY_ASSIGN(const std::vector<insights::Partner> parsed,
                    insights::ParsePartners(boost::json::serialize(*partners)));
  UITWEG_TRY_ASSIGN(const std::string based_on, OptionalString(body, "based_on"));
  // Without based_on (a script) the list is replaced whatever it is; the console names the
  // version it shows, so that a colleague's change made meanwhile is not lost.
  UITWEG_TRY(reports_.Save(
      parsed, body.contains("based_on") ? std::optional<std::string_view>(based_on) : std::nullopt,
      clock_.Now()));
  (void)audit_.Record(auth::Actor::Staff(staff.account), auth::audit_action::partners_changed, {},
                      fmt::format("{} partners", parsed.size()));
  return Partners(request);
}

core::Result<Response> InsightsApi::Report(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated staff, auth_.Check(request));
  UITWEG_TRY_ASSIGN(const auto params,
                    QueryParams(request.query, {"partner", "from", "to", "format"}));
  const auto partner = params.find("partner");
  if (partner == params.end()) {
    return core::Fail(core::Errc::invalid_argument, "partner names the partner");
  }
  const auto format = params.find("format");
  const std::string kind = format == params.end() ? "html" : format->second;
  if (kind != "html" && kind != "csv") {
    return core::Fail(core::Errc::invalid_argument, "format is csv or html");
  }
  UITWEG_TRY_ASSIGN(const std::int64_t first_day, DayParam(params, "from"));
  UITWEG_TRY_ASSIGN(const std::int64_t last_day, DayParam(params, "to"));
  if (last_day - first_day + 1 > kMaxDays) {
    return core::Fail(core::Errc::invalid_argument, "a period is at most two years");
  }
  const core::UnixMillis now = clock_.Now();
  UITWEG_TRY_ASSIGN(const insights::PartnerReport report,
                    reports_.Generate(partner->second, {first_day, last_day},
                                      DayOf(chat::StartOfLocalDate(chat::LocalDate(now))), now));
  const std::string period = fmt::format("{} {}..{}", report.partner.name,
                                         insights::DayName(first_day), insights::DayName(last_day));
  (void)audit_.Record(auth::Actor::Staff(staff.account), auth::audit_action::insights_report, {},
                      period + " " + kind);
  const std::string file =
      fmt::format("uitweg-{}-{}-{}.{}", report.partner.name, insights::DayName(first_day),
                  insights::DayName(last_day), kind);
  if (kind == "csv") {
    return Response{200,
                    insights::RenderCsv(report),
                    {{"Content-Disposition", fmt::format("attachment; filename=\"{}\"", file)}},
                    "text/csv; charset=utf-8"};
  }
  return Response{200, insights::RenderHtml(report), {}, "text/html; charset=utf-8"};
}

}  // namespace uitweg::api
