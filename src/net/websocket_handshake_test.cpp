#include "net/websocket_handshake.hpp"

#include <gtest/gtest.h>

#include <functional>

#include <boost/beast/http/field.hpp>

namespace uitweg::net {
namespace {

namespace http = boost::beast::http;

HttpRequest Upgrade() {
  HttpRequest request{http::verb::get, "/api/v1/visitor/ws", 11};
  request.set(http::field::host, "127.0.0.1:8080");
  request.set(http::field::connection, "keep-alive, Upgrade");
  request.set(http::field::upgrade, "websocket");
  request.set(http::field::sec_websocket_version, "13");
  request.set(http::field::sec_websocket_key, "dGhlIHNhbXBsZSBub25jZQ==");
  return request;
}

TEST(WebSocketHandshakeTest, AcceptKeyIsTheOneFromTheStandard) {
  EXPECT_EQ(AcceptKey("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  EXPECT_EQ(CheckUpgrade(Upgrade()).value(), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(WebSocketHandshakeTest, SwitchingProtocolsCarriesTheAcceptKey) {
  const UpgradeResponse response = SwitchingProtocols(Upgrade(), "abc=", false);
  EXPECT_EQ(response.result(), http::status::switching_protocols);
  EXPECT_EQ(response[http::field::sec_websocket_accept], "abc=");
  EXPECT_EQ(response[http::field::upgrade], "websocket");
}

TEST(WebSocketHandshakeTest, RefusesWhatIsNotAWebSocketOfVersion13) {
  const struct {
    const char* what;
    std::function<void(HttpRequest&)> spoil;
  } cases[] = {
      {"post", [](HttpRequest& r) { r.method(http::verb::post); }},
      {"http/1.0", [](HttpRequest& r) { r.version(10); }},
      {"no upgrade token", [](HttpRequest& r) { r.set(http::field::connection, "keep-alive"); }},
      {"upgrade to something else", [](HttpRequest& r) { r.set(http::field::upgrade, "h2c"); }},
      {"version 8", [](HttpRequest& r) { r.set(http::field::sec_websocket_version, "8"); }},
      {"no key", [](HttpRequest& r) { r.erase(http::field::sec_websocket_key); }},
      {"short key", [](HttpRequest& r) { r.set(http::field::sec_websocket_key, "c2hvcnQ="); }},
      {"key not base64",
       [](HttpRequest& r) { r.set(http::field::sec_websocket_key, "!!!!!!!!!!!!!!!!!!!!!!=="); }},
  };
  for (const auto& c : cases) {
    HttpRequest request = Upgrade();
    c.spoil(request);
    const auto checked = CheckUpgrade(request);
    ASSERT_FALSE(checked) << c.what;
    EXPECT_EQ(checked.error().code, core::Errc::invalid_argument) << c.what;
  }
}

}  // namespace
}  // namespace uitweg::net
