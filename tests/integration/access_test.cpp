// Who may use what, walked over the server's own table (`uitweg routes`): every HTTP route and
// every staff socket frame type, tried by every role and by someone signed in as nobody. A role
// without the permission gets permission_denied and nothing else; a route or frame type that
// this test has no request for fails the test, so a new endpoint cannot arrive without its rule
// being tried.

#include <map>
#include <sstream>

#include <set>

#include "integration/server_test.hpp"

namespace uitweg::support {
namespace {

constexpr char kPassword[] = "correct horse battery";
const std::vector<std::string> kRoles = {"counsellor", "supervisor", "analyst", "admin"};

struct Rule {
  std::string kind;  // "route" or "staff_frame"
  std::string name;  // "GET /api/v1/staff/me" or the frame type
  bool is_public = false;
  std::vector<std::string> roles;  // allowed, when not public
};

std::vector<Rule> PrintedRules() {
  auto run = RunCommand({"routes"});
  EXPECT_TRUE(run && run->exit_code == 0);
  std::vector<Rule> rules;
  std::istringstream lines(run ? run->out : "");
  for (std::string line; std::getline(lines, line);) {
    const boost::json::object printed = boost::json::parse(line).as_object();
    Rule rule;
    rule.kind = Str(printed, "kind");
    rule.name = rule.kind == "route" ? Str(printed, "method") + " " + Str(printed, "pattern")
                                     : Str(printed, "type");
    const boost::json::value& roles = printed.at("roles");
    rule.is_public = roles.is_string();
    if (roles.is_array()) {
      for (const auto& role : roles.as_array()) rule.roles.emplace_back(role.as_string());
    }
    rules.push_back(std::move(rule));
  }
  return rules;
}

bool Allowed(const Rule& rule, const std::string& role) {
  return std::find(rule.roles.begin(), rule.roles.end(), role) != rule.roles.end();
}

class AccessTest : public ServerTest {
 protected:
  // A session of the role's account, kept for the next request until one may have ended it
  // (Forget): each sign-in spends a code of the second factor, and an account has only so many.
  StaffSession Session(const std::string& role) {
    if (auto kept = sessions_.find(role); kept != sessions_.end()) return kept->second;
    auto session = SignIn(server_.port(), role + ".test", kPassword);
    EXPECT_TRUE(session) << session.error().message;
    if (!session) return StaffSession{};
    sessions_[role] = *session;
    return *session;
  }
  void Forget(const std::string& role) { sessions_.erase(role); }

  std::map<std::string, StaffSession> sessions_;

