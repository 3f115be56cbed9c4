#pragma once
// An AccountStore that hands every call to another one. A test derives from it and overrides the
// call it needs to watch or interrupt (to let an admin act between two steps of a sign-in, say).

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "store/account_store.hpp"

namespace uitweg::auth::testing {

class ForwardingAccountStore : public store::AccountStore {
 public:
  explicit ForwardingAccountStore(store::AccountStore& inner) : inner_(inner) {}

  store::Result<model::StaffAccount> CreateAccount(const store::NewStaffAccount& account) override {
    return inner_.CreateAccount(account);
  }
  store::Result<model::StaffAccount> CreateFirstAccount(
      const store::NewStaffAccount& account) override {
    return inner_.CreateFirstAccount(account);
  }
  store::Result<model::StaffAccount> FindAccount(std::int64_t id) override {
    return inner_.FindAccount(id);
  }
  store::Result<model::StaffAccount> FindAccountByUsername(std::string_view username) override {
    return inner_.FindAccountByUsername(username);
  }
  store::Result<std::int64_t> CountAccounts() override { return inner_.CountAccounts(); }
  store::Result<std::vector<model::StaffAccount>> ListAccounts() override {
    return inner_.ListAccounts();
  }
  store::Status SetAccountDisabled(std::int64_t id, bool disabled) override {
    return inner_.SetAccountDisabled(id, disabled);
  }
  store::Status SetPasswordHash(std::int64_t id, std::string_view password_hash) override {
    return inner_.SetPasswordHash(id, password_hash);
  }
  store::Status ReplacePasswordHash(std::int64_t id, std::string_view from,
                                    std::string_view to) override {
    return inner_.ReplacePasswordHash(id, from, to);
  }
  store::Status SetRole(std::int64_t id, model::Role role) override {
    return inner_.SetRole(id, role);
  }
  store::Status RecordSignIn(std::int64_t id, store::UnixMillis at) override {
    return inner_.RecordSignIn(id, at);
  }
  store::Status SetCapacity(std::int64_t id, std::int32_t capacity) override {
    return inner_.SetCapacity(id, capacity);
  }
  store::Status SetAvailability(std::int64_t id, model::Availability availability) override {
    return inner_.SetAvailability(id, availability);
  }
  store::Status MarkConsoleSeen(std::span<const std::int64_t> ids, store::UnixMillis at) override {
    return inner_.MarkConsoleSeen(ids, at);
  }
  store::Status CreateSetup(const model::AccountSetup& setup) override {
    return inner_.CreateSetup(setup);
  }
  store::Result<model::AccountSetup> FindSetup(std::string_view token_hash) override {
    return inner_.FindSetup(token_hash);
  }
  store::Status DeleteSetup(std::string_view token_hash) override {
    return inner_.DeleteSetup(token_hash);
  }
  store::Status SetSecondFactor(std::int64_t id, const store::SecondFactor& factor) override {
    return inner_.SetSecondFactor(id, factor);
  }
  store::Result<bool> UseTotpStep(std::int64_t id, std::int64_t step) override {
    return inner_.UseTotpStep(id, step);
  }
  store::Result<bool> UseRecoveryCode(std::int64_t id, std::string_view code_hash) override {
    return inner_.UseRecoveryCode(id, code_hash);
  }
  store::Result<std::int64_t> CountRecoveryCodes(std::int64_t id) override {
    return inner_.CountRecoveryCodes(id);
  }
  store::Status CreateSession(const model::StaffSession& session) override {
    return inner_.CreateSession(session);
  }
  store::Result<model::StaffSession> FindSession(std::string_view token_hash) override {
    return inner_.FindSession(token_hash);
  }
  store::Status TouchSession(std::string_view token_hash, store::UnixMillis now) override {
    return inner_.TouchSession(token_hash, now);
  }
  store::Status DeleteSession(std::string_view token_hash) override {
    return inner_.DeleteSession(token_hash);
  }
  store::Result<std::vector<model::StaffSession>> ListSessions(std::int64_t account_id) override {
    return inner_.ListSessions(account_id);
  }
  store::Result<std::int64_t> DeleteExpiredSessions(store::UnixMillis idle_before,
                                                    store::UnixMillis created_before) override {
    return inner_.DeleteExpiredSessions(idle_before, created_before);
  }
  store::Status RecordSignInFailure(std::string_view key, store::UnixMillis at,
                                    store::UnixMillis forget_before) override {
    return inner_.RecordSignInFailure(key, at, forget_before);
  }
  store::Result<std::vector<store::UnixMillis>> SignInFailures(std::string_view key,
                                                               store::UnixMillis since) override {
    return inner_.SignInFailures(key, since);
  }
  store::Status ClearSignInFailures(std::string_view key) override {
    return inner_.ClearSignInFailures(key);
  }

 private:
  store::AccountStore& inner_;
};

}  // namespace uitweg::auth::testing
