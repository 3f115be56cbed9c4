#pragma once
// A TOTP enrolment as the set-up pages receive it (docs/protocol.md, "First administrator"):
// the key, its otpauth:// URI, that URI as a QR code drawn by the server, and the secret sealed
// for the browser to send back with the first code. Shared by the first administrator's set-up
// and the account links.

#include <boost/json/object.hpp>

#include "auth/second_factor.hpp"
#include "core/error.hpp"

namespace uitweg::api {

core::Result<boost::json::object> EnrolmentJson(const auth::Enrolment& enrolment);

}  // namespace uitweg::api
