#pragma once
// An HTTP exchange as the handlers see it: plain values, no Beast. net/ fills a Request from
// the wire, runs the handler on a worker thread and writes the Response (adding the security
// headers). A handler returns an Error for every expected failure; net/ maps its code to a
// status in one table (net/error_status.hpp).

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace uitweg::api {

// The staff session cookie; its value arrives as Request::session_token.
inline constexpr std::string_view kSessionCookie = "__Host-uitweg_session";

struct Request {
  std::string method;               // "GET", "POST", ...
  std::string path;                 // without the query string
  std::string query;                // the query string without '?', undecoded; or empty
  std::string body;                 // at most the configured body limit
  std::string session_token;        // the staff session cookie's value, or empty
  std::string csrf_token;           // the X-CSRF-Token header, or empty
  std::string origin;               // the Origin header, or empty
  std::string content_type;         // the Content-Type header, or empty
  std::string host;                 // the Host header
  std::string accept_language;      // the Accept-Language header, or empty
  std::string client_key;           // a salted hash of the peer address; never the address itself
  bool background = false;          // X-Uitweg-Background: the page asked on its own (a poll)
  std::vector<std::string> params;  // path segments captured by the route's {placeholders}
};

struct Response {
  unsigned status = 200;
  std::string body;                                          // JSON text; empty for 204
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. Set-Cookie
  std::string content_type = "application/json";             // of a non-empty body
};

// Runs on a worker thread; may block on the store. Must not throw for expected failures.
using Handler = std::function<core::Result<Response>(const Request&)>;

// What a route that takes bodies larger than the server's limit (an upload's chunks) accepts.
// net/ asks once a request's header is read and before any of its body: `admits` runs on a
// worker thread with that header alone (`body` and `params` empty) and says whether this request
// may send up to `max_bytes` (true) or stays under the server's limit (false), so that nobody
// without the route's permission makes the server hold a large body. A large body may take as
// long to arrive as it would at 64 KiB/s, beyond the usual read timeout.
struct LargeBody {
  std::size_t max_bytes = 0;
  std::function<bool(const Request& header)> admits = {};
};

}  // namespace uitweg::api
