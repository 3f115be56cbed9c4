// A staff session that ends closes the console's socket: at once when signed out or ended from
// the staff member's own session list on this node, within the sweep (5 s) when the account is
// disabled from the command line. Staff see their own sessions.

#include "integration/server_test.hpp"
#include "store/postgres/connection.hpp"
#include "store/sqlite/connection.hpp"

namespace uitweg::support {
namespace {

constexpr char kPassword[] = "correct horse battery";

using StaffSessionsTest = ServerTest;

TEST_F(StaffSessionsTest, SigningOutClosesTheConsolesSocketAtOnce) {
  Counsellor anna = NewStaff("anna.k");
  ASSERT_FALSE(HasFailure());
  auto out = HttpCall(server_.port(), {"DELETE", "/api/v1/staff/session", "", Auth(anna.session)});
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 204);
  auto error = anna.ws.Take("error", 10s);
  ASSERT_TRUE(error) << "the socket kept going after sign-out";
  EXPECT_EQ(Str(*error, "code"), "unauthenticated");
  EXPECT_EQ(anna.ws.WaitClosed(10s).value(), 1008);
}

// Opening the console's socket is nothing the colleague did: a console that reconnects by itself
// (after a laptop's sleep, a node's restart) must not keep an idle session alive.
TEST_F(StaffSessionsTest, OpeningTheConsolesSocketDoesNotKeepAnIdleSessionAlive) {
  Counsellor anna = NewStaff("anna.k");
  ASSERT_FALSE(HasFailure());
  // Her last action, ten minutes ago.
  constexpr char kAge[] = "UPDATE staff_session SET last_seen_at = last_seen_at - 600000";
  if (!database_url_.empty()) {
    auto db = store::postgres::Connection::Open(database_url_);
    ASSERT_TRUE(db) << db.error().message;
    ASSERT_TRUE((*db)->Query(kAge));
  } else {
    auto db = store::sqlite::Connection::Open((server_.data_dir() / "uitweg.db").string(),
                                              store::sqlite::Connection::Mode::read_write, 1000);
    ASSERT_TRUE(db) << db.error().message;
    ASSERT_TRUE((*db)->Exec(kAge));
  }
  const auto last_seen = [&]() -> std::int64_t {
    auto listed = HttpGet(server_.port(), "/api/v1/staff/sessions",
                          {{"Cookie", anna.session.cookie}, {"X-Uitweg-Background", "1"}});
    if (!listed || listed->status != 200) return -1;
    return listed->Json().value().at("sessions").at(0).at("last_seen_at").to_number<std::int64_t>();
  };
  const std::int64_t before = last_seen();
  ASSERT_GT(before, 0);
  auto reconnected = ConnectStaff(server_.port(), anna.session);
  ASSERT_TRUE(reconnected) << reconnected.error().message;
  EXPECT_EQ(last_seen(), before) << "the reconnect counted as her action";
}

TEST_F(StaffSessionsTest, StaffSeeTheirSessionsAndEndAnotherOne) {
  Counsellor desk = NewStaff("anna.k");
  ASSERT_FALSE(HasFailure());
  auto phone = SignIn(server_.port(), "anna.k", kPassword);
  ASSERT_TRUE(phone) << phone.error().message;
  auto phone_ws = ConnectStaff(server_.port(), *phone);
  ASSERT_TRUE(phone_ws) << phone_ws.error().message;

  auto listed = HttpGet(server_.port(), "/api/v1/staff/sessions", Auth(desk.session));
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->status, 200) << listed->body;
  const boost::json::value answer = listed->Json().value();
  const boost::json::array& sessions = answer.as_object().at("sessions").as_array();
  ASSERT_EQ(sessions.size(), 2u);
  std::string phone_id;
  for (const auto& session : sessions) {
    const auto& item = session.as_object();
    EXPECT_EQ(Str(item, "id").size(), 16u);
    if (!item.at("current").as_bool()) phone_id = Str(item, "id");
  }
  ASSERT_FALSE(phone_id.empty());

