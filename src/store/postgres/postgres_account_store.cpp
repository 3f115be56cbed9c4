#include "store/postgres/postgres_account_store.hpp"

#include <string>
#include <vector>

#include "store/rows.hpp"

namespace uitweg::store::postgres {
namespace {

// pg_advisory_xact_lock's key for creating the first account ("uitweg", 2).
constexpr std::int64_t kFirstAccountLock = 0x7569747765670002;
// pg_advisory_xact_lock's key for taking away an administrator ("uitweg", 5).
constexpr std::int64_t kAdminsLock = 0x7569747765670005;

// Inside the writer's transaction: replaces the account's secret, used steps and recovery codes.
Status WriteSecondFactor(Connection& db, std::int64_t id, const SecondFactor& factor) {
  UITWEG_TRY_ASSIGN(
      Rows updated,
      db.Query("UPDATE staff_account SET totp_secret = $2, totp_last_step = 0 WHERE id = $1",
               {id, factor.sealed_totp_secret.empty() ? Param::Null()
                                                      : Param::Bytes(factor.sealed_totp_secret)}));
  if (updated.affected() == 0) return core::Fail(core::Errc::not_found, "account not found");
  UITWEG_TRY(db.Query("DELETE FROM staff_recovery_code WHERE account_id = $1", {id}));
  for (const std::string& hash : factor.recovery_code_hashes) {
    UITWEG_TRY(db.Query("INSERT INTO staff_recovery_code (account_id, code_hash) VALUES ($1, $2)",
                        {id, hash}));
  }
  return {};
}

}  // namespace
Status PostgresAccountStore::ChangeOne(std::string_view sql, std::initializer_list<Param> params,
                                       const char* missing) {
  // The parameters view the caller's values, which live until this returns.
  const std::vector<Param> copied(params);
  return connections_->writer().Run<void>([&](Connection& db) -> Status {
    UITWEG_TRY_ASSIGN(Rows changed, db.Query(sql, std::span<const Param>(copied)));
    if (changed.affected() == 0 && missing != nullptr) {
      return core::Fail(core::Errc::not_found, missing);
    }
    return {};
  });
}

// --- staff accounts

Result<model::StaffAccount> PostgresAccountStore::CreateAccount(const NewStaffAccount& account) {
  return Create(account, false);
}

Result<model::StaffAccount> PostgresAccountStore::CreateFirstAccount(
    const NewStaffAccount& account) {
  return Create(account, true);
}

Result<model::StaffAccount> PostgresAccountStore::Create(const NewStaffAccount& account,
                                                         bool only_if_first) {
  if (account.username.empty() || account.password_hash.empty()) {
    return core::Fail(core::Errc::invalid_argument, "an account needs a username and a password");
  }
  return connections_->writer().Run<model::StaffAccount>(
      [&, only_if_first](Connection& db) -> Result<model::StaffAccount> {
        // Nodes trying at once queue on this lock until the first one's insert has committed;
        // the check that follows then sees it.
        if (only_if_first) {
          UITWEG_TRY(db.Query("SELECT pg_advisory_xact_lock($1)", {kFirstAccountLock}));
        }
        auto inserted = db.Query(
            "INSERT INTO staff_account (username, role, display_name, password_hash, disabled, "
            "created_at) SELECT $1, $2, $3, $4, 0, $5"
            " WHERE NOT $6 OR NOT EXISTS (SELECT 1 FROM staff_account) RETURNING id",
            {account.username, model::RoleName(account.role), account.display_name,
             account.password_hash, account.created_at, only_if_first ? "t" : "f"});
        if (!inserted) {
          if (inserted.error().code == core::Errc::already_exists) {
            return core::Fail(core::Errc::already_exists, "that username is taken");
          }
          return inserted.error();
        }
        if (inserted->empty()) {
          return core::Fail(core::Errc::failed_precondition, "an account exists already");
        }
        const std::int64_t id = (*inserted)[0].Int(0);
        UITWEG_TRY(WriteSecondFactor(db, id, account.second_factor));
        return model::StaffAccount{.id = id,
                                   .username = account.username,
                                   .role = account.role,
                                   .display_name = account.display_name,
                                   .password_hash = account.password_hash,
                                   .disabled = false,
                                   .created_at = account.created_at,
                                   .sealed_totp_secret = account.second_factor.sealed_totp_secret};
      });
}

Result<model::StaffAccount> PostgresAccountStore::FindAccount(std::int64_t id) {
  static const std::string sql =
      std::string("SELECT ") + kAccountColumns + " FROM staff_account WHERE id = $1";
  return connections_->WithReader([&](Connection& db) -> Result<model::StaffAccount> {
    UITWEG_TRY_ASSIGN(Rows rows, db.Query(sql, {id}));
    return ReadOne<model::StaffAccount>(rows, ReadAccount<Row>, "account not found");
  });
}

Result<model::StaffAccount> PostgresAccountStore::FindAccountByUsername(std::string_view username) {
  static const std::string sql =
      std::string("SELECT ") + kAccountColumns + " FROM staff_account WHERE username = $1";
  return connections_->WithReader([&](Connection& db) -> Result<model::StaffAccount> {
    UITWEG_TRY_ASSIGN(Rows rows, db.Query(sql, {username}));
    return ReadOne<model::StaffAccount>(rows, ReadAccount<Row>, "account not found");
  });
}

Result<std::int64_t> PostgresAccountStore::CountAccounts() {
  return connections_->WithReader([&](Connection& db) -> Result<std::int64_t> {
    UITWEG_TRY_ASSIGN(Rows rows, db.Query("SELECT COUNT(*) FROM staff_account"));
    return rows[0].Int(0);
  });
}

Result<std::vector<model::StaffAccount>> PostgresAccountStore::ListAccounts() {
  static const std::string sql =
      std::string("SELECT ") + kAccountColumns + " FROM staff_account ORDER BY username";
  return connections_->WithReader([&](Connection& db) -> Result<std::vector<model::StaffAccount>> {
    UITWEG_TRY_ASSIGN(Rows rows, db.Query(sql));
    return ReadAll<model::StaffAccount>(rows, ReadAccount<Row>);
  });
}

Status PostgresAccountStore::SetAccountDisabled(std::int64_t id, bool disabled) {
  if (!disabled) {
    return ChangeOne("UPDATE staff_account SET disabled = 0 WHERE id = $1", {id},
                     "account not found");
  }
  // Its setup links go with it: disabling is how an admin stops one that went astray.
  return ChangeLeavingAnAdmin(
      std::string("WITH voided AS (DELETE FROM account_setup WHERE account_id = $1"
                  " AND EXISTS (SELECT 1 FROM staff_account WHERE id = $1 AND ") +
          kLeavesAnAdmin + ")) UPDATE staff_account SET disabled = 1 WHERE id = $1 AND " +
          kLeavesAnAdmin,
      {id}, id);
}

Status PostgresAccountStore::ChangeLeavingAnAdmin(const std::string& sql,
                                                  std::initializer_list<Param> params,
                                                  std::int64_t id) {
  const std::vector<Param> copied(params);
  return connections_->writer().Run<void>([&](Connection& db) -> Status {
    // Two nodes demoting each other's admin at once would each still see the other one.
    UITWEG_TRY(LockForTransaction(db, kAdminsLock));
    UITWEG_TRY_ASSIGN(Rows changed, db.Query(sql, std::span<const Param>(copied)));
    if (changed.affected() > 0) return {};
    UITWEG_TRY_ASSIGN(Rows found, db.Query("SELECT 1 FROM staff_account WHERE id = $1", {id}));
    if (found.empty()) return core::Fail(core::Errc::not_found, "account not found");
    return core::Fail(core::Errc::failed_precondition, kLastAdmin);
  });
}

Status PostgresAccountStore::SetPasswordHash(std::int64_t id, std::string_view password_hash) {
  if (password_hash.empty()) {
    return core::Fail(core::Errc::invalid_argument, "an account needs a password hash");
  }
  return ChangeOne("UPDATE staff_account SET password_hash = $2 WHERE id = $1", {id, password_hash},
                   "account not found");
}

Status PostgresAccountStore::ReplacePasswordHash(std::int64_t id, std::string_view from,
                                                 std::string_view to) {
  if (to.empty())
    return core::Fail(core::Errc::invalid_argument, "an account needs a password hash");
  return connections_->writer().Run<void>([&](Connection& db) -> Status {
    UITWEG_TRY_ASSIGN(Rows changed, db.Query("UPDATE staff_account SET password_hash = $3"
                                             " WHERE id = $1 AND password_hash = $2",
                                             {id, from, to}));
    if (changed.affected() == 0)
      return core::Fail(core::Errc::failed_precondition, kPasswordChanged);
    return {};
  });
}

Status PostgresAccountStore::SetSecondFactor(std::int64_t id, const SecondFactor& factor) {
  return connections_->writer().Run<void>(
      [&](Connection& db) -> Status { return WriteSecondFactor(db, id, factor); });
}

Result<bool> PostgresAccountStore::UseTotpStep(std::int64_t id, std::int64_t step) {
  return connections_->writer().Run<bool>([&](Connection& db) -> Result<bool> {
    UITWEG_TRY_ASSIGN(Rows updated, db.Query("UPDATE staff_account SET totp_last_step = $2"
                                             " WHERE id = $1 AND totp_last_step < $2",
                                             {id, step}));
    return updated.affected() > 0;
  });
}

Result<bool> PostgresAccountStore::UseRecoveryCode(std::int64_t id, std::string_view code_hash) {
  return connections_->writer().Run<bool>([&](Connection& db) -> Result<bool> {
    UITWEG_TRY_ASSIGN(
        Rows deleted,
        db.Query("DELETE FROM staff_recovery_code WHERE account_id = $1 AND code_hash = $2",
                 {id, code_hash}));
    return deleted.affected() > 0;
  });
}

Result<std::int64_t> PostgresAccountStore::CountRecoveryCodes(std::int64_t id) {
  return connections_->WithReader([&](Connection& db) -> Result<std::int64_t> {
    UITWEG_TRY_ASSIGN(
        Rows rows,
        db.Query("SELECT COUNT(*) FROM staff_recovery_code WHERE account_id = $1", {id}));
    return rows[0].Int(0);
  });
}

Status PostgresAccountStore::SetRole(std::int64_t id, model::Role role) {
  return ChangeLeavingAnAdmin(
      std::string("UPDATE staff_account SET role = $2 WHERE id = $1 AND ($2 = 'admin' OR ") +
          kLeavesAnAdmin + ")",
      {id, model::RoleName(role)}, id);
}

Status PostgresAccountStore::RecordSignIn(std::int64_t id, UnixMillis at) {
  return ChangeOne("UPDATE staff_account SET last_sign_in_at = $2 WHERE id = $1", {id, at},
                   "account not found");
}

Status PostgresAccountStore::SetCapacity(std::int64_t id, std::int32_t capacity) {
  if (capacity < 1 || capacity > model::kMaxCapacity) {
    return core::Fail(core::Errc::invalid_argument, "capacity must be from 1 to 20");
  }
  return ChangeOne("UPDATE staff_account SET capacity = $2 WHERE id = $1", {id, capacity},
                   "account not found");
}

Status PostgresAccountStore::SetAvailability(std::int64_t id, model::Availability availability) {
  return ChangeOne("UPDATE staff_account SET availability = $2 WHERE id = $1",
                   {id, model::AvailabilityName(availability)}, "account not found");
}

Status PostgresAccountStore::MarkConsoleSeen(std::span<const std::int64_t> ids, UnixMillis at) {
  if (ids.empty()) return {};
  return connections_->writer().Run<void>([&](Connection& db) -> Status {
    for (const std::int64_t id : ids) {
      UITWEG_TRY(db.Query("UPDATE staff_account SET console_seen_at = $2 WHERE id = $1", {id, at}));
    }
    return {};
  });
}

Status PostgresAccountStore::CreateSetup(const model::AccountSetup& setup) {
  return connections_->writer().Run<void>([&](Connection& db) -> Status {
    UITWEG_TRY(db.Query("DELETE FROM account_setup WHERE account_id = $1", {setup.account_id}));
    auto inserted = db.Query(
        "INSERT INTO account_setup (token_hash, account_id, purpose, expires_at)"
        " VALUES ($1, $2, $3, $4)",
        {setup.token_hash, setup.account_id, model::SetupPurposeName(setup.purpose),
         setup.expires_at});
    if (inserted) return {};
    if (inserted.error().code == core::Errc::not_found) {
      return core::Fail(core::Errc::not_found, "account not found");
    }
    return inserted.error();
  });
}

Result<model::AccountSetup> PostgresAccountStore::FindSetup(std::string_view token_hash) {
  return connections_->WithReader([&](Connection& db) -> Result<model::AccountSetup> {
    UITWEG_TRY_ASSIGN(Rows rows, db.Query("SELECT token_hash, account_id, purpose, expires_at"
                                          " FROM account_setup WHERE token_hash = $1",
                                          {token_hash}));
    return ReadOne<model::AccountSetup>(rows, ReadAccountSetup<Row>, "link not found");
  });
}

Status PostgresAccountStore::DeleteSetup(std::string_view token_hash) {
  return ChangeOne("DELETE FROM account_setup WHERE token_hash = $1", {token_hash},
                   "this link has been used already");
}

// --- staff sessions

Status PostgresAccountStore::CreateSession(const model::StaffSession& session) {
  if (session.token_hash.empty()) {
    return core::Fail(core::Errc::invalid_argument, "a session needs a token hash");
  }
  return connections_->writer().Run<void>([&](Connection& db) -> Status {
    auto inserted = db.Query(
        "INSERT INTO staff_session (token_hash, account_id, csrf_token, created_at, "
        "last_seen_at) VALUES ($1, $2, $3, $4, $5)",
        {session.token_hash, session.account_id, session.csrf_token, session.created_at,
         session.last_seen_at});
    if (inserted) return {};
    if (inserted.error().code == core::Errc::not_found) {
      return core::Fail(core::Errc::not_found, "account not found");
    }
    return inserted.error();
  });
}

Result<model::StaffSession> PostgresAccountStore::FindSession(std::string_view token_hash) {
  static const std::string sql =
      std::string("SELECT ") + kSessionColumns + " FROM staff_session WHERE token_hash = $1";
  return connections_->WithReader([&](Connection& db) -> Result<model::StaffSession> {
    UITWEG_TRY_ASSIGN(Rows rows, db.Query(sql, {token_hash}));
    return ReadOne<model::StaffSession>(
        rows, [](const Row& row) -> Result<model::StaffSession> { return ReadSession(row); },
        "session not found");
  });
}

Status PostgresAccountStore::TouchSession(std::string_view token_hash, UnixMillis now) {
  return ChangeOne(
      "UPDATE staff_session SET last_seen_at = GREATEST(last_seen_at, $2) WHERE token_hash = $1",
      {token_hash, now}, "session not found");
}

Status PostgresAccountStore::DeleteSession(std::string_view token_hash) {
  return ChangeOne("DELETE FROM staff_session WHERE token_hash = $1", {token_hash},
                   "session not found");
}

Result<std::vector<model::StaffSession>> PostgresAccountStore::ListSessions(
    std::int64_t account_id) {
  static const std::string sql = std::string("SELECT ") + kSessionColumns +
                                 " FROM staff_session WHERE account_id = $1"
                                 " ORDER BY created_at DESC, token_hash COLLATE \"C\"";
  return connections_->WithReader([&](Connection& db) -> Result<std::vector<model::StaffSession>> {
    UITWEG_TRY_ASSIGN(Rows rows, db.Query(sql, {account_id}));
    return ReadAll<model::StaffSession>(
        rows, [](const Row& row) -> Result<model::StaffSession> { return ReadSession(row); });
  });
}

Result<std::int64_t> PostgresAccountStore::DeleteExpiredSessions(UnixMillis idle_before,
                                                                 UnixMillis created_before) {
  return connections_->writer().Run<std::int64_t>([&](Connection& db) -> Result<std::int64_t> {
    UITWEG_TRY_ASSIGN(
        Rows deleted,
        db.Query("DELETE FROM staff_session WHERE last_seen_at < $1 OR created_at < $2",
                 {idle_before, created_before}));
    return static_cast<std::int64_t>(deleted.affected());
  });
}

// --- the sign-in throttle

Status PostgresAccountStore::RecordSignInFailure(std::string_view key, UnixMillis at,
                                                 UnixMillis forget_before) {
  return connections_->writer().Run<void>([&](Connection& db) -> Status {
    UITWEG_TRY(db.Query("DELETE FROM sign_in_failure WHERE at < $1", {forget_before}));
    UITWEG_TRY(db.Query("INSERT INTO sign_in_failure (key, at) VALUES ($1, $2)", {key, at}));
    return {};
  });
}

Result<std::vector<UnixMillis>> PostgresAccountStore::SignInFailures(std::string_view key,
                                                                     UnixMillis since) {
  return connections_->WithReader([&](Connection& db) -> Result<std::vector<UnixMillis>> {
    UITWEG_TRY_ASSIGN(Rows rows, db.Query("SELECT at FROM sign_in_failure"
                                          " WHERE key = $1 AND at >= $2 ORDER BY at",
                                          {key, since}));
    return ReadAll<UnixMillis>(rows,
                               [](const Row& row) -> Result<UnixMillis> { return row.Int(0); });
  });
}

Status PostgresAccountStore::ClearSignInFailures(std::string_view key) {
  return ChangeOne("DELETE FROM sign_in_failure WHERE key = $1", {key}, nullptr);
}

}  // namespace uitweg::store::postgres
