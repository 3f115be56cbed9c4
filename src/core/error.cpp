#include "core/error.hpp"

#include <stdexcept>

namespace uitweg::core {

std::string_view ErrcName(Errc code) {
  switch (code) {
    case Errc::invalid_argument: return "invalid_argument";
    case Errc::not_found: return "not_found";
    case Errc::already_exists: return "already_exists";
    case Errc::failed_precondition: return "failed_precondition";
    case Errc::permission_denied: return "permission_denied";
    case Errc::unauthenticated: return "unauthenticated";
    case Errc::resource_exhausted: return "resource_exhausted";
    case Errc::unavailable: return "unavailable";
    case Errc::deadline_exceeded: return "deadline_exceeded";
    case Errc::aborted: return "aborted";
    case Errc::internal: return "internal";
  }
  return "internal";
}

void throw_exception_from_error(const Error& error, const boost::source_location&) {
  throw std::runtime_error(std::string(ErrcName(error.code)) + ": " + error.message);
}

}  // namespace uitweg::core
