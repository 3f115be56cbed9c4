#pragma once
// Staff accounts and their sessions: the persistence contract of auth/. Every backend passes
// account_store_contract_test.
//
// Thread safety: every method may be called from any thread at once. Methods block until the
// work is done (writes: until committed durably), so call them from worker threads, never from
// an I/O thread.
//
// Errors: not_found when a named row does not exist; already_exists on a unique clash;
// invalid_argument for a missing required field; unavailable when the database cannot be
// reached; internal for anything else. Messages never carry tokens or hashes.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "model/staff.hpp"

namespace uitweg::store {

using core::Result;
using core::Status;
using core::UnixMillis;

// An account's second factor: the TOTP secret, sealed by the caller (the store keeps bytes it
// cannot read), and the hashes of its recovery codes.
struct SecondFactor {
  std::string sealed_totp_secret = {};
  std::vector<std::string> recovery_code_hashes = {};
};

struct NewStaffAccount {
  std::string username = {};
  model::Role role = model::Role::counsellor;
  std::string display_name = {};
  std::string password_hash = {};
  UnixMillis created_at = 0;
  SecondFactor second_factor = {};  // stored in the same transaction; may be empty
};

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  virtual Result<model::StaffAccount> CreateAccount(const NewStaffAccount& account) = 0;
  // CreateAccount, but only as the very first account: failed_precondition if any exists,
  // decided atomically even when several nodes try at once (the first administrator).
  virtual Result<model::StaffAccount> CreateFirstAccount(const NewStaffAccount& account) = 0;
  virtual Result<model::StaffAccount> FindAccount(std::int64_t id) = 0;
  virtual Result<model::StaffAccount> FindAccountByUsername(std::string_view username) = 0;
  virtual Result<std::int64_t> CountAccounts() = 0;
  // Every account, by username.
  virtual Result<std::vector<model::StaffAccount>> ListAccounts() = 0;
  // Disabling or demoting the last enabled administrator is failed_precondition (decided
  // atomically, also between nodes): somebody must stay able to manage the accounts. Disabling
  // deletes the account's setup link: enabled again, the account needs a new one.
  virtual Status SetAccountDisabled(std::int64_t id, bool disabled) = 0;
  virtual Status SetPasswordHash(std::int64_t id, std::string_view password_hash) = 0;
  // SetPasswordHash, but only while the stored hash is still `from` (decided atomically):
  // failed_precondition when it was changed meanwhile or the account is gone. For upgrading a
  // hash at sign-in, which must never undo a password reset made while the old one was checked.
  virtual Status ReplacePasswordHash(std::int64_t id, std::string_view from,
                                     std::string_view to) = 0;
  // not_found if the account does not exist.
  virtual Status SetRole(std::int64_t id, model::Role role) = 0;
  virtual Status RecordSignIn(std::int64_t id, UnixMillis at) = 0;
  // invalid_argument outside 1..model::kMaxCapacity; not_found for an unknown id.
  virtual Status SetCapacity(std::int64_t id, std::int32_t capacity) = 0;
  // not_found for an unknown id.
  virtual Status SetAvailability(std::int64_t id, model::Availability availability) = 0;
  // The consoles of these accounts are connected (to this node) at `at`; unknown ids are skipped.
  virtual Status MarkConsoleSeen(std::span<const std::int64_t> ids, UnixMillis at) = 0;

  // One-time account links. Creating one replaces every earlier link of the account.
  virtual Status CreateSetup(const model::AccountSetup& setup) = 0;
  // not_found for an unknown (or used) token hash; expiry is the caller's to check.
  virtual Result<model::AccountSetup> FindSetup(std::string_view token_hash) = 0;
  // Uses the link up: not_found when there was none (used already, or replaced), so that of two
  // uses at once only one goes on.
  virtual Status DeleteSetup(std::string_view token_hash) = 0;

  // Replaces the account's second factor in one transaction: the secret (empty: none), every
  // recovery code, and the record of used steps (a new secret starts afresh). not_found if the
  // account does not exist.
  virtual Status SetSecondFactor(std::int64_t id, const SecondFactor& factor) = 0;
  // Records that the TOTP code of `step` was accepted: true if `step` is later than every step
  // accepted before (decided atomically, on every node), false if it is not (a replay).
  virtual Result<bool> UseTotpStep(std::int64_t id, std::int64_t step) = 0;
  // Deletes the recovery code with this hash: true if the account had it, false if not (never
  // issued, or used already).
  virtual Result<bool> UseRecoveryCode(std::int64_t id, std::string_view code_hash) = 0;
  // How many unused recovery codes the account has.
  virtual Result<std::int64_t> CountRecoveryCodes(std::int64_t id) = 0;

  // not_found if the account does not exist.
  virtual Status CreateSession(const model::StaffSession& session) = 0;
  virtual Result<model::StaffSession> FindSession(std::string_view token_hash) = 0;
  // Moves last_seen_at forward to `now` (never back).
  virtual Status TouchSession(std::string_view token_hash, UnixMillis now) = 0;
  virtual Status DeleteSession(std::string_view token_hash) = 0;
  // The account's sessions, newest first.
  virtual Result<std::vector<model::StaffSession>> ListSessions(std::int64_t account_id) = 0;
  // Deletes every session last used before `idle_before` or created before `created_before`;
  // returns how many.
  virtual Result<std::int64_t> DeleteExpiredSessions(UnixMillis idle_before,
                                                     UnixMillis created_before) = 0;

  // The sign-in throttle's counts, shared by every node. `key` is opaque (a keyed hash the
  // throttle makes; never a name or an address). Recording also forgets every attempt, of any
  // key, before `forget_before`.
  virtual Status RecordSignInFailure(std::string_view key, UnixMillis at,
                                     UnixMillis forget_before) = 0;
  // The times of `key`'s failures at or after `since`, oldest first.
  virtual Result<std::vector<UnixMillis>> SignInFailures(std::string_view key,
                                                         UnixMillis since) = 0;
  virtual Status ClearSignInFailures(std::string_view key) = 0;
};

}  // namespace uitweg::store
