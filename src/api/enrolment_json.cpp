#include "api/enrolment_json.hpp"

#include "crypto/random.hpp"
#include "qr/qr_code.hpp"

namespace uitweg::api {

core::Result<boost::json::object> EnrolmentJson(const auth::Enrolment& enrolment) {
  UITWEG_TRY_ASSIGN(const qr::QrCode code, qr::QrCode::Encode(enrolment.otpauth_uri));
  boost::json::object out;
  out["secret"] = enrolment.secret_base32;
  out["otpauth_uri"] = enrolment.otpauth_uri;
  out["qr_svg"] = code.Svg("QR code for the authenticator app");
  // No node keeps the secret meanwhile: the browser hands it back, sealed.
  out["enrolment"] = crypto::Base64UrlEncode(enrolment.stored.sealed_totp_secret);
  return out;
}

}  // namespace uitweg::api
