// Opening hours through the real binary: an admin sets them (audited, refused when malformed
// with nothing changed, kept over a restart); outside them a visitor is told when the chat opens
// and cannot start one; the visitor's status says how many counsellors are available.

#include <chrono>
#include <thread>

#include "integration/server_test.hpp"

namespace uitweg::support {
namespace {

using namespace std::chrono_literals;

// The UTC date `offset` days from now, "YYYY-MM-DD".
std::string UtcDate(int offset) {
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const std::chrono::year_month_day day{today + std::chrono::days(offset)};
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(day.year()),
                static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
  return text;
}

// The three UTC dates around now: Amsterdam's date is one of them, whatever the hour.
std::vector<std::string> DatesAroundToday() {
  return {UtcDate(-1), UtcDate(0), UtcDate(1)};
}

// Closed every week day; open all day on the days around today.
std::string OpenOnlyAroundToday() {
  boost::json::array exceptions;
  for (const std::string& date : DatesAroundToday()) {
    exceptions.push_back(boost::json::object{
        {"date", date},
        {"label", "open dag"},
        {"hours", boost::json::array{boost::json::object{{"open", "00:00"}, {"close", "00:00"}}}}});
  }
  return boost::json::serialize(
      boost::json::object{{"weekly", boost::json::object{}}, {"exceptions", exceptions}});
}

constexpr char kClosedEveryDay[] = R"({"weekly":{"monday":[],"tuesday":[]},"exceptions":[]})";

class OpeningHoursTest : public ServerTest {
 protected:
  boost::json::object Status() {
    auto status = HttpGet(server_.port(), "/api/v1/visitor/status");
    EXPECT_TRUE(status && status->status == 200) << (status ? status->body : "");
    if (!status || status->status != 200) return {};
    return status->Json().value().as_object();
  }

  int SetHours(const Counsellor& admin, const std::string& body) {
    auto set = HttpCall(server_.port(),
                        {"POST", "/api/v1/admin/opening-hours", body, Auth(admin.session)});
    return set ? set->status : 0;
  }

