#include "net/responses.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>

#include "net/error_status.hpp"
#include "net/request_fields.hpp"

namespace uitweg::net {
namespace http = boost::beast::http;

namespace {

void Finish(const HttpRequest& request, HttpResponse& response) {
  response.keep_alive(request.keep_alive());
  response.prepare_payload();
  if (request.method() == http::verb::head) response.body().clear();
}

}  // namespace

HttpResponse ApiResponse(const HttpRequest& request, const api::Response& response, bool tls) {
  HttpResponse out{static_cast<http::status>(response.status), request.version()};
  AddSecurityHeaders(out, tls);
  out.set(http::field::cache_control, "no-store");
  if (!response.body.empty()) out.set(http::field::content_type, response.content_type);
  for (const auto& [name, value] : response.headers) out.insert(name, value);
  out.body() = response.body;
  Finish(request, out);
  return out;
}

HttpResponse ApiError(const HttpRequest& request, const core::Error& error, bool tls) {
  HttpResponse out = RawError(request.version(), HttpStatusFor(error.code),
                              core::ErrcName(error.code), error.message, tls);
  if (error.retry_after_seconds > 0) {
    out.set(http::field::retry_after, std::to_string(error.retry_after_seconds));
  } else if (error.code == core::Errc::resource_exhausted) {
    out.set(http::field::retry_after, std::to_string(kRetryAfterSeconds));
  }
  Finish(request, out);
  return out;
}

HttpResponse RawError(unsigned version, unsigned status, std::string_view code,
                      std::string_view message, bool tls) {
  HttpResponse out{static_cast<http::status>(status), version};
  AddSecurityHeaders(out, tls);
  out.set(http::field::cache_control, "no-store");
  out.set(http::field::content_type, "application/json");
  out.body() = ErrorBody(code, message);
  out.prepare_payload();
  return out;
}

HttpResponse StaticResponse(const HttpRequest& request, const StaticFile& file, bool tls) {
  const bool gzip = !file.gzipped.empty() && AcceptsGzip(request[http::field::accept_encoding]);
  const std::string& etag = gzip ? file.gzip_etag : file.etag;
  const std::string_view content = gzip ? file.gzipped : file.content;
  const bool fresh = request[http::field::if_none_match] == etag;
  HttpResponse out{fresh ? http::status::not_modified : http::status::ok, request.version()};
  // An SVG opened on its own is a document too.
  if (file.is_page || file.content_type.starts_with("image/svg")) {
    AddSecurityHeaders(out, tls);
  } else {
    AddAssetHeaders(out, tls);
  }
  out.set(http::field::etag, etag);
  // Pages are never kept (a shared phone must not hold the visit); assets under the build id
  // never change; the others are revalidated.
  out.set(http::field::cache_control, file.is_page     ? "no-store"
                                      : file.immutable ? "public, max-age=31536000, immutable"
                                                       : "no-cache");
  out.set(http::field::content_type, file.content_type);
  if (!file.gzipped.empty()) out.set(http::field::vary, "Accept-Encoding");
  if (gzip) out.set(http::field::content_encoding, "gzip");
  if (!fresh) out.body().assign(content.data(), content.size());
  Finish(request, out);
  return out;
}

}  // namespace uitweg::net
