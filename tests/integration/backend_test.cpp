// Which database a node runs on, as it says itself.

#include "integration/server_test.hpp"

namespace uitweg::support {
namespace {

using BackendTest = ServerTest;

TEST_F(BackendTest, HealthzNamesTheDatabaseInUse) {
  auto health = HttpGet(server_.port(), "/healthz");
  ASSERT_TRUE(health) << health.error().message;
  ASSERT_EQ(health->status, 200) << health->body;
  const auto body = health->Json()->as_object();
  if (CasesRunOnPostgres()) {
    EXPECT_EQ(Str(body, "database"), "postgresql");
    EXPECT_EQ(server_.Stderr().find(database_url_), std::string::npos)
        << "the log names the database URL, which may hold a password";
  } else {
    EXPECT_EQ(Str(body, "database"), "sqlite");
  }
}

}  // namespace
}  // namespace uitweg::support