  auto ended = HttpCall(server_.port(),
                        {"DELETE", "/api/v1/staff/sessions/" + phone_id, "", Auth(desk.session)});
  ASSERT_TRUE(ended);
  EXPECT_EQ(ended->status, 204);
  EXPECT_EQ(phone_ws->WaitClosed(10s).value(), 1008);
  auto me = HttpGet(server_.port(), "/api/v1/staff/me", {{"Cookie", phone->cookie}});
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 401);
  ExpectStillServing(desk.ws);

  // Another member's session cannot be ended.
  Counsellor bert = NewStaff("bert.k");
  ASSERT_FALSE(HasFailure());
  auto foreign = HttpCall(server_.port(),
                          {"DELETE", "/api/v1/staff/sessions/" + phone_id, "", Auth(bert.session)});
  ASSERT_TRUE(foreign);
  EXPECT_EQ(foreign->status, 404);
}

TEST_F(StaffSessionsTest, DisablingAnAccountClosesItsConsoleWithinTheSweep) {
  Counsellor anna = NewStaff("anna.k");
  ASSERT_FALSE(HasFailure());
  std::vector<std::string> args{"user",   "disable", "--username",
                                "anna.k", "--data",  server_.data_dir().string()};
  if (!database_url_.empty()) args.insert(args.end(), {"--database", database_url_});
  auto run = RunCommand(args);
  ASSERT_TRUE(run && run->exit_code == 0) << (run ? run->err : run.error().message);
  auto error = anna.ws.Take("error", 10s);
  ASSERT_TRUE(error) << "a disabled account's console kept its socket";
  EXPECT_EQ(Str(*error, "message"), "this account is disabled");
  EXPECT_EQ(anna.ws.WaitClosed(10s).value(), 1008);
}

TEST_F(StaffSessionsTest, TheSessionCookieIsHostOnlyHttpOnlyStrictAndANewOneEachSignIn) {
  ASSERT_TRUE(AddStaff(server_.data_dir().string(), "anna.k", kPassword));
  std::vector<std::string> tokens;
  for (int i = 0; i < 2; ++i) {
    auto res = HttpPostJson(
        server_.port(), "/api/v1/staff/session",
        boost::json::object{
            {"username", "anna.k"}, {"password", kPassword}, {"code", NextSignInCode("anna.k")}});
    ASSERT_TRUE(res && res->status == 200);
    const std::string cookie = res->Header("Set-Cookie");
    EXPECT_EQ(cookie.rfind("__Host-", 0), 0u) << cookie;
    for (const char* attribute : {"; HttpOnly", "; Secure", "; SameSite=Strict", "; Path=/"}) {
      EXPECT_NE(cookie.find(attribute), std::string::npos) << attribute << " in " << cookie;
    }
    EXPECT_EQ(cookie.find("Domain"), std::string::npos) << "host-only";
    const std::string token =
        cookie.substr(cookie.find('=') + 1, cookie.find(';') - cookie.find('=') - 1);
    EXPECT_GE(token.size(), 32u) << "at least 128 bits, base64url";
    Secret(token);
    tokens.push_back(token);
  }
  EXPECT_NE(tokens[0], tokens[1]) << "every sign-in gets a fresh session";
}

TEST_F(StaffSessionsTest, AChangeWithoutTheCsrfTokenOrFromAnotherSiteIsRefused) {
  Counsellor anna = NewStaff("anna.k");
  ASSERT_FALSE(HasFailure());
  const std::vector<std::pair<std::string, Headers>> refused{
      {"no CSRF token", {{"Cookie", anna.session.cookie}, {"Origin", server_.Origin()}}},
      {"a wrong CSRF token",
       {{"Cookie", anna.session.cookie}, {"X-CSRF-Token", "forged"}, {"Origin", server_.Origin()}}},
      {"another site's Origin",
       {{"Cookie", anna.session.cookie},
        {"X-CSRF-Token", anna.session.csrf_token},
        {"Origin", "https://evil.example"}}},
  };
  for (const auto& [what, headers] : refused) {
    auto out = HttpCall(server_.port(), {"DELETE", "/api/v1/staff/session", "", headers});
    ASSERT_TRUE(out) << what;
    EXPECT_EQ(out->status, 403) << what;
    EXPECT_EQ(out->ErrorCode(), "permission_denied") << what;
  }
  auto me = HttpGet(server_.port(), "/api/v1/staff/me", {{"Cookie", anna.session.cookie}});
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 200) << "the session survived every forged request";
}

}  // namespace
}  // namespace uitweg::support
