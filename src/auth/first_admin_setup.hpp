#pragma once
// The first administrator of a fresh installation. While the store has no staff accounts at
// all, Begin makes a one-time random setup token that lives only in this object's memory (the
// server prints it at start-up, like a router's first-boot password) and expires after an hour.
// Whoever presents it may create the first admin account, enrolled in TOTP like every account;
// after that the token is gone and the path is closed.
//
// Set-up takes two steps, so that the admin-to-be proves that their authenticator app holds
// the secret before anything is stored: Enrol hands out a secret (sealed, for the browser to
// hand back) and Redeem takes it back with the first code.
//
// Thread-safe; Redeem is serialised so that two people racing with the token cannot both
// create an admin. The store, accounts, second factors and clock must outlive this object.

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/accounts.hpp"
#include "auth/second_factor.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "store/account_store.hpp"

namespace uitweg::auth {

inline constexpr core::UnixMillis kSetupTokenLifetimeMs = 60 * 60 * 1000;

struct FirstAdmin {
  model::StaffAccount account;              // password_hash cleared
  std::vector<std::string> recovery_codes;  // to show once
};

class FirstAdminSetup {
 public:
  FirstAdminSetup(store::AccountStore& store, Accounts& accounts, const SecondFactors& factors,
                  const core::Clock& clock)
      : store_(store), accounts_(accounts), factors_(factors), clock_(clock) {}

  // If the store has no accounts: a fresh setup token (replacing any earlier one), to show to
  // the operator. nullopt when accounts exist already. unavailable if the store is down.
  core::Result<std::optional<std::string>> Begin();

  enum class State {
    open,    // an unexpired setup token is outstanding and the store still has no accounts
    closed,  // no accounts, but no token here: it expired (or this node never made one)
    done,    // an account exists (or the store cannot say: nothing is offered then)
  };
  State Now();
  // Now() == State::open.
  bool Needed() { return Now() == State::open; }

  // A TOTP secret for the admin-to-be (nothing is stored). failed_precondition once an account
  // exists, whatever the token; unauthenticated when `token` is not the outstanding token;
  // invalid_argument when the username or password breaks the account
  // rules, so that the form can say so before the app is linked.
  core::Result<Enrolment> Enrol(std::string_view token, std::string_view username,
                                std::string_view password);

  // Creates the first admin (display name = username) with the second factor of `sealed_secret`
  // (from Enrol), once `code` shows that an app holds it; that code is then used up.
  // failed_precondition when an account exists by now, whatever the token (which is then
  // discarded); unauthenticated when `token` is not the outstanding token (or it expired);
  // invalid_argument when the username or password breaks the account rules, the secret is not
  // this username's, or the code is wrong (the token stays valid for another try).
  core::Result<FirstAdmin> Redeem(std::string_view token, std::string_view username,
                                  std::string_view password, std::string_view sealed_secret,
                                  std::string_view code);

 private:
  // Requires mutex_.
  core::Status CheckToken(std::string_view token);

  store::AccountStore& store_;
  Accounts& accounts_;
  const SecondFactors& factors_;
  const core::Clock& clock_;

  // Guarded by mutex_:
  std::mutex mutex_;
  std::optional<std::string> token_;
  core::UnixMillis token_issued_at_ = 0;
  bool done_ = false;  // an account was seen: accounts are never all deleted
};

}  // namespace uitweg::auth
