#pragma once
// Building HTTP responses the same way everywhere: every one carries the security headers of
// docs/protocol.md; API responses are never cached.

#include <string>
#include <string_view>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "api/http.hpp"
#include "core/error.hpp"
#include "net/static_files.hpp"

namespace uitweg::net {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

// Adds CSP, Referrer-Policy, X-Content-Type-Options, X-Frame-Options (and HSTS when tls).
template <class Fields>
void AddSecurityHeaders(Fields& fields, bool tls) {
  namespace http = boost::beast::http;
  fields.set("Content-Security-Policy",
             "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  fields.set("Referrer-Policy", "no-referrer");
  fields.set("X-Content-Type-Options", "nosniff");
  fields.set("X-Frame-Options", "DENY");
  fields.set(http::field::server, "uitweg");
  if (tls) fields.set(http::field::strict_transport_security, "max-age=31536000");
}

// Scripts and styles carry no document, so a policy for documents means nothing on them; they
// get what keeps a browser from taking them for something else. Fewer bytes per request matter
// on a slow phone.
template <class Fields>
void AddAssetHeaders(Fields& fields, bool tls) {
  namespace http = boost::beast::http;
  fields.set("X-Content-Type-Options", "nosniff");
  if (tls) fields.set(http::field::strict_transport_security, "max-age=31536000");
}

HttpResponse ApiResponse(const HttpRequest& request, const api::Response& response, bool tls);
HttpResponse ApiError(const HttpRequest& request, const core::Error& error, bool tls);
// A status with a JSON error body whose code is not an Errc, e.g. 413 payload_too_large.
HttpResponse RawError(unsigned version, unsigned status, std::string_view code,
                      std::string_view message, bool tls);
// 200 with the file, or 304 when If-None-Match names its ETag.
HttpResponse StaticResponse(const HttpRequest& request, const StaticFile& file, bool tls);

}  // namespace uitweg::net
