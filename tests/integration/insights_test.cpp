// The insights dashboard through the real binary: conversations held, ended, given up while
// waiting and registered show in the funnel, the service levels and the registrations; a region
// filter narrows them (and has no home page visits to show); bad periods are refused; a
// counsellor may not read it. Runs on SQLite and, in the PostgreSQL suite, on PostgreSQL.

#include <chrono>
#include <sstream>
#include <thread>

#include "integration/server_test.hpp"

namespace uitweg::support {
namespace {

constexpr char kCriminal[] = R"({"complete":true,"answers":{"who":["young_person"],
  "topics":["threats","debts"],"region":["Rotterdam"],"criminal_involvement":["yes"],
  "exploitation_signals":["yes"],"exploitation_kind":["criminal"],"crime":["drugs"],
  "in_danger":["unclear"],"outcome":["advice"]}})";
constexpr char kOther[] = R"({"complete":true,"answers":{"who":["relative_or_friend"],
  "topics":["debts"],"region":["Zwolle"],"criminal_involvement":["no"],
  "exploitation_signals":["no"],"in_danger":["no"],"outcome":["advice"]}})";

class InsightsTest : public ServerTest {
 protected:
  // The chats of a test are today's: their reports may include today.
  std::string ConfigToml() const override { return "[insights]\nreport_settle_days = 0\n"; }

  // Two conversations held, ended and registered (Rotterdam, Zwolle); one visitor gives up
  // while waiting.
  void SeedConversations() {
    const std::pair<const char*, const char*> chats[] = {{"anna.k", kCriminal},
                                                         {"carla.m", kOther}};
    for (const auto& [counsellor, registration] : chats) {
      AcceptedChat chat = NewAcceptedChat(counsellor);
      ASSERT_FALSE(HasFailure());
      ASSERT_TRUE(chat.counsellor.ws.Send(
          boost::json::object{{"type", "end"}, {"conversation_id", chat.id}}));
      const std::string target = "/api/v1/registrations/" + chat.id;
      int status = 0;
      // Registering waits for the end to be committed (409 until then).
      for (int i = 0; i < 200 && status != 200; ++i) {
        auto saved =
            HttpCall(server_.port(), {"POST", target, registration, Auth(chat.counsellor.session)});
        ASSERT_TRUE(saved);
        status = saved->status;
        if (status == 409) std::this_thread::sleep_for(std::chrono::milliseconds(25));
      }
      ASSERT_EQ(status, 200);
    }
    Visitor gone = NewVisitor("Kim");
    ASSERT_TRUE(gone.ws.Send(boost::json::object{{"type", "end"}}));
  }
};

std::int64_t StepCount(const boost::json::value& dashboard, std::string_view id) {
  for (const auto& step : dashboard.at("funnel").as_array()) {
    if (step.at("id").as_string() == id) {
      return step.at("count").is_null() ? -1 : step.at("count").as_int64();
    }
  }
  ADD_FAILURE() << "no funnel step " << id;
  return -2;
}

std::int64_t OptionCount(const boost::json::value& dashboard, std::string_view field,
                         std::string_view option) {
  for (const auto& counts : dashboard.at("registrations").as_array()) {
    if (counts.at("id").as_string() != field) continue;
    for (const auto& counted : counts.at("options").as_array()) {
      if (counted.at("id").as_string() == option) return counted.at("count").as_int64();
    }
  }
  return 0;
}

