#include "app/routes.hpp"

#include <stdexcept>
#include <string>

namespace uitweg::app {
namespace {

using model::Permission;

const RouteRule& RuleFor(std::string_view method, std::string_view pattern) {
  for (const RouteRule& rule : RouteRules()) {
    if (rule.method == method && rule.pattern == pattern) return rule;
  }
  throw std::logic_error("route " + std::string(method) + " " + std::string(pattern) +
                         " has no access rule in RouteRules()");
}

// The route's rule, checked before the handler: who is not allowed learns nothing else.
core::Status Permitted(const RouteRule& rule, api::StaffAuth& auth, const api::Request& request) {
  if (!rule.needs) return {};
  core::Result<auth::Authenticated> staff = auth.Check(request);
  if (!staff) return staff.error();
  if (!model::RoleMay(staff->account.role, *rule.needs)) {
    return core::Fail(core::Errc::permission_denied, "your role may not do this");
  }
  return {};
}

class Routes {
 public:
  Routes(net::Router& router, api::StaffAuth& auth) : router_(router), auth_(auth) {}

  void Add(std::string_view method, std::string_view pattern, api::Handler handler) {
    router_.Add(method, pattern, Checked(RuleFor(method, pattern), std::move(handler)));
  }

  // A route whose requests may carry bodies up to `max_bytes`, when its rule lets them in: the
  // body of anyone else's stays under the server's limit.
  void AddLarge(std::string_view method, std::string_view pattern, std::size_t max_bytes,
                api::Handler handler) {
    const RouteRule& rule = RuleFor(method, pattern);
    api::LargeBody large{.max_bytes = max_bytes,
                         .admits = [&rule, &auth = auth_](const api::Request& header) {
                           return static_cast<bool>(Permitted(rule, auth, header));
                         }};
    router_.Add(method, pattern, Checked(rule, std::move(handler)), std::move(large));
  }

  void AddSocket(std::string_view path, api::ChannelFactory factory) {
    const RouteRule& rule = RuleFor("WS", path);
    router_.AddSocket(
        path,
        [&rule, &auth = auth_, factory = std::move(factory)](
            const api::Request& request,
            std::weak_ptr<api::FrameSink> sink) -> core::Result<std::shared_ptr<api::Channel>> {
          // A console opens its socket by itself (and again after every drop): that is no action
          // of its user, and must not keep an idle session alive.
          api::Request opened_by_itself = request;
          opened_by_itself.background = true;
          UITWEG_TRY(Permitted(rule, auth, opened_by_itself));
          return factory(request, std::move(sink));
        });
  }

 private:
  api::Handler Checked(const RouteRule& rule, api::Handler handler) {
    return [&rule, &auth = auth_, handler = std::move(handler)](
               const api::Request& request) -> core::Result<api::Response> {
      UITWEG_TRY(Permitted(rule, auth, request));
      return handler(request);
    };
  }

