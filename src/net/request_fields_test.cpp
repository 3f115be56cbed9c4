#include "net/request_fields.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace uitweg::net {
namespace {

TEST(RequestFieldsTest, PathDropsQueryAndFragment) {
  EXPECT_EQ(PathOf("/api/v1/setup?x=1"), "/api/v1/setup");
  EXPECT_EQ(PathOf("/setup#token=abc"), "/setup");
  EXPECT_EQ(PathOf("/"), "/");
  EXPECT_EQ(QueryOf("/api/v1/audit?action=read&limit=5#x"), "action=read&limit=5");
  EXPECT_EQ(QueryOf("/api/v1/audit"), "");
  EXPECT_EQ(QueryOf("/setup#token=a?b"), "");
}

TEST(RequestFieldsTest, FindsTheNamedCookieOnly) {
  const std::string_view header = "theme=dark; __Host-uitweg_session=abc-123; other=1";
  EXPECT_EQ(CookieValue(header, "__Host-uitweg_session"), "abc-123");
  EXPECT_EQ(CookieValue(header, "theme"), "dark");
  EXPECT_EQ(CookieValue(header, "uitweg_session"), "");
  EXPECT_EQ(CookieValue("", "theme"), "");
  EXPECT_EQ(CookieValue("themes=x", "theme"), "");
}

TEST(RequestFieldsTest, AcceptsGzipUnlessRefused) {
  EXPECT_TRUE(AcceptsGzip("gzip, deflate, br"));
  EXPECT_TRUE(AcceptsGzip("br;q=1.0, GZIP;q=0.5"));
  EXPECT_TRUE(AcceptsGzip("*"));
  EXPECT_FALSE(AcceptsGzip(""));
  EXPECT_FALSE(AcceptsGzip("identity"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0.000, *"));
  EXPECT_FALSE(AcceptsGzip("*;q=0"));
  EXPECT_FALSE(AcceptsGzip("xgzip"));
}

TEST(RequestFieldsTest, TheForwardedClientIsTheLastAddressTheProxyAdded) {
  using Fields = std::vector<std::string_view>;
  EXPECT_EQ(ForwardedClient(Fields{"192.0.2.7"}), "192.0.2.7");
  // A client's own header comes first; the proxy's address is the last of the last field.
  EXPECT_EQ(ForwardedClient(Fields{"10.9.9.9, 198.51.100.4"}), "198.51.100.4");
  EXPECT_EQ(ForwardedClient(Fields{"10.9.9.9", " 2001:DB8:0:0::1 "}), "2001:db8::1");
  EXPECT_EQ(ForwardedClient(Fields{}), std::nullopt);
  EXPECT_EQ(ForwardedClient(Fields{"192.0.2.7, unknown"}), std::nullopt);
  EXPECT_EQ(ForwardedClient(Fields{"192.0.2.7,"}), std::nullopt);
  EXPECT_EQ(ForwardedClient(Fields{"192.0.2.7:5555"}), std::nullopt);
}

// As the listener unmaps a peer (Unmapped): a client behind a proxy has one key, not two.
TEST(RequestFieldsTest, AnIPv4MappedForwardedClientIsItsIPv4Address) {
  using Fields = std::vector<std::string_view>;
  EXPECT_EQ(ForwardedClient(Fields{"::ffff:192.0.2.7"}), "192.0.2.7");
  EXPECT_EQ(ForwardedClient(Fields{"::FFFF:C000:0207"}), "192.0.2.7");
  EXPECT_EQ(ForwardedClient(Fields{"::192.0.2.7"}), "::192.0.2.7");
}

}  // namespace
}  // namespace uitweg::net
