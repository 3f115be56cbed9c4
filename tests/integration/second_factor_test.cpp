// Every staff account signs in with a password and a code of its second factor (TOTP or a
// recovery code), through the real binary: `uitweg user add|reset-2fa|disable|enable`, the
// first-administrator set-up with enrolment, and POST /api/v1/staff/session.

#include <fstream>
#include <future>
#include <iterator>
#include <regex>

#include "auth/testing/sign_in_codes.hpp"
#include "crypto/totp.hpp"
#include "integration/server_test.hpp"

namespace uitweg::support {
namespace {

constexpr char kPassword[] = "correct horse battery";

core::UnixMillis Now() {
  return core::SystemClock().Now();
}

std::string CodeNow(const std::string& secret) {
  return crypto::TotpCode(secret, crypto::TotpStep(Now()));
}

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class SecondFactorTest : public ServerTest {
 protected:
  // `uitweg user SUBCOMMAND --username U ...` on this server's data folder.
  core::Result<CommandResult> User(const std::string& subcommand, const std::string& username,
                                   const std::string& stdin_text = {}) {
    std::vector<std::string> args{"user",   subcommand, "--username",
                                  username, "--data",   server_.data_dir().string()};
    if (subcommand == "add") {
      args.insert(args.end(), {"--role", "counsellor", "--password-stdin"});
    }
    if (!database_url_.empty()) args.insert(args.end(), {"--database", database_url_});
    return RunCommand(args, stdin_text, std::chrono::seconds(60));
  }
  PrintedSecondFactor Added(const std::string& username) {
    auto run = User("add", username, std::string(kPassword) + "\n");
    EXPECT_TRUE(run && run->exit_code == 0) << (run ? run->err : run.error().message);
    auto factor = ParsePrintedSecondFactor(run ? run->out : "");
    EXPECT_TRUE(factor) << factor.error().message;
    for (const std::string& code : factor->recovery_codes) Secret(code);
    return factor ? *factor : PrintedSecondFactor{};
  }
  core::Result<HttpResponse> SignInRaw(const boost::json::object& body) {
    return HttpPostJson(server_.port(), "/api/v1/staff/session", body);
  }
  int SignInStatus(const std::string& username, const std::string& code,
                   const std::string& password = kPassword) {
    auto res = SignInRaw({{"username", username}, {"password", password}, {"code", code}});
    return res ? res->status : -1;
  }
};

TEST_F(SecondFactorTest, UserAddPrintsTheUriAndTenRecoveryCodes) {
  auto run = User("add", "anna.k", std::string(kPassword) + "\n");
  ASSERT_TRUE(run && run->exit_code == 0) << (run ? run->err : run.error().message);
  EXPECT_NE(run->out.find("otpauth://totp/Uitweg:anna.k?secret="), std::string::npos);
  EXPECT_NE(run->out.find("&algorithm=SHA1&digits=6&period=30"), std::string::npos);
  auto factor = ParsePrintedSecondFactor(run->out);
  ASSERT_TRUE(factor) << factor.error().message;
  EXPECT_EQ(factor->secret.size(), 20u);
  EXPECT_EQ(factor->recovery_codes.size(), 10u);
  for (const std::string& code : factor->recovery_codes) Secret(code);
}

TEST_F(SecondFactorTest, AMissingWrongOrReplayedCodeIsAnsweredLikeAWrongPassword) {
  const PrintedSecondFactor factor = Added("anna.k");
  auto wrong_password = SignInRaw(
      {{"username", "anna.k"}, {"password", "not the password"}, {"code", CodeNow(factor.secret)}});
  ASSERT_TRUE(wrong_password);
  EXPECT_EQ(wrong_password->status, 401);
  for (const boost::json::object& body :
       {boost::json::object{{"username", "anna.k"}, {"password", kPassword}},
        boost::json::object{{"username", "anna.k"}, {"password", kPassword}, {"code", "000000"}},
        boost::json::object{{"username", "anna.k"}, {"password", kPassword}, {"code", "x"}}}) {
    auto refused = SignInRaw(body);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 401) << boost::json::serialize(body);
    EXPECT_EQ(refused->body, wrong_password->body) << boost::json::serialize(body);
  }
}

TEST_F(SecondFactorTest, ACodeAndARecoveryCodeEachSignInOnce) {
  const PrintedSecondFactor factor = Added("anna.k");
  const std::string code = CodeNow(factor.secret);
  EXPECT_EQ(SignInStatus("anna.k", code), 200);
  EXPECT_EQ(SignInStatus("anna.k", code), 401);
  EXPECT_EQ(SignInStatus("anna.k", factor.recovery_codes[0]), 200);
  EXPECT_EQ(SignInStatus("anna.k", factor.recovery_codes[0]), 401);
  EXPECT_EQ(SignInStatus("anna.k", factor.recovery_codes[1]), 200);
}

TEST_F(SecondFactorTest, ResetTwoFactorRetiresTheOldAppAndCodes) {
  const PrintedSecondFactor old_factor = Added("anna.k");
  auto run = User("reset-2fa", "anna.k");
  ASSERT_TRUE(run && run->exit_code == 0) << (run ? run->err : run.error().message);
  auto new_factor = ParsePrintedSecondFactor(run->out);
  ASSERT_TRUE(new_factor) << new_factor.error().message;
  for (const std::string& code : new_factor->recovery_codes) Secret(code);
  EXPECT_NE(new_factor->secret, old_factor.secret);
  EXPECT_EQ(SignInStatus("anna.k", old_factor.recovery_codes[0]), 401);
  EXPECT_EQ(SignInStatus("anna.k", CodeNow(new_factor->secret)), 200);
  EXPECT_EQ(SignInStatus("anna.k", new_factor->recovery_codes[0]), 200);
  auto nobody = User("reset-2fa", "nobody");
  ASSERT_TRUE(nobody);
  EXPECT_EQ(nobody->exit_code, 1);
}

// A mistyped data folder: the commands that work on accounts refuse, naming the path, and leave
// no new database (nor master key) behind; only `add` makes one, and says so.
TEST_F(SecondFactorTest, AccountCommandsOnAFolderWithoutADatabaseMakeNone) {
  if (!database_url_.empty()) GTEST_SKIP() << "a PostgreSQL database has no folder to mistype";
  const std::filesystem::path typo = server_.data_dir() / "typo";
  for (const char* subcommand : {"disable", "enable", "reset-2fa", "log-name"}) {
    auto run = RunCommand({"user", subcommand, "--username", "anna.k", "--data", typo.string()}, "",
                          std::chrono::seconds(60));
    ASSERT_TRUE(run) << run.error().message;
    EXPECT_EQ(run->exit_code, 1) << subcommand;
    EXPECT_NE(run->err.find("there is no database at " + typo.string()), std::string::npos)
        << subcommand << ": " << run->err;
    EXPECT_FALSE(std::filesystem::exists(typo)) << subcommand;
  }
  auto added = RunCommand({"user", "add", "--username", "anna.k", "--role", "admin",
                           "--password-stdin", "--data", typo.string()},
                          std::string(kPassword) + "\n", std::chrono::seconds(60));
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(added->exit_code, 0) << added->err;
  EXPECT_NE(added->err.find("making a new one there"), std::string::npos) << added->err;
  for (const std::string& code : ParsePrintedSecondFactor(added->out).value().recovery_codes) {
    Secret(code);
  }
}

TEST_F(SecondFactorTest, ADisabledAccountCannotSignInNorUseItsSession) {
  const PrintedSecondFactor factor = Added("anna.k");
  RememberSecondFactor("anna.k", factor);
  auto session = SignIn(server_.port(), "anna.k", kPassword);
  ASSERT_TRUE(session) << session.error().message;
  auto run = User("disable", "anna.k");
  ASSERT_TRUE(run && run->exit_code == 0) << (run ? run->err : run.error().message);
  auto me = HttpGet(server_.port(), "/api/v1/staff/me", {{"Cookie", session->cookie}});
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 401);
  EXPECT_EQ(SignInStatus("anna.k", NextSignInCode("anna.k")), 401);
  run = User("enable", "anna.k");
  ASSERT_TRUE(run && run->exit_code == 0) << (run ? run->err : run.error().message);
  EXPECT_EQ(SignInStatus("anna.k", NextSignInCode("anna.k")), 200);
}

