#pragma once
// The first administrator of a fresh installation. While the store has no staff accounts at
// all, Begin makes a one-time random setup token that lives only in this object's memory (the
// server prints it at start-up, like a router's first-boot password). Whoever presents it may
// create the first admin account; after that the token is gone and the path is closed.
//
// Thread-safe; Redeem is serialised so that two people racing with the token cannot both
// create an admin. The store and accounts must outlive this object.

#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "auth/accounts.hpp"
#include "core/error.hpp"
#include "store/account_store.hpp"

namespace uitweg::auth {

class FirstAdminSetup {
 public:
  FirstAdminSetup(store::AccountStore& store, Accounts& accounts)
      : store_(store), accounts_(accounts) {}

  // If the store has no accounts: a fresh setup token (replacing any earlier one), to show to
  // the operator. nullopt when accounts exist already. unavailable if the store is down.
  core::Result<std::optional<std::string>> Begin();

  // true while a setup token is outstanding and the store still has no accounts.
  bool Needed();

  // Creates the first admin (display name = username). unauthenticated when `token` is not the
  // outstanding token (or there is none); failed_precondition when an account exists by now
  // (the token is then discarded); invalid_argument when the username or password breaks the
  // account rules (the token stays valid for another try).
  core::Result<model::StaffAccount> Redeem(std::string_view token, std::string_view username,
                                           std::string_view password);

 private:
  store::AccountStore& store_;
  Accounts& accounts_;

  // Guarded by mutex_:
  std::mutex mutex_;
  std::optional<std::string> token_;
};

}  // namespace uitweg::auth
