// Account administration through the real binary: an admin invites and changes colleagues'
// accounts, never their own role or access; a role change closes the colleague's console on
// this node before it answers; a reset second factor stops the old app at once; everything is
// audited.

#include "integration/server_test.hpp"
#include "store/sqlite/connection.hpp"

namespace uitweg::support {
namespace {

constexpr char kPassword[] = "correct horse battery";

class AdminTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(AddStaff(server_.data_dir().string(), "beheer", kPassword, "admin"));
    auto admin = SignIn(server_.port(), "beheer", kPassword);
    ASSERT_TRUE(admin) << admin.error().message;
    admin_ = *admin;
  }
  core::Result<HttpResponse> Post(const std::string& target, const std::string& body = "") {
    return HttpCall(server_.port(), {"POST",
                                     target,
                                     body,
                                     {{"Cookie", admin_.cookie},
                                      {"X-CSRF-Token", admin_.csrf_token},
                                      {"Origin", server_.Origin()}}});
  }
  std::int64_t IdOf(const std::string& username) {
    auto list = HttpGet(server_.port(), "/api/v1/admin/accounts", {{"Cookie", admin_.cookie}});
    EXPECT_TRUE(list && list->status == 200);
    const boost::json::value answer = list->Json().value();
    for (const auto& account : answer.as_object().at("accounts").as_array()) {
      if (account.as_object().at("username").as_string() == username) {
        return account.as_object().at("id").as_int64();
      }
    }
    ADD_FAILURE() << "no account " << username;
    return 0;
  }
  StaffSession admin_;
};

TEST_F(AdminTest, AnAdminCannotDisableOrDemoteTheirOwnAccount) {
  const std::string me = "/api/v1/admin/accounts/" + std::to_string(IdOf("beheer"));
  auto disable = Post(me + "/disable");
  ASSERT_TRUE(disable);
  EXPECT_EQ(disable->status, 409) << disable->body;
  auto demote = Post(me + "/role", R"({"role":"counsellor"})");
  ASSERT_TRUE(demote);
  EXPECT_EQ(demote->status, 409);
  auto invite = Post("/api/v1/admin/accounts", R"({"username":"ilse","role":"counsellor"})");
  ASSERT_TRUE(invite);
  EXPECT_EQ(invite->status, 201) << invite->body;
  const std::string link =
      std::string(invite->Json().value().as_object().at("setup_link").as_string());
  EXPECT_TRUE(link.starts_with("/account-setup#token=")) << link;
  auto again = Post("/api/v1/admin/accounts", R"({"username":"ILSE","role":"counsellor"})");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 409);
}

// A set-up link is a secret, but one can go astray (a forwarded mail, a chat preview): a page
// on another site that learnt it must not set the account up through its visitor's browser.
TEST_F(AdminTest, ASetUpLinkIsUsedOnlyFromThisSite) {
  auto invite = Post("/api/v1/admin/accounts", R"({"username":"ilse","role":"counsellor"})");
  ASSERT_TRUE(invite);
  ASSERT_EQ(invite->status, 201) << invite->body;
  const std::string link =
      std::string(invite->Json().value().as_object().at("setup_link").as_string());
  const std::string body = R"({"token":")" + link.substr(link.find('=') + 1) +
                           R"(","password":"another horse battery"})";
  for (const char* step : {"/info", "/second-factor", ""}) {
    auto foreign = HttpCall(server_.port(), {"POST",
                                             std::string("/api/v1/account-setup") + step,
                                             body,
                                             {{"Origin", "https://evil.example"}}});
    ASSERT_TRUE(foreign);
    EXPECT_EQ(foreign->status, 403) << step << ": " << foreign->body;
    EXPECT_EQ(foreign->ErrorCode(), "permission_denied") << step;
  }
  auto own = HttpCall(server_.port(),
                      {"POST", "/api/v1/account-setup/info", body, {{"Origin", server_.Origin()}}});
  ASSERT_TRUE(own);
  EXPECT_EQ(own->status, 200) << own->body;
  EXPECT_NE(own->body.find("\"username\":\"ilse\""), std::string::npos) << own->body;
}