TEST_F(SecondFactorTest, TheSecretIsNotInTheDatabaseInTheClear) {
  const PrintedSecondFactor factor = Added("anna.k");
  if (!database_url_.empty()) GTEST_SKIP() << "the files are PostgreSQL's";
  std::string files;
  for (const auto& entry : std::filesystem::directory_iterator(server_.data_dir())) {
    if (entry.path().filename().string().starts_with("uitweg.db")) files += ReadAll(entry.path());
  }
  ASSERT_FALSE(files.empty());
  EXPECT_EQ(files.find(factor.secret), std::string::npos);
  EXPECT_EQ(files.find(crypto::Base32Encode(factor.secret)), std::string::npos);
  for (const std::string& code : factor.recovery_codes) {
    EXPECT_EQ(files.find(code), std::string::npos);
    EXPECT_EQ(files.find(code.substr(0, 5) + code.substr(6)), std::string::npos);
  }
}

TEST_F(SecondFactorTest, TheFirstAdministratorEnrolsWhileSettingUp) {
  // The link follows the listening line; wait until it has been printed.
  std::smatch link;
  std::string printed;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  const std::regex setup_link("/setup#token=([A-Za-z0-9_-]{43})");
  while (!std::regex_search(printed = server_.Stderr(), link, setup_link) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_FALSE(link.empty()) << printed;
  // Not a secret the log must not hold: the operator reads it there (stdout), by design.
  const std::string token = link[1];
  auto status = HttpGet(server_.port(), "/api/v1/setup");
  ASSERT_TRUE(status);
  EXPECT_NE(status->body.find("\"needed\":true"), std::string::npos);

  auto refused =
      HttpPostJson(server_.port(), "/api/v1/setup/second-factor",
                   {{"token", "not the token"}, {"username", "beheer"}, {"password", kPassword}});
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);

  auto enrol = HttpPostJson(server_.port(), "/api/v1/setup/second-factor",
                            {{"token", token}, {"username", "beheer"}, {"password", kPassword}});
  ASSERT_TRUE(enrol);
  ASSERT_EQ(enrol->status, 200) << enrol->body;
  const boost::json::object offered = enrol->Json().value().as_object();
  const std::string secret = crypto::Base32Decode(Str(offered, "secret")).value();
  EXPECT_TRUE(Str(offered, "qr_svg").starts_with("<svg"));
  EXPECT_TRUE(Str(offered, "otpauth_uri").starts_with("otpauth://totp/Uitweg:beheer?"));

  boost::json::object create{{"token", token},
                             {"username", "beheer"},
                             {"password", kPassword},
                             {"enrolment", Str(offered, "enrolment")},
                             {"code", "000000"}};
  auto wrong_code = HttpPostJson(server_.port(), "/api/v1/setup", create);
  ASSERT_TRUE(wrong_code);
  EXPECT_EQ(wrong_code->status, 400);
  // Kept as typed: a new 30-second step may begin before the sign-in below.
  const std::string confirming = CodeNow(secret);
  create["code"] = confirming;
  auto created = HttpPostJson(server_.port(), "/api/v1/setup", create);
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  const boost::json::value answer = created->Json().value();
  const boost::json::array& codes = answer.as_object().at("recovery_codes").as_array();
  ASSERT_EQ(codes.size(), 10u);
  for (const auto& code : codes) Secret(std::string(code.as_string()));

  // The code that confirmed the app does not also sign in; a recovery code does.
  EXPECT_EQ(SignInStatus("beheer", confirming), 401);
  EXPECT_EQ(SignInStatus("beheer", std::string(codes[0].as_string())), 200);
  status = HttpGet(server_.port(), "/api/v1/setup");
  ASSERT_TRUE(status);
  EXPECT_NE(status->body.find("\"needed\":false"), std::string::npos);
  EXPECT_NE(status->body.find("\"expired\":false"), std::string::npos)
      << "an administrator exists: nothing lapsed";
}

