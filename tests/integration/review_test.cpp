// Methodology review through the real binary: a supervisor draws a random sample of ended
// conversations, reads each beside the rubric and scores it (each step audited, the comment
// never in the log nor in the database file in plain text); counsellors and analysts may not
// review; the dashboard shows the scores per month; a partner's report shows them only once at
// least k conversations were reviewed, and never anything of a counsellor. Runs on SQLite and,
// in the PostgreSQL suite, on PostgreSQL.

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "integration/server_test.hpp"
#include "store/postgres/connection.hpp"

namespace uitweg::support {
namespace {

constexpr char kScores[] =
    R"({"scores":{"contact":3,"exploration":4,"risk":null,"next_step":2,"closing":3},
        "comment":")";

class ReviewTest : public ServerTest {
 protected:
  // The chats of a test are today's: their reports may include today.
  std::string ConfigToml() const override {
    return "[insights]\nsuppression_threshold = 3\nreport_settle_days = 0\n";
  }

  // Three conversations held by three counsellors and ended.
  void SeedEndedConversations() {
    for (const char* username : {"anna.k", "carla.m", "dirk.v"}) {
      AcceptedChat chat = NewAcceptedChat(username);
      ASSERT_FALSE(HasFailure());
      ASSERT_TRUE(chat.counsellor.ws.Send(
          boost::json::object{{"type", "end"}, {"conversation_id", chat.id}}));
      // The registration reads as 409 until the end is committed.
      int status = 0;
      for (int i = 0; i < 200 && status != 200; ++i) {
        auto read = HttpGet(server_.port(), "/api/v1/registrations/" + chat.id,
                            {{"Cookie", chat.counsellor.session.cookie}});
        ASSERT_TRUE(read);
        status = read->status;
        if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(25));
      }
      ASSERT_EQ(status, 200);
      counsellors_.push_back(std::move(chat.counsellor));
    }
  }

  std::string Today(const Counsellor& reader) {
    auto answer = HttpGet(server_.port(), "/api/v1/insights/methodology",
                          {{"Cookie", reader.session.cookie}});
    EXPECT_TRUE(answer && answer->status == 200) << (answer ? answer->body : "");
    return answer && answer->status == 200
               ? std::string(answer->Json().value().at("to").as_string())
               : std::string();
  }

  boost::json::object Draw(const Counsellor& supervisor, const std::string& day, int size,
                           bool only_unreviewed) {
    const std::string body = R"({"from":")" + day + R"(","to":")" + day + R"(","size":)" +
                             std::to_string(size) + R"(,"only_unreviewed":)" +
                             (only_unreviewed ? "true" : "false") + "}";
    auto drawn = HttpCall(server_.port(),
                          {"POST", "/api/v1/reviews/samples", body, Auth(supervisor.session)});
    EXPECT_TRUE(drawn && drawn->status == 201) << (drawn ? drawn->body : "");
    return drawn && drawn->status == 201 ? drawn->Json().value().at("sample").as_object()
                                         : boost::json::object();
  }

  std::string ReportCsv(const Counsellor& analyst, const std::string& day) {
    auto csv =
        HttpGet(server_.port(),
                "/api/v1/insights/report?partner=landelijk&format=csv&from=" + day + "&to=" + day,
                {{"Cookie", analyst.session.cookie}});
    EXPECT_TRUE(csv && csv->status == 200) << (csv ? csv->body : "");
    return csv ? csv->body : "";
  }

  std::vector<Counsellor> counsellors_;
};

std::string ErrorCode(const HttpResponse& answer) {
  auto json = answer.Json();
  if (!json || !json->is_object() || !json->as_object().contains("error")) return {};
  return std::string(json->at("error").at("code").as_string());
}

// The lines of section `methodiek` of a report's CSV.
std::vector<std::string> MethodologyLines(const std::string& csv) {
  std::vector<std::string> found;
  std::istringstream lines(csv);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("methodiek,")) found.push_back(line);
  }
  return found;
}

