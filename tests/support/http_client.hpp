#pragma once
// A small synchronous HTTP/1.1 client for tests: one connection per request to 127.0.0.1,
// every step bounded by a timeout. Also a raw TCP probe for stalled-client (slowloris) tests.
// Not thread-safe; each call owns its own io_context.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

#include "core/error.hpp"

namespace uitweg::support {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string target = "/";
  std::string body;
  Headers headers;  // Host, Content-Length and (for a body) Content-Type are added when absent
};

struct HttpResponse {
  int status = 0;
  std::string body;
  Headers headers;

  // The first value of a header, matched case-insensitively; empty when absent.
  std::string Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
  // The body parsed as JSON; invalid_argument when it is not JSON.
  core::Result<boost::json::value> Json() const;
  // For an error body {"error": {"code": ...}}: the code, else empty.
  std::string ErrorCode() const;
};

core::Result<HttpResponse> HttpCall(std::uint16_t port, const HttpRequest& request,
                                    std::chrono::milliseconds timeout = std::chrono::seconds(10));
core::Result<HttpResponse> HttpGet(std::uint16_t port, std::string target, Headers headers = {});
core::Result<HttpResponse> HttpPostJson(std::uint16_t port, std::string target,
                                        const boost::json::value& body, Headers headers = {});

// Opens a TCP connection, writes `bytes` and then says nothing more. Returns how long the server
// took to end the connection, or deadline_exceeded if it was still open after `limit`; what the
// server wrote meanwhile goes to `received`, when given.
core::Result<std::chrono::milliseconds> StallAndWaitForClose(std::uint16_t port, std::string bytes,
                                                             std::chrono::milliseconds limit,
                                                             std::string* received = nullptr);

}  // namespace uitweg::support
