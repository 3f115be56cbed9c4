// Debian's sqlmap, in batch mode, against the endpoints that take text from strangers and put
// it near the database: staff sign-in, the first administrator's set-up, and the visitor's
// start. Nothing may be injectable. The throttles are raised for the run, so that sqlmap's
// requests reach the queries instead of a 429; each run is bounded in time.

#include "integration/server_test.hpp"

namespace uitweg::support {
namespace {

class InjectionTest : public ServerTest {
 protected:
  std::string ConfigToml() const override {
    return "[limits]\n"
           "visitor_starts_per_minute = 1000000\n"
           "max_waiting = 0\n"
           "max_connections_per_address = 0\n"
           "sign_in_attempts_per_account_and_client = 100000000\n"
           "sign_in_attempts_per_client = 100000000\n"
           "sign_in_attempts_per_account = 100000000\n";
  }

  // Runs sqlmap on one endpoint with a JSON body; returns what it printed.
  std::string Sqlmap(const std::string& path, const std::string& json, int level) {
    const std::filesystem::path output = server_.data_dir() / ("sqlmap-" + std::to_string(runs_++));
    auto run = RunProgram("/usr/bin/sqlmap",
                          {"-u",
                           server_.Origin() + path,
                           "--data",
                           json,
                           "--batch",
                           "--level",
                           std::to_string(level),
                           "--risk",
                           "2",
                           "--technique",
                           "BEUS",
                           "--timeout",
                           "10",
                           "--retries",
                           "0",
                           "--ignore-code",
                           "400,401,403,404,409,429",
                           "--flush-session",
                           "--disable-coloring",
                           "--output-dir",
                           output.string()},
                          "", std::chrono::minutes(4));
    EXPECT_TRUE(run) << (run ? "" : run.error().message);
    if (!run) return {};
    return run->out + run->err;
  }

  static void ExpectNothingInjectable(const std::string& printed, const std::string& what) {
    ASSERT_FALSE(printed.empty()) << what;
    EXPECT_EQ(printed.find("identified the following injection point"), std::string::npos)
        << what << ":\n"
        << printed;
    EXPECT_NE(printed.find("do not appear to be injectable"), std::string::npos)
        << what << " did not finish its tests:\n"
        << printed;
  }

  int runs_ = 0;
};

TEST_F(InjectionTest, NothingIsInjectableInSignInSetUpOrTheVisitorsStart) {
  ASSERT_TRUE(AddStaff(server_.data_dir().string(), "anna.k", "correct horse battery"));
  // Each sign-in costs a password hash, so that endpoint gets the shorter list of payloads.
  ExpectNothingInjectable(
      Sqlmap("/api/v1/staff/session", R"({"username":"anna.k","password":"x","code":"123456"})", 1),
      "sign-in");
  ExpectNothingInjectable(
      Sqlmap("/api/v1/setup/second-factor",
             R"({"token":"abc","username":"beheer","password":"een lang wachtwoord"})", 3),
      "set-up");
  ExpectNothingInjectable(
      Sqlmap("/api/v1/visitor/conversations", R"({"nickname":"Sam","subject":"self"})", 3),
      "visitor start");
  Visitor after = NewVisitor();
  ExpectStillServing(after.ws);
}

}  // namespace
}  // namespace uitweg::support