TEST_F(AdminTest, ARoleChangeClosesTheColleaguesConsoleAndIsAudited) {
  Counsellor anna = NewStaff("anna.k");
  ASSERT_FALSE(HasFailure());
  const std::string target = "/api/v1/admin/accounts/" + std::to_string(IdOf("anna.k"));
  auto changed = Post(target + "/role", R"({"role":"analyst"})");
  ASSERT_TRUE(changed);
  ASSERT_EQ(changed->status, 200) << changed->body;
  EXPECT_EQ(changed->Json().value().as_object().at("account").as_object().at("role").as_string(),
            "analyst");
  // Closed before the answer came, not at the node's next sweep: a ping sent now finds the
  // error before any pong.
  (void)anna.ws.SendText(R"({"type":"ping"})");
  for (;;) {
    auto frame = anna.ws.Next(10s);
    ASSERT_TRUE(frame) << "the console kept its socket after the role change";
    ASSERT_NE(Str(*frame, "type"), "pong") << "the console was still served after the answer";
    if (Str(*frame, "type") != "error") continue;
    EXPECT_EQ(Str(*frame, "message"), "your role has changed; sign in again");
    break;
  }

  auto reset = Post(target + "/reset-2fa");
  ASSERT_TRUE(reset);
  EXPECT_EQ(reset->status, 200);
  EXPECT_FALSE(SignIn(server_.port(), "anna.k", "correct horse battery")) << "the old app";

  auto audit = HttpGet(server_.port(), "/api/v1/audit?limit=10", {{"Cookie", admin_.cookie}});
  ASSERT_TRUE(audit && audit->status == 200);
  EXPECT_NE(audit->body.find("\"action\":\"role_changed\""), std::string::npos);
  EXPECT_NE(audit->body.find("\"action\":\"second_factor_reset\""), std::string::npos);
}

// Whoever held the old authenticator (or is no longer welcome) may be signed in: a reset of the
// second factor and a disable sign the account out everywhere, and its open console closes.
TEST_F(AdminTest, AResetSecondFactorOrADisableSignsTheColleagueOutEverywhere) {
  Counsellor anna = NewStaff("anna.k");
  Counsellor bert = NewStaff("bert.v");
  ASSERT_FALSE(HasFailure());
  auto phone = SignIn(server_.port(), "bert.v", "correct horse battery");  // unused while disabled
  ASSERT_TRUE(phone) << phone.error().message;
  auto reset = Post("/api/v1/admin/accounts/" + std::to_string(IdOf("anna.k")) + "/reset-2fa");
  ASSERT_TRUE(reset);
  ASSERT_EQ(reset->status, 200) << reset->body;
  auto disable = Post("/api/v1/admin/accounts/" + std::to_string(IdOf("bert.v")) + "/disable");
  ASSERT_TRUE(disable);
  ASSERT_EQ(disable->status, 200) << disable->body;
  for (Counsellor* signed_out : {&anna, &bert}) {
    auto me = HttpGet(server_.port(), "/api/v1/staff/me", {{"Cookie", signed_out->session.cookie}});
    ASSERT_TRUE(me);
    EXPECT_EQ(me->status, 401) << "the old session still works";
    EXPECT_TRUE(signed_out->ws.WaitClosed(30s)) << "the open console kept its socket";
  }
  // Enabled again, the account signs in anew: nothing from before the disable comes back.
  auto enable = Post("/api/v1/admin/accounts/" + std::to_string(IdOf("bert.v")) + "/enable");
  ASSERT_TRUE(enable);
  ASSERT_EQ(enable->status, 200) << enable->body;
  auto me = HttpGet(server_.port(), "/api/v1/staff/me", {{"Cookie", phone->cookie}});
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 401) << "a session from before the disable came back";
}

