#pragma once
// The one table from error codes to what the wire says: an HTTP status for responses, the
// code name for bodies and WebSocket error frames (docs/protocol.md, "Errors").

#include <string>

#include "core/error.hpp"

namespace uitweg::net {

unsigned HttpStatusFor(core::Errc code);

// {"error": {"code": "...", "message": "..."}}
std::string ErrorBody(std::string_view code, std::string_view message);
std::string ErrorBody(const core::Error& error);

// Seconds a client should wait after resource_exhausted (the Retry-After header).
inline constexpr int kRetryAfterSeconds = 60;

}  // namespace uitweg::net
