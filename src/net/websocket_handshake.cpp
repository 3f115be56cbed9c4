#include "net/websocket_handshake.hpp"

#include <algorithm>
#include <cctype>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>

#include "crypto/random.hpp"
#include "crypto/sha1.hpp"

namespace uitweg::net {
namespace http = boost::beast::http;

namespace {

constexpr std::string_view kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

core::Error Bad(std::string message) {
  return core::Fail(core::Errc::invalid_argument, std::move(message));
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// True when the comma-separated header value holds `token` (case-insensitive).
bool HasToken(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    const std::size_t comma = value.find(',');
    std::string_view item = value.substr(0, comma);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (EqualsIgnoringCase(item, token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

std::string AcceptKey(std::string_view key) {
  std::string keyed(key);
  keyed += kGuid;
  return crypto::Base64Encode(crypto::Sha1(keyed));
}

core::Result<std::string> CheckUpgrade(const HttpRequest& request) {
  if (request.method() != http::verb::get || request.version() != 11) {
    return Bad("a WebSocket opens with a GET over HTTP/1.1");
  }
  if (!HasToken(request[http::field::connection], "upgrade") ||
      !HasToken(request[http::field::upgrade], "websocket")) {
    return Bad("the request does not ask to upgrade to a WebSocket");
  }
  if (request[http::field::sec_websocket_version] != "13") {
    return Bad("only WebSocket version 13 is spoken here");
  }
  const std::string_view key = request[http::field::sec_websocket_key];
  auto decoded = crypto::Base64Decode(
      key.size() == 24 && key.ends_with("==") ? key.substr(0, 22) : std::string_view("bad"));
  if (!decoded || decoded->size() != 16) return Bad("the Sec-WebSocket-Key is malformed");
  return AcceptKey(key);
}

UpgradeResponse SwitchingProtocols(const HttpRequest& request, const std::string& accept_key,
                                   bool tls) {
  UpgradeResponse response{http::status::switching_protocols, request.version()};
  AddSecurityHeaders(response, tls);
  response.set(http::field::upgrade, "websocket");
  response.set(http::field::connection, "Upgrade");
  response.set(http::field::sec_websocket_accept, accept_key);
  return response;
}

}  // namespace uitweg::net