  // The answer to the route's request: HTTP status, or for a WebSocket 101 when it opened.
  using Try = std::function<int(const Headers&)>;
  std::map<std::string, Try> Requests() {
    const std::uint16_t port = server_.port();
    const auto call = [port](std::string method, std::string target, std::string body) {
      return [=](const Headers& headers) {
        auto res = HttpCall(port, {method, target, body, headers});
        return res ? res->status : -1;
      };
    };
    const auto socket = [port](std::string target) {
      return [=](const Headers& headers) {
        WsClient ws;
        if (ws.Connect(port, target, headers)) return 101;
        return ws.upgrade_status();
      };
    };
    return {
        {"GET /healthz", call("GET", "/healthz", "")},
        {"POST /api/v1/visitor/conversations", call("POST", "/api/v1/visitor/conversations", "{}")},
        {"POST /api/v1/visitor/feedback",
         call("POST", "/api/v1/visitor/feedback", R"({"resume_token":"x","helped":"yes"})")},
        {"GET /api/v1/visitor/status", call("GET", "/api/v1/visitor/status", "")},
        {"POST /api/v1/visitor/messages", call("POST", "/api/v1/visitor/messages", "{}")},
        {"POST /api/v1/visitor/pick-up",
         call("POST", "/api/v1/visitor/pick-up", R"({"code":"bakime-tosira-lepado-mifeka"})")},
        {"WS /api/v1/visitor/ws", socket("/api/v1/visitor/ws")},
        {"GET /api/v1/setup", call("GET", "/api/v1/setup", "")},
        {"POST /api/v1/setup",
         call("POST", "/api/v1/setup",
              R"({"token":"x","username":"x","password":"x","enrolment":"eA","code":"x"})")},
        {"POST /api/v1/setup/second-factor",
         call("POST", "/api/v1/setup/second-factor",
              R"({"token":"x","username":"x","password":"x"})")},
        {"POST /api/v1/staff/session",
         call("POST", "/api/v1/staff/session", R"({"username":"x","password":"x","code":"x"})")},
        {"DELETE /api/v1/staff/session", call("DELETE", "/api/v1/staff/session", "")},
        {"GET /api/v1/staff/me", call("GET", "/api/v1/staff/me", "")},
        {"GET /api/v1/staff/sessions", call("GET", "/api/v1/staff/sessions", "")},
        {"DELETE /api/v1/staff/sessions/{id}",
         call("DELETE", "/api/v1/staff/sessions/0000000000000000", "")},
        {"WS /api/v1/staff/ws", socket("/api/v1/staff/ws")},
        {"GET /api/v1/audit", call("GET", "/api/v1/audit", "")},
        {"GET /api/v1/admin/accounts", call("GET", "/api/v1/admin/accounts", "")},
        {"POST /api/v1/admin/accounts",
         call("POST", "/api/v1/admin/accounts", R"({"username":"x","role":"nobody"})")},
        {"POST /api/v1/admin/accounts/{id}/{change}",
         call("POST", "/api/v1/admin/accounts/999999/enable", "")},
        {"GET /api/v1/team", call("GET", "/api/v1/team", "")},
        {"GET /api/v1/admin/opening-hours", call("GET", "/api/v1/admin/opening-hours", "")},
        {"POST /api/v1/admin/opening-hours",
         call("POST", "/api/v1/admin/opening-hours", R"({"weekly":{"someday":[]}})")},
        {"GET /info/{slug}", call("GET", "/info/safety", "")},
        {"GET /api/v1/visitor/self-check", call("GET", "/api/v1/visitor/self-check?for=other", "")},
        {"POST /api/v1/visitor/events",
         call("POST", "/api/v1/visitor/events", R"({"event":"seen"})")},
        {"GET /api/v1/admin/content", call("GET", "/api/v1/admin/content", "")},
        {"POST /api/v1/admin/content/preview",
         call("POST", "/api/v1/admin/content/preview", R"({"body":"no title"})")},
        {"GET /api/v1/admin/content/{slug}/{language}",
         call("GET", "/api/v1/admin/content/safety/nl", "")},
        {"POST /api/v1/admin/content/{slug}/{language}",
         call("POST", "/api/v1/admin/content/nothing/nl", R"({"body":"# x"})")},
        {"GET /api/v1/campaigns", call("GET", "/api/v1/campaigns", "")},
        {"POST /api/v1/campaigns", call("POST", "/api/v1/campaigns", R"({"code":"X"})")},
        {"POST /api/v1/campaigns/{code}/retire",
         call("POST", "/api/v1/campaigns/never-made/retire", "")},
        {"GET /api/v1/campaigns/{code}/qr", call("GET", "/api/v1/campaigns/ok-code/qr", "")},
        {"GET /api/v1/history", call("GET", "/api/v1/history", "")},
        {"GET /api/v1/messages-left", call("GET", "/api/v1/messages-left", "")},
        {"GET /api/v1/colleagues", call("GET", "/api/v1/colleagues", "")},
        {"GET /api/v1/registration-form", call("GET", "/api/v1/registration-form", "")},
        {"GET /api/v1/organisations", call("GET", "/api/v1/organisations", "")},
        {"POST /api/v1/organisations", call("POST", "/api/v1/organisations", R"({"name":""})")},
        {"POST /api/v1/organisations/{id}",
         call("POST", "/api/v1/organisations/999999", R"({"name":"x"})")},
        {"GET /api/v1/referrals", call("GET", "/api/v1/referrals", "")},
        {"POST /api/v1/referrals",
         call("POST", "/api/v1/referrals", R"({"conversation_id":"c_x"})")},
        {"POST /api/v1/referrals/{id}/status",
         call("POST", "/api/v1/referrals/999999/status", R"({"status":"accepted"})")},
        {"GET /api/v1/registrations/{id}", call("GET", "/api/v1/registrations/c_nobody", "")},
        {"POST /api/v1/registrations/{id}",
         call("POST", "/api/v1/registrations/c_nobody", R"({"answers":{}})")},
        {"GET /api/v1/canned", call("GET", "/api/v1/canned", "")},
        {"POST /api/v1/canned", call("POST", "/api/v1/canned", R"({"title":"x"})")},
        {"POST /api/v1/canned/{id}", call("POST", "/api/v1/canned/999999", R"({"title":"x"})")},
        {"DELETE /api/v1/canned/{id}", call("DELETE", "/api/v1/canned/999999", "")},
        {"GET /api/v1/history/{id}", call("GET", "/api/v1/history/c_nobody", "")},
        {"POST /api/v1/team/{id}/capacity",
         call("POST", "/api/v1/team/999999/capacity", R"({"capacity":2})")},
        {"POST /api/v1/account-setup/info",
         call("POST", "/api/v1/account-setup/info", R"({"token":"x"})")},
        {"POST /api/v1/account-setup/second-factor",
         call("POST", "/api/v1/account-setup/second-factor", R"({"token":"x"})")},
        {"POST /api/v1/account-setup",
         call("POST", "/api/v1/account-setup", R"({"token":"x","password":"x","enrolment":"eA"})")},
        {"POST /api/v1/outreach/uploads",
         call("POST", "/api/v1/outreach/uploads", R"({"name":"x.json","size":0})")},
        {"PUT /api/v1/outreach/uploads/{id}",
         call("PUT", "/api/v1/outreach/uploads/u_0000000000000000000000?offset=0", "x")},
        {"GET /api/v1/outreach/scans", call("GET", "/api/v1/outreach/scans", "")},
        {"POST /api/v1/outreach/scans",
         call("POST", "/api/v1/outreach/scans", R"({"upload":"u_0000000000000000000000"})")},
        {"GET /api/v1/outreach/scans/{id}", call("GET", "/api/v1/outreach/scans/999999", "")},
        {"DELETE /api/v1/outreach/scans/{id}", call("DELETE", "/api/v1/outreach/scans/999999", "")},
        {"POST /api/v1/outreach/scans/{id}/cancel",
         call("POST", "/api/v1/outreach/scans/999999/cancel", "")},
        {"GET /api/v1/outreach/scans/{id}/findings",
         call("GET", "/api/v1/outreach/scans/999999/findings", "")},
        {"GET /api/v1/outreach/scans/{id}/clusters/{n}",
         call("GET", "/api/v1/outreach/scans/999999/clusters/1", "")},
        {"GET /api/v1/outreach/scans/{id}/export",
         call("GET", "/api/v1/outreach/scans/999999/export?format=csv", "")},
        {"PUT /api/v1/outreach/findings/{id}/verdict",
         call("PUT", "/api/v1/outreach/findings/999999/verdict", R"({"verdict":"unsure"})")},
        {"GET /api/v1/outreach/verdicts.jsonl",
         call("GET", "/api/v1/outreach/verdicts.jsonl?from=2020-01-01&to=2020-01-02", "")},
        {"GET /api/v1/outreach/lexicon", call("GET", "/api/v1/outreach/lexicon", "")},
        {"GET /api/v1/outreach/lexicon/versions",
         call("GET", "/api/v1/outreach/lexicon/versions", "")},
        {"POST /api/v1/outreach/lexicon/terms",
         call("POST", "/api/v1/outreach/lexicon/terms",
              R"({"based_on":999,"text":"x","category":"c","weight":1})")},
        {"POST /api/v1/outreach/lexicon/retire",
         call("POST", "/api/v1/outreach/lexicon/retire", R"({"based_on":999,"term":"x"})")},
        {"POST /api/v1/outreach/lexicon/test",
         call("POST", "/api/v1/outreach/lexicon/test", R"({"text":"","category":"c","weight":1})")},
        {"GET /api/v1/insights", call("GET", "/api/v1/insights?from=2026-01-01&to=2026-01-31", "")},
        {"GET /api/v1/insights/partners", call("GET", "/api/v1/insights/partners", "")},
        {"POST /api/v1/insights/partners",
         call("POST", "/api/v1/insights/partners", R"({"partners":"x"})")},
        {"GET /api/v1/insights/report",
         call("GET", "/api/v1/insights/report?partner=nobody&from=2026-01-01&to=2026-01-31", "")},
        {"GET /api/v1/insights/methodology",
         call("GET", "/api/v1/insights/methodology?from=2026-01-01&to=2026-01-31", "")},
        {"GET /api/v1/insights/emerging", call("GET", "/api/v1/insights/emerging", "")},
        {"POST /api/v1/insights/emerging", call("POST", "/api/v1/insights/emerging", "{}")},
        {"GET /api/v1/reviews/rubric", call("GET", "/api/v1/reviews/rubric", "")},
        {"GET /api/v1/reviews/samples", call("GET", "/api/v1/reviews/samples", "")},
        {"POST /api/v1/reviews/samples",
         call("POST", "/api/v1/reviews/samples",
              R"({"from":"2026-01-01","to":"2026-01-31","size":0})")},
        {"GET /api/v1/reviews/samples/{id}", call("GET", "/api/v1/reviews/samples/rs_nobody", "")},
        {"GET /api/v1/reviews/samples/{id}/conversations/{conversation}",
         call("GET", "/api/v1/reviews/samples/rs_nobody/conversations/c_nobody", "")},
        {"POST /api/v1/reviews/samples/{id}/conversations/{conversation}",
         call("POST", "/api/v1/reviews/samples/rs_nobody/conversations/c_nobody",
              R"({"scores":{}})")},
    };
  }

  static boost::json::object Frame(const std::string& type) {
    boost::json::object frame{{"type", type}};
    if (type != "hello" && type != "ping") frame["conversation_id"] = "c_nobody";
    if (type == "send" || type == "note" || type == "whisper") {
      frame["client_id"] = "m-" + type;
      frame["body"] = "hello";
    }
    if (type == "mark") frame["urgency"] = 1;
    if (type == "availability") frame["availability"] = "busy";
    if (type == "transfer") frame["to"] = 999999;
    if (type == "ask_consent") {
      frame["organisation_id"] = 999999;
      frame["client_id"] = "m-" + type;
    }
    return frame;
  }
};

TEST_F(AccessTest, EveryRouteAndFrameAnswersEachRoleAsTheTableSays) {
  for (const std::string& role : kRoles) {
    ASSERT_TRUE(AddStaff(server_.data_dir().string(), role + ".test", kPassword, role));
  }
  const std::vector<Rule> rules = PrintedRules();
  ASSERT_FALSE(rules.empty());
  auto requests = Requests();
  int routes = 0;
  int frames = 0;
  for (const Rule& rule : rules) {
    if (rule.kind == "staff_frame") continue;
    ++routes;
    auto found = requests.find(rule.name);
    ASSERT_NE(found, requests.end()) << "no access test for " << rule.name;
    const int anonymous = found->second({{"Origin", server_.Origin()}});
    if (rule.is_public) {
      // Reached without a session: the handler's own answer to these requests.
      const std::map<std::string, int> answers = {
          {"GET /healthz", 200},
          {"POST /api/v1/visitor/conversations", 201},
          {"POST /api/v1/visitor/feedback", 401},  // an unknown resume token
          {"GET /api/v1/visitor/status", 200},
          {"GET /info/{slug}", 200},
          {"GET /api/v1/visitor/self-check", 200},
          {"POST /api/v1/visitor/events", 400},    // not an event we count
          {"POST /api/v1/visitor/messages", 400},  // no body text
          {"POST /api/v1/visitor/pick-up", 401},   // an unknown code
          {"WS /api/v1/visitor/ws", 101},
          {"GET /api/v1/setup", 200},
          {"POST /api/v1/setup", 409},                // accounts exist: set up already
          {"POST /api/v1/setup/second-factor", 409},  // whatever the token
          {"POST /api/v1/staff/session", 401},        // wrong credentials
          {"POST /api/v1/account-setup/info", 403},   // an unknown link
          {"POST /api/v1/account-setup/second-factor", 403},
          {"POST /api/v1/account-setup", 403},
      };
      ASSERT_TRUE(answers.contains(rule.name)) << "no expected answer for public " << rule.name;
      EXPECT_EQ(anonymous, answers.at(rule.name)) << rule.name;
      continue;
    }
    EXPECT_EQ(anonymous, 401) << rule.name << " without a session";
    for (const std::string& role : kRoles) {
      const int status = found->second(Auth(Session(role)));
      // Signing out, or ending "a session", may end the one kept.
      if (rule.name.starts_with("DELETE /api/v1/staff/session")) Forget(role);
      if (Allowed(rule, role)) {
        EXPECT_TRUE(status != 401 && status != 403)
            << rule.name << " as " << role << ": " << status;
      } else {
        EXPECT_EQ(status, 403) << rule.name << " as " << role;
      }
    }
  }

  for (const std::string& role : kRoles) {
    auto ws = ConnectStaff(server_.port(), Session(role));
    ASSERT_TRUE(ws) << ws.error().message;
    for (const Rule& rule : rules) {
      if (rule.kind != "staff_frame") continue;
      ++frames;
      const boost::json::object sent = Frame(rule.name);
      ASSERT_TRUE(ws->Send(sent));
      // The answer to this frame: an error frame, or the frame it is answered with.
      auto answer = ws->Next(5s);
      // Frames that follow an earlier answer (an accepted conversation's entries and presence),
      // and the answer to an earlier write, which comes once the store has answered it.
      static const std::set<std::string, std::less<>> kFollowUps = {"queue", "queue_changes",
                                                                    "message", "presence"};
      // A frame with a client_id is answered under it, refusal included.
      const auto earlier = [&](const boost::json::object& frame) {
        const boost::json::value* ref = frame.if_contains("ref");
        const boost::json::value* mine = sent.if_contains("client_id");
        if (ref == nullptr || !ref->is_string()) return false;
        return mine != nullptr ? *ref != *mine : ref->as_string().starts_with("m-");
      };
      while (answer && (kFollowUps.contains(FrameType(*answer)) || earlier(*answer))) {
        answer = ws->Next(5s);
      }
      ASSERT_TRUE(answer) << rule.name << " as " << role << " got no answer";
      const bool denied =
          FrameType(*answer) == "error" && Str(*answer, "code") == "permission_denied";
      if (Allowed(rule, role)) {
        EXPECT_FALSE(denied) << rule.name << " as " << role;
      } else {
        ASSERT_TRUE(denied) << rule.name << " as " << role << ": "
                            << boost::json::serialize(*answer);
        // Nothing but the refusal: no conversation, no queue, no names.
        for (const auto& [key, value] : *answer) {
          EXPECT_TRUE(key == "type" || key == "code" || key == "message" || key == "ref")
              << rule.name << " as " << role << " told " << key;
        }
      }
    }
  }
  EXPECT_GE(routes, 12);
  EXPECT_EQ(frames, 19 * static_cast<int>(kRoles.size()));
}

}  // namespace
}  // namespace uitweg::support