TEST_F(InsightsTest, TheDashboardCountsWhatHappenedAndOnlyStaffWhoSteerMayReadIt) {
  SeedConversations();
  ASSERT_FALSE(HasFailure());
  const Counsellor sanne = NewStaff("sanne", "supervisor");
  const Headers cookie{{"Cookie", sanne.session.cookie}};
  const auto read = [&](const std::string& query) -> boost::json::value {
    auto answer = HttpGet(server_.port(), "/api/v1/insights" + query, cookie);
    EXPECT_TRUE(answer && answer->status == 200) << (answer ? answer->body : "no answer");
    return answer && answer->status == 200 ? answer->Json().value() : boost::json::value();
  };
  boost::json::value all = read("");
  for (int i = 0; i < 200 && all.is_object() &&
                  all.at("service").at("abandoned_wait").at("count").as_int64() < 1;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
    all = read("");
  }
  ASSERT_TRUE(all.is_object());
  EXPECT_EQ(StepCount(all, "started"), 3);
  EXPECT_EQ(StepCount(all, "held"), 2);
  EXPECT_EQ(StepCount(all, "criminal_involvement"), 1);
  EXPECT_EQ(StepCount(all, "exploitation_signals"), 1);
  EXPECT_EQ(StepCount(all, "referrals_proposed"), 0);
  EXPECT_EQ(StepCount(all, "visits"), 0);
  EXPECT_EQ(all.at("registered").as_int64(), 2);
  EXPECT_EQ(OptionCount(all, "topics", "debts"), 2);
  EXPECT_EQ(OptionCount(all, "topics", "threats"), 1);
  EXPECT_EQ(OptionCount(all, "region", "Zwolle"), 1);
  const boost::json::value& service = all.at("service");
  EXPECT_EQ(service.at("first_response").at("count").as_int64(), 2);
  EXPECT_EQ(service.at("length").at("count").as_int64(), 2);
  EXPECT_EQ(service.at("abandoned_wait").at("count").as_int64(), 1);
  EXPECT_EQ(service.at("shifts").at("shifts").as_int64(), 2) << "two counsellors, one day";
  EXPECT_EQ(service.at("shifts").at("conversations").as_int64(), 2);
  std::int64_t by_hour = 0;
  for (const auto& hour : service.at("by_hour").as_array())
    by_hour += hour.at("started").as_int64();
  EXPECT_EQ(by_hour, 3);

  const boost::json::value rotterdam = read("?region=Rotterdam");
  ASSERT_TRUE(rotterdam.is_object());
  EXPECT_EQ(StepCount(rotterdam, "started"), 1);
  EXPECT_EQ(StepCount(rotterdam, "criminal_involvement"), 1);
  EXPECT_EQ(StepCount(rotterdam, "visits"), -1) << "visits know no region";
  EXPECT_EQ(OptionCount(rotterdam, "topics", "debts"), 1);
  // A region named twice is one region, and said once.
  const boost::json::value twice = read("?region=Rotterdam,Zwolle,Rotterdam");
  ASSERT_TRUE(twice.is_object());
  EXPECT_EQ(StepCount(twice, "started"), 2);
  EXPECT_EQ(boost::json::serialize(twice.at("regions")), R"(["Rotterdam","Zwolle"])");

  const boost::json::value long_ago = read("?from=2020-01-01&to=2020-03-31");
  ASSERT_TRUE(long_ago.is_object());
  EXPECT_EQ(StepCount(long_ago, "started"), 0);
  EXPECT_EQ(long_ago.at("registered").as_int64(), 0);

  std::string too_many_regions = "?region=r0";
  for (int i = 1; i <= 500; ++i) too_many_regions += ",r" + std::to_string(i);
  for (const std::string bad :
       {"?from=2026-02-01&to=2026-01-01", "?from=yesterday", "?from=2020-01-01&to=2026-01-01",
        "?who=me", too_many_regions.c_str()}) {
    auto refused = HttpGet(server_.port(), "/api/v1/insights" + bad, cookie);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 400) << bad << ": " << refused->body;
  }
  const Counsellor bert = NewStaff("bert.v");
  auto denied = HttpGet(server_.port(), "/api/v1/insights", {{"Cookie", bert.session.cookie}});
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->status, 403);
}

