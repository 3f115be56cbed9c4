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

TEST_F(HttpTest, AssetsLiveUnderTheBuildIdForAYearAndTravelGzipped) {
  auto home = HttpGet(server_.port(), "/", {{"Accept-Encoding", "identity"}});
  ASSERT_TRUE(home && home->status == 200);
  EXPECT_FALSE(home->HasHeader("Content-Encoding"));
  const std::size_t at = home->body.find("/visitor/main.js");
  ASSERT_NE(at, std::string::npos);
  const std::size_t start = home->body.rfind("/assets/", at);
  const std::string script = home->body.substr(start, at + 16 - start);
  ASSERT_EQ(script.size(), std::string("/assets/0123456789ab/visitor/main.js").size()) << script;

  auto plain = HttpGet(server_.port(), script);
  ASSERT_TRUE(plain && plain->status == 200);
  EXPECT_EQ(plain->Header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(plain->Header("X-Content-Type-Options"), "nosniff");
  EXPECT_FALSE(plain->HasHeader("Content-Security-Policy")) << "a script is no document";
  EXPECT_EQ(plain->Header("Vary"), "Accept-Encoding");

  auto gzipped = HttpGet(server_.port(), script, {{"Accept-Encoding", "gzip, br"}});
  ASSERT_TRUE(gzipped && gzipped->status == 200);
  EXPECT_EQ(gzipped->Header("Content-Encoding"), "gzip");
  EXPECT_LT(gzipped->body.size(), plain->body.size());
  EXPECT_EQ(gzipped->body.substr(0, 2), "\x1f\x8b");
  EXPECT_NE(gzipped->Header("ETag"), plain->Header("ETag"));
  auto again = HttpGet(server_.port(), script,
                       {{"Accept-Encoding", "gzip"}, {"If-None-Match", gzipped->Header("ETag")}});
  EXPECT_EQ(again->status, 304);

  // Without the id an asset is still there, asked about each time.
  auto unversioned = HttpGet(server_.port(), "/assets/visitor/main.js");
  ASSERT_TRUE(unversioned && unversioned->status == 200);
  EXPECT_EQ(unversioned->Header("Cache-Control"), "no-cache");
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