// An enable ends the sessions from before the disable while the account is still disabled:
// should that fail, the account stays disabled, or an unused old cookie would work again and a
// second click (the account enabled already) would change nothing.
TEST_F(AdminTest, AnEnableThatCannotEndTheOldSessionsLeavesTheAccountDisabled) {
  Counsellor bert = NewStaff("bert.v");
  ASSERT_FALSE(HasFailure());
  auto phone = SignIn(server_.port(), "bert.v", "correct horse battery");
  ASSERT_TRUE(phone) << phone.error().message;
  const std::string target = "/api/v1/admin/accounts/" + std::to_string(IdOf("bert.v"));
  auto disable = Post(target + "/disable");
  ASSERT_TRUE(disable && disable->status == 200);
  auto database =
      store::sqlite::Connection::Open((server_.data_dir() / "uitweg.db").string(),
                                      store::sqlite::Connection::Mode::read_write, 5000);
  ASSERT_TRUE(database);
  ASSERT_TRUE(
      (*database)->Exec("CREATE TRIGGER keep_sessions BEFORE DELETE ON staff_session "
                        "BEGIN SELECT RAISE(ABORT, 'disk trouble'); END"));
  auto failed = Post(target + "/enable");
  ASSERT_TRUE(failed);
  EXPECT_GE(failed->status, 500) << failed->body;
  auto me = HttpGet(server_.port(), "/api/v1/staff/me", {{"Cookie", phone->cookie}});
  ASSERT_TRUE(me);
  EXPECT_NE(me->status, 200) << "a session from before the disable came back";

  ASSERT_TRUE((*database)->Exec("DROP TRIGGER keep_sessions"));
  auto enable = Post(target + "/enable");
  ASSERT_TRUE(enable);
  ASSERT_EQ(enable->status, 200) << enable->body;
  me = HttpGet(server_.port(), "/api/v1/staff/me", {{"Cookie", phone->cookie}});
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 401) << "a session from before the disable came back";
  auto audit = HttpGet(server_.port(), "/api/v1/audit?limit=50", {{"Cookie", admin_.cookie}});
  ASSERT_TRUE(audit && audit->status == 200);
  EXPECT_NE(audit->body.find("\"action\":\"account_enabled\""), std::string::npos);
}

// A page loaded before a colleague's change offers what already is: asking for it again must not
// sign the colleague out, close their console (their chats with it) or write to the audit.
TEST_F(AdminTest, AnEnableOrARoleTheAccountAlreadyHasChangesNothing) {
  Counsellor anna = NewStaff("anna.k");
  ASSERT_FALSE(HasFailure());
  const std::string target = "/api/v1/admin/accounts/" + std::to_string(IdOf("anna.k"));
  auto enable = Post(target + "/enable");
  ASSERT_TRUE(enable);
  EXPECT_EQ(enable->status, 200) << enable->body;
  auto role = Post(target + "/role", R"({"role":"counsellor"})");
  ASSERT_TRUE(role);
  EXPECT_EQ(role->status, 200) << role->body;
  auto me = HttpGet(server_.port(), "/api/v1/staff/me", {{"Cookie", anna.session.cookie}});
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 200) << "signed out by an enable that changed nothing";
  ExpectStillServing(anna.ws);
  auto audit = HttpGet(server_.port(), "/api/v1/audit?limit=50", {{"Cookie", admin_.cookie}});
  ASSERT_TRUE(audit && audit->status == 200);
  EXPECT_EQ(audit->body.find("\"action\":\"account_enabled\""), std::string::npos);
  EXPECT_EQ(audit->body.find("\"action\":\"role_changed\""), std::string::npos);
}

// An admin who resets their own app stays signed in, to use the link it makes.
TEST_F(AdminTest, AnAdminWhoResetsTheirOwnAppStaysSignedIn) {
  auto reset = Post("/api/v1/admin/accounts/" + std::to_string(IdOf("beheer")) + "/reset-2fa");
  ASSERT_TRUE(reset);
  ASSERT_EQ(reset->status, 200) << reset->body;
  auto me = HttpGet(server_.port(), "/api/v1/staff/me", {{"Cookie", admin_.cookie}});
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 200) << "signed out of the session that holds the link";
}

}  // namespace
}  // namespace uitweg::support