  int StartChat() {
    auto started = HttpPostJson(server_.port(), "/api/v1/visitor/conversations",
                                boost::json::object{{"nickname", "Sam"}});
    return started ? started->status : 0;
  }
};

TEST_F(OpeningHoursTest, OutsideTheHoursAVisitorIsToldSoAndCannotStartAChat) {
  Counsellor admin = NewStaff("ada", "admin");
  ASSERT_FALSE(HasFailure());
  EXPECT_TRUE(Status().at("open").as_bool()) << "the tests' configuration: always open";

  ASSERT_EQ(SetHours(admin, kClosedEveryDay), 200);
  boost::json::object closed = Status();
  EXPECT_FALSE(closed.at("open").as_bool());
  EXPECT_TRUE(closed.at("changes_at").is_null()) << "it never opens";
  EXPECT_EQ(StartChat(), 409);

  ASSERT_EQ(SetHours(admin, OpenOnlyAroundToday()), 200);
  boost::json::object open = Status();
  EXPECT_TRUE(open.at("open").as_bool());
  EXPECT_GT(open.at("changes_at").as_int64(), 0) << "it closes after the open days";
  EXPECT_EQ(open.at("label").as_string(), "open dag");
  EXPECT_EQ(StartChat(), 201);
  EXPECT_EQ(Status().at("waiting").as_int64(), 1);

  auto audited = HttpGet(server_.port(), "/api/v1/audit?action=opening_hours_changed",
                         {{"Cookie", admin.session.cookie}});
  ASSERT_TRUE(audited && audited->status == 200);
  EXPECT_EQ(audited->Json().value().at("entries").as_array().size(), 2u) << audited->body;
}

// A visitor reading the week at night learns of a closed holiday in the coming two weeks; days
// past, and further ahead, are not listed.
TEST_F(OpeningHoursTest, TheVisitorSeesTheComingDaysWhoseHoursDiffer) {
  Counsellor admin = NewStaff("ada", "admin");
  ASSERT_FALSE(HasFailure());
  EXPECT_TRUE(Status().at("exceptions").as_array().empty());
  const std::string holiday = UtcDate(5);
  const boost::json::array exceptions{
      boost::json::object{
          {"date", UtcDate(-3)}, {"label", "voorbij"}, {"hours", boost::json::array{}}},
      boost::json::object{
          {"date", holiday}, {"label", "Feestdag"}, {"hours", boost::json::array{}}},
      boost::json::object{
          {"date", UtcDate(30)}, {"label", "later"}, {"hours", boost::json::array{}}}};
  ASSERT_EQ(SetHours(admin, boost::json::serialize(boost::json::object{
                                {"weekly", boost::json::object{}}, {"exceptions", exceptions}})),
            200);
  const boost::json::array coming = Status().at("exceptions").as_array();
  ASSERT_EQ(coming.size(), 1u) << boost::json::serialize(coming);
  EXPECT_EQ(coming[0].at("date").as_string(), holiday);
  EXPECT_EQ(coming[0].at("label").as_string(), "Feestdag");
  EXPECT_TRUE(coming[0].at("hours").as_array().empty()) << "closed that day";
}

TEST_F(OpeningHoursTest, MalformedHoursAreRefusedAndChangeNothing) {
  Counsellor admin = NewStaff("ada", "admin");
  ASSERT_FALSE(HasFailure());
  ASSERT_EQ(SetHours(admin, OpenOnlyAroundToday()), 200);
  auto before =
      HttpGet(server_.port(), "/api/v1/admin/opening-hours", {{"Cookie", admin.session.cookie}});
  ASSERT_TRUE(before && before->status == 200);

  for (
      const char* bad : {
          R"({"weekly":{"someday":[]}})",
          R"({"weekly":{"monday":[{"open":"16:00","close":"24:00"}]}})",
          R"({"weekly":{"monday":[{"open":"16:00"}]}})",
          R"({"weekly":{"monday":[{"open":"16:00","close":"06:00"},{"open":"18:00","close":"19:00"}]}})",
          R"({"weekly":{},"exceptions":[{"date":"2026-02-30"}]})",
          R"({"weekly":{},"exceptions":[{"date":"2026-12-25"},{"date":"2026-12-25"}]})",
          R"({"weekly":[]})",
          R"({})",
          "not json",
      }) {
    EXPECT_EQ(SetHours(admin, bad), 400) << bad;
  }
  auto after =
      HttpGet(server_.port(), "/api/v1/admin/opening-hours", {{"Cookie", admin.session.cookie}});
  ASSERT_TRUE(after && after->status == 200);
  EXPECT_EQ(after->Json().value().at("exceptions"), before->Json().value().at("exceptions"));
  EXPECT_TRUE(Status().at("open").as_bool());
}

// Two admins with the hours open: the second to save names the version they loaded, which the
// first's save replaced, and is refused rather than removing the first's closed holiday.
TEST_F(OpeningHoursTest, ASaveOverAColleaguesChangeMadeMeanwhileIsRefused) {
  Counsellor ada = NewStaff("ada", "admin");
  Counsellor bob = NewStaff("bob", "admin");
  ASSERT_FALSE(HasFailure());
  const auto version = [&] {
    auto hours =
        HttpGet(server_.port(), "/api/v1/admin/opening-hours", {{"Cookie", ada.session.cookie}});
    EXPECT_TRUE(hours && hours->status == 200);
    return std::string(hours->Json().value().at("version").as_string());
  };
  const std::string loaded = version();
  EXPECT_EQ(loaded, "") << "none stored yet";
  const auto with = [](std::string_view date, const std::string& based_on) {
    return std::string(R"({"weekly":{},"exceptions":[{"date":")") + std::string(date) +
           R"("}],"based_on":")" + based_on + R"("})";
  };
  ASSERT_EQ(SetHours(bob, with("2026-12-25", loaded)), 200);
  const std::string after_bob = version();
  EXPECT_NE(after_bob, loaded);
  EXPECT_EQ(SetHours(ada, with("2026-12-31", loaded)), 409);
  auto kept =
      HttpGet(server_.port(), "/api/v1/admin/opening-hours", {{"Cookie", ada.session.cookie}});
  ASSERT_TRUE(kept && kept->status == 200);
  EXPECT_EQ(kept->Json().value().at("exceptions").at(0).at("date").as_string(), "2026-12-25");
  EXPECT_EQ(SetHours(ada, with("2026-12-31", after_bob)), 200) << "loaded again, then saved";
  EXPECT_EQ(SetHours(ada, kClosedEveryDay), 200) << "without based_on: replaced whatever it was";
}

TEST_F(OpeningHoursTest, TheHoursAnAdminSetOutliveARestart) {
  Counsellor admin = NewStaff("ada", "admin");
  ASSERT_FALSE(HasFailure());
  ASSERT_EQ(SetHours(admin, kClosedEveryDay), 200);
  ASSERT_TRUE(server_.Stop());
  ASSERT_TRUE(server_.Restart());
  EXPECT_FALSE(Status().at("open").as_bool());
  EXPECT_EQ(StartChat(), 409);
}

TEST_F(OpeningHoursTest, TheStatusCountsCounsellorsWhoAreAvailableNow) {
  EXPECT_EQ(Status().at("counsellors_available").as_int64(), 0);
  Counsellor anna = NewStaff("anna.k");
  ASSERT_FALSE(HasFailure());
  // The count is read again at most every few seconds.
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  std::int64_t available = 0;
  while (available != 1 && std::chrono::steady_clock::now() < deadline) {
    available = Status().at("counsellors_available").as_int64();
    if (available != 1) std::this_thread::sleep_for(200ms);
  }
  EXPECT_EQ(available, 1);

  ASSERT_TRUE(
      anna.ws.Send(boost::json::object{{"type", "availability"}, {"availability", "busy"}}));
  available = 1;
  while (available != 0 && std::chrono::steady_clock::now() < deadline) {
    available = Status().at("counsellors_available").as_int64();
    if (available != 0) std::this_thread::sleep_for(200ms);
  }
  EXPECT_EQ(available, 0) << "a busy counsellor takes nobody new";
}

}  // namespace
}  // namespace uitweg::support
