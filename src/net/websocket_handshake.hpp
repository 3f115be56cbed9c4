#pragma once
// The opening handshake of a WebSocket on the server's side (RFC 6455, section 4.2): checking
// the upgrade request and answering it with 101 Switching Protocols.

#include <string>
#include <string_view>

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>

#include "core/error.hpp"
#include "net/responses.hpp"

namespace uitweg::net {

using UpgradeResponse = boost::beast::http::response<boost::beast::http::empty_body>;

// The Sec-WebSocket-Accept value for a client's Sec-WebSocket-Key.
std::string AcceptKey(std::string_view key);

// Checks that `request` is a GET over HTTP/1.1 asking to upgrade to a WebSocket of version 13
// with a well-formed key, and returns the Sec-WebSocket-Accept value for it; invalid_argument
// naming the fault otherwise.
core::Result<std::string> CheckUpgrade(const HttpRequest& request);

// The 101 response that completes the handshake, with the security headers.
UpgradeResponse SwitchingProtocols(const HttpRequest& request, const std::string& accept_key,
                                   bool tls);

}  // namespace uitweg::net
