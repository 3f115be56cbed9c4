// Plain HTTP behaviour of the real server: security headers on every kind of response.

#include "integration/server_test.hpp"

namespace uitweg::support {
namespace {

using HttpTest = ServerTest;

constexpr char kCsp[] =
    "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

TEST_F(HttpTest, EveryResponseCarriesTheSecurityHeaders) {
  struct Case {
    std::string target;
    int status;
    bool api;
  };
  const std::vector<Case> cases{
      {"/", 200, false},
      {"/console", 200, false},
      {"/healthz", 200, true},
      {"/api/v1/no-such-thing", 404, true},
  };
  for (const Case& c : cases) {
    auto res = HttpGet(server_.port(), c.target);
    ASSERT_TRUE(res) << c.target << ": " << res.error().message;
    EXPECT_EQ(res->status, c.status) << c.target;
    EXPECT_EQ(res->Header("Content-Security-Policy"), kCsp) << c.target;
    EXPECT_EQ(res->Header("Referrer-Policy"), "no-referrer") << c.target;
    EXPECT_EQ(res->Header("X-Content-Type-Options"), "nosniff") << c.target;
    EXPECT_EQ(res->Header("X-Frame-Options"), "DENY") << c.target;
    EXPECT_FALSE(res->HasHeader("Strict-Transport-Security")) << c.target << " without TLS";
    EXPECT_FALSE(res->HasHeader("Set-Cookie")) << c.target;
    if (c.api) {
      EXPECT_EQ(res->Header("Cache-Control"), "no-store") << c.target;
    }
  }
}

TEST_F(HttpTest, ApiNotFoundIsAJsonError) {
  auto res = HttpGet(server_.port(), "/api/v1/no-such-thing");
  ASSERT_TRUE(res) << res.error().message;
  EXPECT_EQ(res->status, 404);
  EXPECT_EQ(res->ErrorCode(), "not_found");
}

TEST_F(HttpTest, HealthzReportsTheDatabase) {
  auto res = HttpGet(server_.port(), "/healthz");
  ASSERT_TRUE(res) << res.error().message;
  ASSERT_EQ(res->status, 200);
  auto body = res->Json();
  ASSERT_TRUE(body && body->is_object()) << res->body;
  EXPECT_EQ(Str(body->get_object(), "status"), "ok");
  EXPECT_EQ(Str(body->get_object(), "database"), "sqlite");
}

}  // namespace
}  // namespace uitweg::support