TEST_F(SecondFactorTest, ParallelGuessesGetNoMoreChecksThanTheLimitAndRetryAfterIsTheRealWait) {
  Added("anna.k");
  std::vector<std::future<int>> guesses;
  for (int i = 0; i < 40; ++i) {
    guesses.push_back(std::async(std::launch::async, [this, i] {
      return SignInStatus("anna.k", "000000", "wrong guess " + std::to_string(i));
    }));
  }
  int checked = 0;
  int throttled = 0;
  for (auto& guess : guesses) {
    const int status = guess.get();
    checked += status == 401 ? 1 : 0;
    throttled += status == 429 ? 1 : 0;
  }
  EXPECT_EQ(checked, 5);
  EXPECT_EQ(throttled, 35);
  auto refused = SignInRaw({{"username", "anna.k"}, {"password", kPassword}, {"code", "000000"}});
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 429);
  const std::string retry_after = refused->Header("Retry-After");
  ASSERT_FALSE(retry_after.empty());
  EXPECT_GT(std::stoi(retry_after), 14 * 60);
  EXPECT_LE(std::stoi(retry_after), 15 * 60);
  EXPECT_NE(refused->body.find(retry_after + " seconds"), std::string::npos) << refused->body;

  // The log names the account by a keyed hash that `uitweg user log-name` gives, never by name.
  auto named = User("log-name", "anna.k");
  ASSERT_TRUE(named && named->exit_code == 0);
  const std::string log_name = named->out.substr(0, named->out.find('\n'));
  EXPECT_EQ(log_name.size(), 16u);
  const std::string log = server_.Stderr();
  EXPECT_NE(log.find("\"event\":\"auth.sign_in_throttled\",\"account_key\":\"" + log_name),
            std::string::npos);
  EXPECT_EQ(log.find("anna.k\""), std::string::npos);
}

}  // namespace
}  // namespace uitweg::support