TEST_F(InsightsTest, APartnersReportShowsNoSmallCountAndEveryReportIsAudited) {
  SeedConversations();
  ASSERT_FALSE(HasFailure());
  const Counsellor admin = NewStaff("ada", "admin");
  const Counsellor analyst = NewStaff("ali", "analyst");
  const Counsellor sanne = NewStaff("sanne", "supervisor");

  for (const char* bad : {R"({"partners":[{"name":"Rotterdam","label":"x","regions":[]}]})",
                          R"({"partners":{}})", R"({"partners":[],"more":1})"}) {
    auto refused =
        HttpCall(server_.port(), {"POST", "/api/v1/insights/partners", bad, Auth(admin.session)});
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 400) << bad;
  }
  auto saved = HttpCall(
      server_.port(),
      {"POST", "/api/v1/insights/partners",
       R"({"partners":[{"name":"rotterdam","label":"Gemeente <Rotterdam>","regions":["Rotterdam"]}]})",
       Auth(admin.session)});
  ASSERT_TRUE(saved && saved->status == 200) << (saved ? saved->body : "");
  auto listed =
      HttpGet(server_.port(), "/api/v1/insights/partners", {{"Cookie", analyst.session.cookie}});
  ASSERT_TRUE(listed && listed->status == 200);
  EXPECT_EQ(listed->Json().value().at("partners").as_array().size(), 1u);
  const std::string version(listed->Json().value().at("version").as_string());
  EXPECT_EQ(version, std::string(saved->Json().value().at("version").as_string()));

  // Two admins with the same list open: the second save, over a version gone, is refused.
  const std::string without_trends =
      R"({"partners":[{"name":"rotterdam","label":"Gemeente <Rotterdam>","regions":["Rotterdam"],"trends":false}],"based_on":")" +
      version + R"("})";
  auto first = HttpCall(server_.port(),
                        {"POST", "/api/v1/insights/partners", without_trends, Auth(admin.session)});
  ASSERT_TRUE(first && first->status == 200) << (first ? first->body : "");
  EXPECT_NE(std::string(first->Json().value().at("version").as_string()), version);
  auto stale = HttpCall(
      server_.port(), {"POST", "/api/v1/insights/partners",
                       R"({"partners":[],"based_on":")" + version + R"("})", Auth(admin.session)});
  ASSERT_TRUE(stale);
  EXPECT_EQ(stale->status, 409) << stale->body;
  listed =
      HttpGet(server_.port(), "/api/v1/insights/partners", {{"Cookie", analyst.session.cookie}});
  ASSERT_TRUE(listed && listed->status == 200);
  EXPECT_EQ(listed->Json().value().at("partners").as_array().size(), 1u)
      << "the first change stays";

  auto me = HttpGet(server_.port(), "/api/v1/insights?region=Rotterdam",
                    {{"Cookie", sanne.session.cookie}});
  ASSERT_TRUE(me && me->status == 200);
  const std::string today = std::string(me->Json().value().at("to").as_string());
  const std::string query =
      "/api/v1/insights/report?partner=rotterdam&from=" + today + "&to=" + today;
  auto csv = HttpGet(server_.port(), query + "&format=csv", {{"Cookie", analyst.session.cookie}});
  ASSERT_TRUE(csv && csv->status == 200) << (csv ? csv->body : "");
  std::istringstream lines(csv->body);
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, "sectie,tabel,rij,kolom,waarde\r");
  int figures = 0;
  int hidden = 0;
  while (std::getline(lines, line)) {
    const std::string value = line.substr(line.rfind(',') + 1);
    ++figures;
    if (value == "<10\r" || value == "x\r") {
      ++hidden;
      continue;
    }
    const long long number = std::stoll(value);
    EXPECT_TRUE(number == 0 || number >= 10) << "a small count in the report: " << line;
  }
  EXPECT_GT(figures, 20);
  EXPECT_GT(hidden, 0) << "one chat from Rotterdam shows as <10";
  EXPECT_NE(csv->body.find("trechter,,Chats begonnen,,<10"), std::string::npos) << csv->body;

  auto page = HttpGet(server_.port(), query, {{"Cookie", analyst.session.cookie}});
  ASSERT_TRUE(page && page->status == 200);
  EXPECT_NE(page->body.find("Gemeente &lt;Rotterdam&gt;"), std::string::npos);
  EXPECT_EQ(page->body.find("<Rotterdam>"), std::string::npos);

  auto unknown = HttpGet(server_.port(),
                         "/api/v1/insights/report?partner=zwolle&from=" + today + "&to=" + today,
                         {{"Cookie", analyst.session.cookie}});
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  for (const Counsellor* not_analyst : {&admin, &sanne}) {
    auto denied = HttpGet(server_.port(), query, {{"Cookie", not_analyst->session.cookie}});
    ASSERT_TRUE(denied);
    EXPECT_EQ(denied->status, 403);
  }

  std::vector<std::string> args{"report",
                                "--partner",
                                "rotterdam",
                                "--from",
                                today,
                                "--to",
                                today,
                                "--format",
                                "csv",
                                "--data",
                                server_.data_dir().string(),
                                "--config",
                                (server_.data_dir() / "uitweg.toml").string()};
  auto command = RunCommand(args);
  ASSERT_TRUE(command);
  EXPECT_EQ(command->exit_code, 0) << command->err;
  EXPECT_EQ(command->out, csv->body) << "the command gives the console's report";
  args[2] = "nobody";
  auto no_partner = RunCommand(args);
  ASSERT_TRUE(no_partner);
  EXPECT_EQ(no_partner->exit_code, 1);

  auto audited = HttpGet(server_.port(), "/api/v1/audit?action=insights_report",
                         {{"Cookie", sanne.session.cookie}});
  ASSERT_TRUE(audited && audited->status == 200);
  EXPECT_EQ(audited->Json().value().at("entries").as_array().size(), 3u) << audited->body;
  auto changed = HttpGet(server_.port(), "/api/v1/audit?action=partners_changed",
                         {{"Cookie", sanne.session.cookie}});
  ASSERT_TRUE(changed && changed->status == 200);
  EXPECT_EQ(changed->Json().value().at("entries").as_array().size(), 2u)
      << "the save and the change of trends; not the refused save";
}

}  // namespace
}  // namespace uitweg::support
