#pragma once
// The PostgreSQL AccountStore: writes go through the group-commit writer, reads through the
// pool. Thread safety and errors: as AccountStore.

#include <memory>

#include "store/account_store.hpp"
#include "store/postgres/connections.hpp"

namespace uitweg::store::postgres {

class PostgresAccountStore final : public AccountStore {
 public:
  explicit PostgresAccountStore(std::shared_ptr<Connections> connections)
      : connections_(std::move(connections)) {}

  Result<model::StaffAccount> CreateAccount(const NewStaffAccount& account) override;
  Result<model::StaffAccount> CreateFirstAccount(const NewStaffAccount& account) override;
  Result<model::StaffAccount> FindAccount(std::int64_t id) override;
  Result<model::StaffAccount> FindAccountByUsername(std::string_view username) override;
  Result<std::int64_t> CountAccounts() override;
  Result<std::vector<model::StaffAccount>> ListAccounts() override;
  Status SetAccountDisabled(std::int64_t id, bool disabled) override;
  Status SetPasswordHash(std::int64_t id, std::string_view password_hash) override;
  Status ReplacePasswordHash(std::int64_t id, std::string_view from, std::string_view to) override;
  Status SetRole(std::int64_t id, model::Role role) override;
  Status RecordSignIn(std::int64_t id, UnixMillis at) override;
  Status SetCapacity(std::int64_t id, std::int32_t capacity) override;
  Status SetAvailability(std::int64_t id, model::Availability availability) override;
  Status MarkConsoleSeen(std::span<const std::int64_t> ids, UnixMillis at) override;
  Status CreateSetup(const model::AccountSetup& setup) override;
  Result<model::AccountSetup> FindSetup(std::string_view token_hash) override;
  Status DeleteSetup(std::string_view token_hash) override;
  Status SetSecondFactor(std::int64_t id, const SecondFactor& factor) override;
  Result<bool> UseTotpStep(std::int64_t id, std::int64_t step) override;
  Result<bool> UseRecoveryCode(std::int64_t id, std::string_view code_hash) override;
  Result<std::int64_t> CountRecoveryCodes(std::int64_t id) override;

  Status CreateSession(const model::StaffSession& session) override;
  Result<model::StaffSession> FindSession(std::string_view token_hash) override;
  Status TouchSession(std::string_view token_hash, UnixMillis now) override;
  Status DeleteSession(std::string_view token_hash) override;
  Result<std::vector<model::StaffSession>> ListSessions(std::int64_t account_id) override;
  Result<std::int64_t> DeleteExpiredSessions(UnixMillis idle_before,
                                             UnixMillis created_before) override;

  Status RecordSignInFailure(std::string_view key, UnixMillis at,
                             UnixMillis forget_before) override;
  Result<std::vector<UnixMillis>> SignInFailures(std::string_view key, UnixMillis since) override;
  Status ClearSignInFailures(std::string_view key) override;

 private:
  Result<model::StaffAccount> Create(const NewStaffAccount& account, bool only_if_first);
  // Runs one UPDATE or DELETE; not_found with `missing` when it touched no row (unless
  // `missing` is null).
  Status ChangeOne(std::string_view sql, std::initializer_list<Param> params, const char* missing);
  // Runs an UPDATE of account `id` guarded by kLeavesAnAdmin, one node at a time:
  // failed_precondition when the guard refused it.
  Status ChangeLeavingAnAdmin(const std::string& sql, std::initializer_list<Param> params,
                              std::int64_t id);

  std::shared_ptr<Connections> connections_;
};

}  // namespace uitweg::store::postgres
