#include "api/campaign_api.hpp"

#include <map>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/url/parse.hpp>

#include "api/json_fields.hpp"
#include "qr/qr_code.hpp"

namespace uitweg::api {
namespace {

constexpr int kDefaultDays = 30;

boost::json::object CampaignJson(const store::Campaign& campaign) {
  return boost::json::object{
      {"code", campaign.code},
      {"label", campaign.label},
      {"created_by", campaign.created_by},
      {"created_at", campaign.created_at},
      {"retired_at", campaign.retired_at ? boost::json::value(*campaign.retired_at)
                                         : boost::json::value(nullptr)}};
}

}  // namespace

core::Result<Response> CampaignApi::Event(const Request& request) {
  UITWEG_TRY_ASSIGN(const boost::json::object body, VisitorBody(request));
  UITWEG_TRY_ASSIGN(const std::string event, RequiredString(body, "event"));
  UITWEG_TRY_ASSIGN(const std::string code, OptionalString(body, "campaign"));
  chat::CampaignMetric metric = chat::CampaignMetric::visit;
  if (event == "self_check") {
    metric = chat::CampaignMetric::self_check;
  } else if (event != "visit") {
    return core::Fail(core::Errc::invalid_argument, "event is visit or self_check");
  }
  if (!events_.Allow(request.client_key)) {
    return core::Fail(core::Errc::resource_exhausted, "too many events; try again in a minute");
  }
  UITWEG_TRY(campaigns_.Count(metric, code));
  return Response{204, {}, {}};
}

core::Result<Response> CampaignApi::List(const Request& request) {
  UITWEG_TRY(auth_.Check(request));
  UITWEG_TRY_ASSIGN(const auto params, QueryParams(request.query, {"from", "to"}));
  const auto from = params.find("from");
  const auto to = params.find("to");
  const std::string first =
      from == params.end() ? campaigns_.DaysBefore(kDefaultDays - 1) : from->second;
  const std::string last = to == params.end() ? campaigns_.Today() : to->second;
  UITWEG_TRY_ASSIGN(const auto counts, campaigns_.Counts(first, last));
  UITWEG_TRY_ASSIGN(const auto campaigns, campaigns_.List());

  // Totals per code over the period; the day rows as stored.
  std::map<std::string, boost::json::object, std::less<>> totals;
  boost::json::array days;
  for (const store::CampaignCount& count : counts) {
    boost::json::object& total = totals[count.code];
    const boost::json::value* before = total.if_contains(count.metric);
    total[count.metric] = (before == nullptr ? 0 : before->as_int64()) + count.count;
    days.push_back(boost::json::object{{"day", count.day},
                                       {"code", count.code},
                                       {"metric", count.metric},
                                       {"count", count.count}});
  }
  auto totals_of = [&](std::string_view code) {
    boost::json::object out{{"visit", 0}, {"self_check", 0}, {"chat_started", 0}, {"chat_held", 0}};
    if (auto found = totals.find(code); found != totals.end()) {
      for (const auto& [metric, value] : found->second) out[metric] = value;
    }
    return out;
  };
  boost::json::array listed;
  for (const store::Campaign& campaign : campaigns) {
    boost::json::object item = CampaignJson(campaign);
    item["totals"] = totals_of(campaign.code);
    listed.push_back(std::move(item));
  }
  return JsonResponse(200, boost::json::object{{"from", first},
                                               {"to", last},
                                               {"campaigns", std::move(listed)},
                                               {"without_campaign", totals_of("")},
                                               {"days", std::move(days)}});
}

core::Result<Response> CampaignApi::Create(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated staff, auth_.CheckChange(request));
  UITWEG_TRY_ASSIGN(const boost::json::object body, ParseObject(request.body, "the body"));
  UITWEG_TRY_ASSIGN(const std::string code, RequiredString(body, "code"));
  UITWEG_TRY_ASSIGN(const std::string label, RequiredString(body, "label"));
  UITWEG_TRY_ASSIGN(const store::Campaign created,
                    campaigns_.Create(code, label, staff.account.id));
  (void)audit_.Record(auth::Actor::Staff(staff.account), auth::audit_action::campaign_changed, {},
                      "created " + created.code);
  return JsonResponse(201, CampaignJson(created));
}

core::Result<Response> CampaignApi::Retire(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated staff, auth_.CheckChange(request));
  const std::string& code = request.params.at(0);
  UITWEG_TRY_ASSIGN(const bool retired_now, campaigns_.Retire(code));
  // A colleague's retire came first: theirs is in the trail, and this one changed nothing.
  if (retired_now) {
    (void)audit_.Record(auth::Actor::Staff(staff.account), auth::audit_action::campaign_changed, {},
                        "retired " + code);
  }
  return Response{204, {}, {}};
}

core::Result<Response> CampaignApi::Qr(const Request& request) {
  UITWEG_TRY(auth_.Check(request));
  const std::string& code = request.params.at(0);
  if (!chat::IsCampaignCodeShape(code)) return core::Fail(core::Errc::not_found, "no such code");
  // A poster for a code that is unknown or retired would count every visit as no campaign.
  UITWEG_TRY_ASSIGN(const std::string live, campaigns_.LiveCode(code));
  if (live.empty()) return core::Fail(core::Errc::not_found, "no such campaign, or it is retired");
  UITWEG_TRY_ASSIGN(const auto params, QueryParams(request.query, {"base"}));
  const auto base = params.find("base");
  if (base == params.end()) {
    return core::Fail(core::Errc::invalid_argument, "base names the site: https://example.org");
  }
  auto parsed = boost::urls::parse_absolute_uri(base->second);
  if (!parsed || (parsed->scheme() != "https" && parsed->scheme() != "http") ||
      !parsed->encoded_path().empty() || parsed->has_query() || parsed->has_fragment() ||
      parsed->has_userinfo() || parsed->encoded_host().empty()) {
    return core::Fail(core::Errc::invalid_argument,
                      "base is the site's origin only, such as https://example.org");
  }
  // A poster points at this site: the host the console itself was reached by.
  if (parsed->encoded_host_and_port() != request.host) {
    return core::Fail(core::Errc::invalid_argument, "base must be this site's own address");
  }
  const std::string url = std::string(parsed->scheme()) + "://" +
                          std::string(parsed->encoded_host_and_port()) + "/?c=" + code;
  UITWEG_TRY_ASSIGN(const qr::QrCode qr_code, qr::QrCode::Encode(url));
  return JsonResponse(200, boost::json::object{{"url", url}, {"svg", qr_code.Svg(url)}});
}

}  // namespace uitweg::api