TEST_F(ReviewTest, ASupervisorDrawsReadsAndScoresASampleAndOnlyTheTeamsFiguresLeave) {
  SeedEndedConversations();
  ASSERT_FALSE(HasFailure());
  const Counsellor sanne = NewStaff("sanne", "supervisor");
  const Counsellor kim = NewStaff("kim", "supervisor");
  const Counsellor analyst = NewStaff("ali", "analyst");
  const Counsellor admin = NewStaff("ada", "admin");
  const std::string today = Today(analyst);
  ASSERT_FALSE(today.empty());

  auto rubric =
      HttpGet(server_.port(), "/api/v1/reviews/rubric", {{"Cookie", sanne.session.cookie}});
  ASSERT_TRUE(rubric && rubric->status == 200);
  EXPECT_EQ(rubric->Json().value().at("rubric").at("criteria").as_array().size(), 5u);

  const boost::json::object sample = Draw(sanne, today, 2, true);
  ASSERT_FALSE(sample.empty());
  EXPECT_EQ(sample.at("candidates").as_int64(), 3);
  EXPECT_EQ(sample.at("reviewed").as_int64(), 0);
  const boost::json::array& items = sample.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  const std::string sample_id(sample.at("id").as_string());
  const std::string first(items[0].at("conversation").at("id").as_string());
  const std::string second(items[1].at("conversation").at("id").as_string());
  const std::string conversation_path =
      "/api/v1/reviews/samples/" + sample_id + "/conversations/" + first;

  // Counsellors and analysts may not review; another supervisor's sample reads as unknown.
  const Counsellor& anna = counsellors_[0];
  for (const Counsellor* denied : {&anna, &analyst, &admin}) {
    for (const std::string& path : {std::string("/api/v1/reviews/samples"), conversation_path}) {
      auto answer = HttpGet(server_.port(), path, {{"Cookie", denied->session.cookie}});
      ASSERT_TRUE(answer);
      EXPECT_EQ(answer->status, 403) << path;
      EXPECT_EQ(ErrorCode(*answer), "permission_denied") << answer->body;
    }
    auto drawn =
        HttpCall(server_.port(), {"POST", "/api/v1/reviews/samples",
                                  R"({"from":")" + today + R"(","to":")" + today + R"(","size":2})",
                                  Auth(denied->session)});
    ASSERT_TRUE(drawn);
    EXPECT_EQ(drawn->status, 403);
  }
  auto foreign = HttpGet(server_.port(), conversation_path, {{"Cookie", kim.session.cookie}});
  ASSERT_TRUE(foreign);
  EXPECT_EQ(foreign->status, 404);

  auto opened = HttpGet(server_.port(), conversation_path, {{"Cookie", sanne.session.cookie}});
  ASSERT_TRUE(opened && opened->status == 200) << (opened ? opened->body : "");
  EXPECT_FALSE(opened->Json().value().at("messages").as_array().empty());
  EXPECT_TRUE(opened->Json().value().at("review").is_null());

  auto incomplete = HttpCall(server_.port(), {"POST", conversation_path,
                                              R"({"scores":{"contact":3}})", Auth(sanne.session)});
  ASSERT_TRUE(incomplete);
  EXPECT_EQ(incomplete->status, 400) << incomplete->body;
  const std::string comment = Body("coaching");
  auto saved = HttpCall(
      server_.port(),
      {"POST", conversation_path, std::string(kScores) + comment + "\"}", Auth(sanne.session)});
  ASSERT_TRUE(saved && saved->status == 200) << (saved ? saved->body : "");
  EXPECT_EQ(saved->Json().value().at("review").at("comment").as_string(), comment);
  auto progress = HttpGet(server_.port(), "/api/v1/reviews/samples/" + sample_id,
                          {{"Cookie", sanne.session.cookie}});
  ASSERT_TRUE(progress && progress->status == 200);
  EXPECT_EQ(progress->Json().value().at("sample").at("reviewed").as_int64(), 1);
  auto again = HttpGet(server_.port(), conversation_path, {{"Cookie", sanne.session.cookie}});
  ASSERT_TRUE(again && again->status == 200);
  EXPECT_EQ(again->Json().value().at("review").at("comment").as_string(), comment);

  auto second_saved = HttpCall(
      server_.port(), {"POST", "/api/v1/reviews/samples/" + sample_id + "/conversations/" + second,
                       std::string(kScores) + "\"}", Auth(sanne.session)});
  ASSERT_TRUE(second_saved && second_saved->status == 200) << second_saved->body;

  // The dashboard's figures per month: exact, for supervisors, analysts and admins.
  auto figures =
      HttpGet(server_.port(), "/api/v1/insights/methodology?from=" + today + "&to=" + today,
              {{"Cookie", analyst.session.cookie}});
  ASSERT_TRUE(figures && figures->status == 200) << (figures ? figures->body : "");
  const boost::json::value parsed = figures->Json().value();
  const boost::json::value& month = parsed.at("periods").at(0);
  EXPECT_EQ(month.at("reviewed").as_int64(), 2);
  EXPECT_DOUBLE_EQ(month.at("criteria").at(0).at("mean").as_double(), 3.0);
  EXPECT_EQ(month.at("criteria").at(2).at("not_applicable").as_int64(), 2);
  EXPECT_EQ(figures->body.find("anna"), std::string::npos) << "never per counsellor";
  auto counsellor_figures =
      HttpGet(server_.port(), "/api/v1/insights/methodology", {{"Cookie", anna.session.cookie}});
  ASSERT_TRUE(counsellor_figures);
  EXPECT_EQ(counsellor_figures->status, 403);

  // A partner that may see the quality section: nothing below k = 3, nothing of a counsellor.
  auto partner = HttpCall(
      server_.port(),
      {"POST", "/api/v1/insights/partners",
       R"({"partners":[{"name":"landelijk","label":"Ministerie","regions":[],"methodology":true}]})",
       Auth(admin.session)});
  ASSERT_TRUE(partner && partner->status == 200) << (partner ? partner->body : "");
  const auto check_report = [&](const std::string& csv) {
    for (const Counsellor& counsellor : counsellors_) {
      EXPECT_EQ(csv.find(counsellor.session.username), std::string::npos) << csv;
      EXPECT_EQ(csv.find(counsellor.session.display_name), std::string::npos) << csv;
    }
    EXPECT_EQ(csv.find("sanne"), std::string::npos) << csv;
    for (const std::string& line : MethodologyLines(csv)) {
      const std::string value = line.substr(line.rfind(',') + 1);
      // "-" (nothing scored) is written "'-", as a spreadsheet would take it for a formula.
      if (value == "<3\r" || value == "'-\r") continue;
      const double number = std::stod(value);
      if (line.starts_with("methodiek,beoordeeld,")) {
        EXPECT_TRUE(number == 0 || number >= 3) << "a small count in the report: " << line;
      }
    }
  };
  const std::string below_k = ReportCsv(analyst, today);
  const auto hidden = MethodologyLines(below_k);
  ASSERT_FALSE(hidden.empty()) << below_k;
  for (const std::string& line : hidden) {
    EXPECT_TRUE(line.ends_with(",<3\r")) << "two reviews stay hidden: " << line;
  }
  check_report(below_k);

  const boost::json::object rest = Draw(sanne, today, 5, true);
  ASSERT_EQ(rest.at("items").as_array().size(), 1u) << "only the one not reviewed yet";
  const std::string third(rest.at("items").at(0).at("conversation").at("id").as_string());
  auto third_saved = HttpCall(server_.port(),
                              {"POST",
                               "/api/v1/reviews/samples/" + std::string(rest.at("id").as_string()) +
                                   "/conversations/" + third,
                               std::string(kScores) + "\"}", Auth(sanne.session)});
  ASSERT_TRUE(third_saved && third_saved->status == 200) << third_saved->body;
  const std::string shown = ReportCsv(analyst, today);
  EXPECT_NE(shown.find("methodiek,gemiddelde score,Contact en veiligheid," + today.substr(0, 7) +
                       ",3.0\r"),
            std::string::npos)
      << shown;
  check_report(shown);

  auto drawn_audit = HttpGet(server_.port(), "/api/v1/audit?action=review_sample_drawn",
                             {{"Cookie", sanne.session.cookie}});
  ASSERT_TRUE(drawn_audit && drawn_audit->status == 200);
  EXPECT_EQ(drawn_audit->Json().value().at("entries").as_array().size(), 2u);
  auto saved_audit = HttpGet(server_.port(), "/api/v1/audit?action=review_saved",
                             {{"Cookie", sanne.session.cookie}});
  ASSERT_TRUE(saved_audit && saved_audit->status == 200);
  EXPECT_EQ(saved_audit->Json().value().at("entries").as_array().size(), 3u);
  auto read_audit = HttpGet(server_.port(), "/api/v1/audit?action=review_read",
                            {{"Cookie", sanne.session.cookie}});
  ASSERT_TRUE(read_audit && read_audit->status == 200);
  EXPECT_EQ(read_audit->Json().value().at("entries").as_array().size(), 2u);

  // The comment is sealed at rest: not in the database in plain text.
  if (CasesRunOnPostgres()) {
    auto db = store::postgres::Connection::Open(database_url_);
    ASSERT_TRUE(db) << db.error().message;
    auto stored = (*db)->Query("SELECT comment FROM review");
    ASSERT_TRUE(stored) << stored.error().message;
    ASSERT_FALSE(stored->empty());
    for (int row = 0; row < stored->size(); ++row) {
      EXPECT_EQ((*stored)[row].Blob(0).find(comment), std::string::npos);
    }
  } else {
    for (const char* file : {"uitweg.db", "uitweg.db-wal"}) {
      std::ifstream in(server_.data_dir() / file, std::ios::binary);
      std::stringstream bytes;
      bytes << in.rdbuf();
      EXPECT_EQ(bytes.str().find(comment), std::string::npos) << file;
    }
  }
}

}  // namespace
}  // namespace uitweg::support
