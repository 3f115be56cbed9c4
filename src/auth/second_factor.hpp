#pragma once
// The second factor of every staff account: a TOTP secret (crypto/totp.hpp) that every
// authenticator app can hold, and ten recovery codes for the day the phone is lost.
//
// The secret is sealed with the master key before the store sees it, bound to the username, so
// a database copy without the key file reveals no secret and a sealed secret moved to another
// row does not open. Recovery codes are shown once, at enrolment; the store keeps their hashes,
// keyed with the (sealed) secret, so that a database copy cannot test guesses at them either.
// Each TOTP step and each recovery code is accepted once, on every node (the store decides).
//
// Thread-safe. The store and the master key must outlive this object.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "crypto/master_key.hpp"
#include "model/staff.hpp"
#include "store/account_store.hpp"
#include "store/sealed_secret_store.hpp"

namespace uitweg::auth {

inline constexpr int kRecoveryCodes = 10;
inline constexpr char kTotpIssuer[] = "Uitweg";

// What a person typed in the code field, recognised: six digits are a TOTP code, ten letters
// and digits of base32 (in any case, with or without the dash) a recovery code.
struct TypedCode {
  enum class Kind { totp, recovery };
  Kind kind;
  std::string normalised;  // six digits, or ten lower-case base32 characters
};
std::optional<TypedCode> ParseTypedCode(std::string_view typed);

// A new second factor, not yet stored.
struct Enrolment {
  std::string secret_base32;                // for typing into an app by hand
  std::string otpauth_uri;                  // for the QR code
  std::vector<std::string> recovery_codes;  // "xxxxx-xxxxx", shown once
  store::SecondFactor stored;               // what the store keeps: sealed secret, code hashes
};

using store::TotpSecretAad;

class SecondFactors {
 public:
  SecondFactors(store::AccountStore& store, const crypto::MasterKeys& master_keys)
      : store_(store), master_keys_(master_keys) {}

  // A fresh secret and recovery codes for `username` (normalised as account_rules.hpp says;
  // invalid_argument if it breaks the rules). Stores nothing.
  core::Result<Enrolment> Enrol(std::string_view username) const;
  // The enrolment whose sealed secret is `sealed` (an earlier Enrol's, handed to a browser and
  // back), with fresh recovery codes; invalid_argument if it was not sealed for this username.
  core::Result<Enrolment> Resume(std::string_view username, std::string_view sealed) const;

  // The TOTP secret inside a sealed form; invalid_argument if it does not open for `username`.
  core::Result<std::string> Unseal(std::string_view username, std::string_view sealed) const;

  // The step of `typed` if it is the enrolment's TOTP code around `now`: the proof that an
  // authenticator app holds the secret before the enrolment is stored.
  std::optional<std::int64_t> Confirms(const Enrolment& enrolment, std::string_view typed,
                                       core::UnixMillis now) const;

  // Whether `typed` is a code the account may sign in with now: its TOTP code for a step
  // around `now` that was not accepted before, or one of its unused recovery codes (which is
  // then used up). false for anything else, including an account without a second factor.
  core::Result<bool> Check(const model::StaffAccount& account, std::string_view typed,
                           core::UnixMillis now) const;

  // Replaces the account's second factor with `enrolment`'s.
  core::Status Store(std::int64_t account_id, const Enrolment& enrolment) const;

 private:
  Enrolment MakeEnrolment(const std::string& username, const std::string& secret) const;

  store::AccountStore& store_;
  const crypto::MasterKeys& master_keys_;
};

}  // namespace uitweg::auth
