#include "net/error_status.hpp"

#include <boost/json.hpp>

#include "core/utf8.hpp"

namespace uitweg::net {

unsigned HttpStatusFor(core::Errc code) {
  using core::Errc;
  switch (code) {
    case Errc::invalid_argument: return 400;
    case Errc::unauthenticated: return 401;
    case Errc::permission_denied: return 403;
    case Errc::not_found: return 404;
    case Errc::already_exists:
    case Errc::failed_precondition:
    case Errc::aborted: return 409;
    case Errc::resource_exhausted: return 429;
    case Errc::internal: return 500;
    case Errc::unavailable: return 503;
    case Errc::deadline_exceeded: return 504;
  }
  return 500;
}

std::string ErrorBody(std::string_view code, std::string_view message) {
  boost::json::object error;
  error["code"] = code;
  // A message may quote what a client sent (a query parameter's name, say): the body stays valid
  // JSON, whose text is UTF-8.
  error["message"] = core::ValidUtf8Prefix(message);
  boost::json::object body;
  body["error"] = std::move(error);
  return boost::json::serialize(body);
}

std::string ErrorBody(const core::Error& error) {
  return ErrorBody(core::ErrcName(error.code), error.message);
}

}  // namespace uitweg::net
