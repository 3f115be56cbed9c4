#pragma once
// Creating staff accounts: checks the fields against account_rules.hpp, hashes the password
// with argon2id and stores the account with its second factor.
//
// Synchronous and blocking (hashing takes tens of milliseconds by design); call it from a
// worker pool. Thread-safe. The store, hasher and clock must outlive this object.

#include <string_view>

#include "auth/second_factor.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "crypto/password_hasher.hpp"
#include "store/account_store.hpp"

namespace uitweg::auth {

class Accounts {
 public:
  Accounts(store::AccountStore& store, crypto::PasswordHasher& hasher, const core::Clock& clock)
      : store_(store), hasher_(hasher), clock_(clock) {}

  // The stored account, with password_hash cleared, and with the second factor of
  // `second_factor` (SecondFactors::Enrol for this username) stored in the same transaction.
  // invalid_argument when a field breaks the rules; already_exists when the (lower-cased)
  // username is taken.
  core::Result<model::StaffAccount> CreateAccount(std::string_view username, model::Role role,
                                                  std::string_view display_name,
                                                  std::string_view password,
                                                  const Enrolment& second_factor);
  // The first administrator (display name = username): failed_precondition if any account
  // exists, decided atomically even when several nodes try at once.
  core::Result<model::StaffAccount> CreateFirstAdmin(std::string_view username,
                                                     std::string_view password,
                                                     const Enrolment& second_factor);

 private:
  core::Result<model::StaffAccount> Create(std::string_view username, model::Role role,
                                           std::string_view display_name, std::string_view password,
                                           const Enrolment& second_factor, bool only_if_first);

  store::AccountStore& store_;
  crypto::PasswordHasher& hasher_;
  const core::Clock& clock_;
};

}  // namespace uitweg::auth
