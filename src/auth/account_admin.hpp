#pragma once
// Account administration for admins: invite a colleague, change a role, disable and enable,
// reset a password or a second factor. Admins never see or set a password: an invitation or a
// reset makes a one-time link (valid kSetupLinkLifetimeMs) through which the colleague chooses
// their password and enrols their authenticator app themselves (Enrol, then Complete).
//
// A reset of the second factor removes the old one at once (a lost phone must stop working
// now); a reset password keeps the old one working until the link is used. Either ends every
// session of the account, the second factor's at once, the password's when the link is used
// (whoever held the old ones may be signed in; EndEverySession in auth/sessions.hpp).
// Every change is recorded in the audit trail by the caller (api/admin_api.cpp).
//
// Blocking (password hashing, the store); call from a worker. Thread-safe. The store, accounts
// helpers and clock must outlive this object.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/second_factor.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "crypto/password_hasher.hpp"
#include "model/staff.hpp"
#include "store/account_store.hpp"

namespace uitweg::auth {

inline constexpr core::UnixMillis kSetupLinkLifetimeMs = 72 * 60 * 60 * 1000;

struct Invited {
  model::StaffAccount account;
  std::string setup_token;  // for the link; shown once to the admin, stored only hashed
};

// What a link lets its holder do, as the set-up page needs to know it.
struct SetupInfo {
  std::string username;
  model::SetupPurpose purpose;
};

struct Completed {
  model::StaffAccount account;
  std::vector<std::string> recovery_codes;  // when a second factor was enrolled; shown once
};

class AccountAdmin {
 public:
  AccountAdmin(store::AccountStore& store, crypto::PasswordHasher& hasher,
               const SecondFactors& factors, const core::Clock& clock)
      : store_(store), hasher_(hasher), factors_(factors), clock_(clock) {}

  // A new account that cannot sign in until its link is used. invalid_argument when a field
  // breaks the rules; already_exists for a taken username.
  core::Result<Invited> Invite(std::string_view username, model::Role role,
                               std::string_view display_name);
  // A fresh link for an existing account (replacing any earlier one). not_found for an unknown
  // account. An account without an app gets a link that also enrols one (new_account): a new
  // password alone would not let it sign in. So an invitation that expired is sent again.
  core::Result<std::string> ResetPassword(std::int64_t account_id);
  // Ends the account's sessions but `keep` (the token hash of the admin's own, when they reset
  // their own app). An account that has neither an app nor ever signed in never finished its
  // invitation, and its password is nobody's: its link sets up both (new_account).
  core::Result<std::string> ResetSecondFactor(std::int64_t account_id, std::string_view keep = {});

  // What the link is for. unauthenticated when it is unknown, used or expired.
  core::Result<SetupInfo> Describe(std::string_view token);
  // A TOTP secret for the link's account (for new_account and second_factor links). A
  // `password` given for a link that sets one is checked first (invalid_argument, as Complete
  // would), so that the page can say so before the app is linked.
  core::Result<Enrolment> Enrol(std::string_view token, std::string_view password = {});
  // Uses the link: sets `password` (new_account, password) and the second factor of
  // `sealed_secret` once `code` confirms it (new_account, second_factor). unauthenticated for a
  // bad link; invalid_argument for a password that breaks the rules or a wrong code (the link
  // stays usable).
  core::Result<Completed> Complete(std::string_view token, std::string_view password,
                                   std::string_view sealed_secret, std::string_view code);

 private:
  core::Result<std::string> NewLink(std::int64_t account_id, model::SetupPurpose purpose);
  core::Result<std::pair<model::AccountSetup, model::StaffAccount>> Open(std::string_view token);

  store::AccountStore& store_;
  crypto::PasswordHasher& hasher_;
  const SecondFactors& factors_;
  const core::Clock& clock_;
};

}  // namespace uitweg::auth