  net::Router& router_;
  api::StaffAuth& auth_;
};

void AddOutreachRoutes(Routes& routes, api::OutreachApi& o, api::LexiconApi& l) {
  routes.Add("POST", "/api/v1/outreach/uploads",
             [&o](const api::Request& r) { return o.CreateUpload(r); });
  routes.AddLarge("PUT", "/api/v1/outreach/uploads/{id}", api::kUploadChunkBytes,
                  [&o](const api::Request& r) { return o.PutChunk(r); });
  routes.Add("GET", "/api/v1/outreach/scans", [&o](const api::Request& r) { return o.Scans(r); });
  routes.Add("POST", "/api/v1/outreach/scans",
             [&o](const api::Request& r) { return o.StartScan(r); });
  routes.Add("GET", "/api/v1/outreach/scans/{id}",
             [&o](const api::Request& r) { return o.Scan(r); });
  routes.Add("DELETE", "/api/v1/outreach/scans/{id}",
             [&o](const api::Request& r) { return o.Delete(r); });
  routes.Add("POST", "/api/v1/outreach/scans/{id}/cancel",
             [&o](const api::Request& r) { return o.Cancel(r); });
  routes.Add("GET", "/api/v1/outreach/scans/{id}/findings",
             [&o](const api::Request& r) { return o.Findings(r); });
  routes.Add("GET", "/api/v1/outreach/scans/{id}/clusters/{n}",
             [&o](const api::Request& r) { return o.Cluster(r); });
  routes.Add("GET", "/api/v1/outreach/scans/{id}/export",
             [&o](const api::Request& r) { return o.Export(r); });
  routes.Add("PUT", "/api/v1/outreach/findings/{id}/verdict",
             [&o](const api::Request& r) { return o.Verdict(r); });
  routes.Add("GET", "/api/v1/outreach/verdicts.jsonl",
             [&o](const api::Request& r) { return o.Verdicts(r); });
  routes.Add("GET", "/api/v1/outreach/lexicon", [&l](const api::Request& r) { return l.Get(r); });
  routes.Add("GET", "/api/v1/outreach/lexicon/versions",
             [&l](const api::Request& r) { return l.Versions(r); });
  routes.Add("POST", "/api/v1/outreach/lexicon/terms",
             [&l](const api::Request& r) { return l.AddTerm(r); });
  routes.Add("POST", "/api/v1/outreach/lexicon/retire",
             [&l](const api::Request& r) { return l.Retire(r); });
  routes.Add("POST", "/api/v1/outreach/lexicon/test",
             [&l](const api::Request& r) { return l.Test(r); });
}

void AddReviewRoutes(Routes& routes, api::ReviewApi& v) {
  routes.Add("GET", "/api/v1/insights/methodology",
             [&v](const api::Request& r) { return v.Methodology(r); });
  routes.Add("GET", "/api/v1/reviews/rubric", [&v](const api::Request& r) { return v.Rubric(r); });
  routes.Add("GET", "/api/v1/reviews/samples",
             [&v](const api::Request& r) { return v.Samples(r); });
  routes.Add("POST", "/api/v1/reviews/samples", [&v](const api::Request& r) { return v.Draw(r); });
  routes.Add("GET", "/api/v1/reviews/samples/{id}",
             [&v](const api::Request& r) { return v.Sample(r); });
  routes.Add("GET", "/api/v1/reviews/samples/{id}/conversations/{conversation}",
             [&v](const api::Request& r) { return v.Open(r); });
  routes.Add("POST", "/api/v1/reviews/samples/{id}/conversations/{conversation}",
             [&v](const api::Request& r) { return v.Save(r); });
}

}  // namespace

std::span<const RouteRule> RouteRules() {
  static constexpr RouteRule kRules[] = {
      {"GET", "/healthz", std::nullopt},
      {"POST", "/api/v1/visitor/conversations", std::nullopt},
      {"POST", "/api/v1/visitor/feedback", std::nullopt},
      {"GET", "/api/v1/visitor/status", std::nullopt},
      {"POST", "/api/v1/visitor/messages", std::nullopt},
      {"POST", "/api/v1/visitor/pick-up", std::nullopt},
      {"WS", "/api/v1/visitor/ws", std::nullopt},
      {"GET", "/api/v1/setup", std::nullopt},
      {"POST", "/api/v1/setup", std::nullopt},
      {"POST", "/api/v1/setup/second-factor", std::nullopt},
      {"POST", "/api/v1/staff/session", std::nullopt},
      {"DELETE", "/api/v1/staff/session", Permission::use_console},
      {"GET", "/api/v1/staff/me", Permission::use_console},
      {"GET", "/api/v1/staff/sessions", Permission::use_console},
      {"DELETE", "/api/v1/staff/sessions/{id}", Permission::use_console},
      {"WS", "/api/v1/staff/ws", Permission::use_console},
      {"GET", "/api/v1/audit", Permission::read_audit},
      {"GET", "/api/v1/admin/accounts", Permission::manage_accounts},
      {"POST", "/api/v1/admin/accounts", Permission::manage_accounts},
      {"POST", "/api/v1/admin/accounts/{id}/{change}", Permission::manage_accounts},
      {"GET", "/api/v1/canned", Permission::use_console},
      {"POST", "/api/v1/canned", Permission::supervise},
      {"POST", "/api/v1/canned/{id}", Permission::supervise},
      {"DELETE", "/api/v1/canned/{id}", Permission::supervise},
      {"GET", "/api/v1/history", Permission::counsel},
      {"GET", "/api/v1/history/{id}", Permission::counsel},
      {"GET", "/api/v1/messages-left", Permission::counsel},
      {"GET", "/api/v1/colleagues", Permission::counsel},
      {"GET", "/api/v1/organisations", Permission::use_console},
      {"POST", "/api/v1/organisations", Permission::manage_service},
      {"POST", "/api/v1/organisations/{id}", Permission::manage_service},
      {"GET", "/api/v1/referrals", Permission::counsel},
      {"POST", "/api/v1/referrals", Permission::counsel},
      {"POST", "/api/v1/referrals/{id}/status", Permission::counsel},
      {"GET", "/api/v1/registration-form", Permission::use_console},
      {"GET", "/api/v1/registrations/{id}", Permission::counsel},
      {"POST", "/api/v1/registrations/{id}", Permission::counsel},
      {"GET", "/api/v1/admin/opening-hours", Permission::manage_service},
      {"POST", "/api/v1/admin/opening-hours", Permission::manage_service},
      {"GET", "/info/{slug}", std::nullopt},
      {"GET", "/api/v1/visitor/self-check", std::nullopt},
      {"POST", "/api/v1/visitor/events", std::nullopt},
      {"GET", "/api/v1/admin/content", Permission::manage_service},
      {"POST", "/api/v1/admin/content/preview", Permission::manage_service},
      {"GET", "/api/v1/admin/content/{slug}/{language}", Permission::manage_service},
      {"POST", "/api/v1/admin/content/{slug}/{language}", Permission::manage_service},
      {"GET", "/api/v1/campaigns", Permission::manage_campaigns},
      {"POST", "/api/v1/campaigns", Permission::manage_campaigns},
      {"POST", "/api/v1/campaigns/{code}/retire", Permission::manage_campaigns},
      {"GET", "/api/v1/campaigns/{code}/qr", Permission::manage_campaigns},
      {"GET", "/api/v1/team", Permission::supervise},
      {"POST", "/api/v1/team/{id}/capacity", Permission::supervise},
      {"POST", "/api/v1/account-setup/info", std::nullopt},
      {"POST", "/api/v1/account-setup/second-factor", std::nullopt},
      {"POST", "/api/v1/account-setup", std::nullopt},
      {"POST", "/api/v1/outreach/uploads", Permission::review_outreach},
      {"PUT", "/api/v1/outreach/uploads/{id}", Permission::review_outreach},
      {"GET", "/api/v1/outreach/scans", Permission::review_outreach},
      {"POST", "/api/v1/outreach/scans", Permission::review_outreach},
      {"GET", "/api/v1/outreach/scans/{id}", Permission::review_outreach},
      {"DELETE", "/api/v1/outreach/scans/{id}", Permission::review_outreach},
      {"POST", "/api/v1/outreach/scans/{id}/cancel", Permission::review_outreach},
      {"GET", "/api/v1/outreach/scans/{id}/findings", Permission::review_outreach},
      {"GET", "/api/v1/outreach/scans/{id}/clusters/{n}", Permission::review_outreach},
      {"GET", "/api/v1/outreach/scans/{id}/export", Permission::review_outreach},
      {"PUT", "/api/v1/outreach/findings/{id}/verdict", Permission::review_outreach},
      {"GET", "/api/v1/outreach/verdicts.jsonl", Permission::review_outreach},
      {"GET", "/api/v1/outreach/lexicon", Permission::review_outreach},
      {"GET", "/api/v1/outreach/lexicon/versions", Permission::review_outreach},
      {"POST", "/api/v1/outreach/lexicon/terms", Permission::review_outreach},
      {"POST", "/api/v1/outreach/lexicon/retire", Permission::review_outreach},
      {"POST", "/api/v1/outreach/lexicon/test", Permission::review_outreach},
      {"GET", "/api/v1/insights", Permission::read_insights},
      {"GET", "/api/v1/insights/partners", Permission::read_insights},
      {"POST", "/api/v1/insights/partners", Permission::manage_partners},
      {"GET", "/api/v1/insights/report", Permission::publish_reports},
      {"GET", "/api/v1/insights/methodology", Permission::read_insights},
      {"GET", "/api/v1/insights/emerging", Permission::read_insights},
      {"POST", "/api/v1/insights/emerging", Permission::review_outreach},
      {"GET", "/api/v1/reviews/rubric", Permission::review_conversations},
      {"GET", "/api/v1/reviews/samples", Permission::review_conversations},
      {"POST", "/api/v1/reviews/samples", Permission::review_conversations},
      {"GET", "/api/v1/reviews/samples/{id}", Permission::review_conversations},
      {"GET", "/api/v1/reviews/samples/{id}/conversations/{conversation}",
       Permission::review_conversations},
      {"POST", "/api/v1/reviews/samples/{id}/conversations/{conversation}",
       Permission::review_conversations},
  };
  return kRules;
}

void AddRoutes(net::Router& router, const Handlers& h) {
  Routes routes(router, h.staff_auth);
  routes.Add("GET", "/healthz", [&h = h.health](const api::Request& r) { return h.Get(r); });

  routes.Add("POST", "/api/v1/visitor/conversations",
             [&v = h.visitor](const api::Request& r) { return v.StartConversation(r); });
  routes.Add("POST", "/api/v1/visitor/feedback",
             [&v = h.visitor](const api::Request& r) { return v.GiveFeedback(r); });
  routes.Add("POST", "/api/v1/visitor/messages",
             [&v = h.visitor](const api::Request& r) { return v.LeaveMessage(r); });
  routes.Add("POST", "/api/v1/visitor/pick-up",
             [&v = h.visitor](const api::Request& r) { return v.PickUp(r); });
  routes.Add("GET", "/api/v1/visitor/status",
             [&s = h.service](const api::Request& r) { return s.Status(r); });
  routes.Add("GET", "/api/v1/admin/opening-hours",
             [&s = h.service](const api::Request& r) { return s.Hours(r); });
  routes.Add("POST", "/api/v1/admin/opening-hours",
             [&s = h.service](const api::Request& r) { return s.SetHours(r); });
  routes.AddSocket("/api/v1/visitor/ws",
                   [&v = h.visitor](const api::Request& r, std::weak_ptr<api::FrameSink> sink) {
                     return v.OpenSocket(r, std::move(sink));
                   });

  routes.Add("GET", "/api/v1/setup", [&s = h.setup](const api::Request& r) { return s.Status(r); });
  routes.Add("POST", "/api/v1/setup",
             [&s = h.setup](const api::Request& r) { return s.Create(r); });
  routes.Add("POST", "/api/v1/setup/second-factor",
             [&s = h.setup](const api::Request& r) { return s.SecondFactor(r); });

  routes.Add("POST", "/api/v1/staff/session",
             [&s = h.staff](const api::Request& r) { return s.SignIn(r); });
  routes.Add("DELETE", "/api/v1/staff/session",
             [&s = h.staff](const api::Request& r) { return s.SignOut(r); });
  routes.Add("GET", "/api/v1/staff/me", [&s = h.staff](const api::Request& r) { return s.Me(r); });
  routes.Add("GET", "/api/v1/staff/sessions",
             [&s = h.staff](const api::Request& r) { return s.Sessions(r); });
  routes.Add("DELETE", "/api/v1/staff/sessions/{id}",
             [&s = h.staff](const api::Request& r) { return s.EndSession(r); });
  routes.Add("GET", "/api/v1/audit", [&s = h.staff](const api::Request& r) { return s.Audit(r); });
  routes.Add("GET", "/api/v1/admin/accounts",
             [&a = h.admin](const api::Request& r) { return a.List(r); });
  routes.Add("POST", "/api/v1/admin/accounts",
             [&a = h.admin](const api::Request& r) { return a.Invite(r); });
  routes.Add("POST", "/api/v1/admin/accounts/{id}/{change}",
             [&a = h.admin](const api::Request& r) { return a.Change(r); });
  routes.Add("GET", "/api/v1/canned", [&c = h.canned](const api::Request& r) { return c.List(r); });
  routes.Add("POST", "/api/v1/canned",
             [&c = h.canned](const api::Request& r) { return c.Create(r); });
  routes.Add("POST", "/api/v1/canned/{id}",
             [&c = h.canned](const api::Request& r) { return c.Update(r); });
  routes.Add("DELETE", "/api/v1/canned/{id}",
             [&c = h.canned](const api::Request& r) { return c.Delete(r); });
  routes.Add("GET", "/api/v1/history",
             [&c = h.history](const api::Request& r) { return c.List(r); });
  routes.Add("GET", "/api/v1/organisations",
             [&o = h.handover](const api::Request& r) { return o.Directory(r); });
  routes.Add("POST", "/api/v1/organisations",
             [&o = h.handover](const api::Request& r) { return o.AddOrganisation(r); });
  routes.Add("POST", "/api/v1/organisations/{id}",
             [&o = h.handover](const api::Request& r) { return o.ChangeOrganisation(r); });
  routes.Add("GET", "/api/v1/referrals",
             [&o = h.handover](const api::Request& r) { return o.Referrals(r); });
  routes.Add("POST", "/api/v1/referrals",
             [&o = h.handover](const api::Request& r) { return o.Refer(r); });
  routes.Add("POST", "/api/v1/referrals/{id}/status",
             [&o = h.handover](const api::Request& r) { return o.SetStatus(r); });
  routes.Add("GET", "/api/v1/registration-form",
             [&g = h.registration](const api::Request& r) { return g.Form(r); });
  routes.Add("GET", "/api/v1/registrations/{id}",
             [&g = h.registration](const api::Request& r) { return g.Read(r); });
  routes.Add("POST", "/api/v1/registrations/{id}",
             [&g = h.registration](const api::Request& r) { return g.Save(r); });
  routes.Add("GET", "/api/v1/colleagues",
             [&s = h.service](const api::Request& r) { return s.Colleagues(r); });
  routes.Add("GET", "/api/v1/messages-left",
             [&c = h.history](const api::Request& r) { return c.MessagesLeft(r); });
  routes.Add("GET", "/api/v1/history/{id}",
             [&c = h.history](const api::Request& r) { return c.Open(r); });
  routes.Add("GET", "/info/{slug}",
             [&c = h.content](const api::Request& r) { return c.InfoPage(r); });
  routes.Add("GET", "/api/v1/visitor/self-check",
             [&c = h.content](const api::Request& r) { return c.SelfCheck(r); });
  routes.Add("POST", "/api/v1/visitor/events",
             [&c = h.campaigns](const api::Request& r) { return c.Event(r); });
  routes.Add("GET", "/api/v1/admin/content",
             [&c = h.content](const api::Request& r) { return c.Pages(r); });
  routes.Add("POST", "/api/v1/admin/content/preview",
             [&c = h.content](const api::Request& r) { return c.Preview(r); });
  routes.Add("GET", "/api/v1/admin/content/{slug}/{language}",
             [&c = h.content](const api::Request& r) { return c.Page(r); });
  routes.Add("POST", "/api/v1/admin/content/{slug}/{language}",
             [&c = h.content](const api::Request& r) { return c.Save(r); });
  routes.Add("GET", "/api/v1/insights",
             [&i = h.insights](const api::Request& r) { return i.Dashboard(r); });
  routes.Add("GET", "/api/v1/insights/partners",
             [&i = h.insights](const api::Request& r) { return i.Partners(r); });
  routes.Add("POST", "/api/v1/insights/partners",
             [&i = h.insights](const api::Request& r) { return i.SavePartners(r); });
  routes.Add("GET", "/api/v1/insights/report",
             [&i = h.insights](const api::Request& r) { return i.Report(r); });
  routes.Add("GET", "/api/v1/insights/emerging",
             [&e = h.emerging_words](const api::Request& r) { return e.Get(r); });
  routes.Add("POST", "/api/v1/insights/emerging",
             [&e = h.emerging_words](const api::Request& r) { return e.Run(r); });
  routes.Add("GET", "/api/v1/campaigns",
             [&c = h.campaigns](const api::Request& r) { return c.List(r); });
  routes.Add("POST", "/api/v1/campaigns",
             [&c = h.campaigns](const api::Request& r) { return c.Create(r); });
  routes.Add("POST", "/api/v1/campaigns/{code}/retire",
             [&c = h.campaigns](const api::Request& r) { return c.Retire(r); });
  routes.Add("GET", "/api/v1/campaigns/{code}/qr",
             [&c = h.campaigns](const api::Request& r) { return c.Qr(r); });
  routes.Add("GET", "/api/v1/team", [&t = h.team](const api::Request& r) { return t.List(r); });
  routes.Add("POST", "/api/v1/team/{id}/capacity",
             [&t = h.team](const api::Request& r) { return t.SetCapacity(r); });
  routes.Add("POST", "/api/v1/account-setup/info",
             [&a = h.admin](const api::Request& r) { return a.SetupInfo(r); });
  routes.Add("POST", "/api/v1/account-setup/second-factor",
             [&a = h.admin](const api::Request& r) { return a.SetupEnrol(r); });
  routes.Add("POST", "/api/v1/account-setup",
             [&a = h.admin](const api::Request& r) { return a.SetupComplete(r); });
  AddOutreachRoutes(routes, h.outreach, h.lexicon);
  AddReviewRoutes(routes, h.review);
  routes.AddSocket("/api/v1/staff/ws",
                   [&s = h.staff](const api::Request& r, std::weak_ptr<api::FrameSink> sink) {
                     return s.OpenSocket(r, std::move(sink));
                   });
}

}  // namespace uitweg::app
