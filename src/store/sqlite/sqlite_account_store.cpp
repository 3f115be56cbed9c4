#include "store/sqlite/sqlite_account_store.hpp"

#include "store/sqlite/rows.hpp"

namespace uitweg::store::sqlite {
namespace {

// Inside the writer's transaction: replaces the account's secret, used steps and recovery codes.
Status WriteSecondFactor(Connection& db, std::int64_t id, const SecondFactor& factor) {
  auto update =
      db.Prepare("UPDATE staff_account SET totp_secret = ?2, totp_last_step = 0 WHERE id = ?1");
  if (!update) return update.error();
  update->Bind(1, id);
  if (factor.sealed_totp_secret.empty()) {
    update->BindNull(2);
  } else {
    update->BindBlob(2, factor.sealed_totp_secret);
  }
  UITWEG_TRY(update->Run());
  if (db.Changes() == 0) return core::Fail(core::Errc::not_found, "account not found");
  auto forget = db.Prepare("DELETE FROM staff_recovery_code WHERE account_id = ?1");
  if (!forget) return forget.error();
  UITWEG_TRY(forget->Bind(1, id).Run());
  for (const std::string& hash : factor.recovery_code_hashes) {
    auto insert =
        db.Prepare("INSERT INTO staff_recovery_code (account_id, code_hash) VALUES (?1, ?2)");
    if (!insert) return insert.error();
    UITWEG_TRY(insert->Bind(1, id).Bind(2, hash).Run());
  }
  return {};
}

}  // namespace

// --- staff accounts

Result<model::StaffAccount> SqliteAccountStore::CreateAccount(const NewStaffAccount& account) {
  return Create(account, false);
}

Result<model::StaffAccount> SqliteAccountStore::CreateFirstAccount(const NewStaffAccount& account) {
  return Create(account, true);
}

Result<model::StaffAccount> SqliteAccountStore::Create(const NewStaffAccount& account,
                                                       bool only_if_first) {
  if (account.username.empty() || account.password_hash.empty()) {
    return core::Fail(core::Errc::invalid_argument, "an account needs a username and a password");
  }
  return connections_->writer().Run<model::StaffAccount>(
      [&, only_if_first](Connection& db) -> Result<model::StaffAccount> {
        // One writer: nothing can come between the check and the insert.
        auto insert = db.Prepare(
            "INSERT INTO staff_account (username, role, display_name, password_hash, disabled, "
            "created_at) SELECT ?1, ?2, ?3, ?4, 0, ?5"
            " WHERE ?6 = 0 OR NOT EXISTS (SELECT 1 FROM staff_account)");
        if (!insert) return insert.error();
        insert->Bind(1, account.username)
            .Bind(2, model::RoleName(account.role))
            .Bind(3, account.display_name)
            .Bind(4, account.password_hash)
            .Bind(5, account.created_at)
            .Bind(6, std::int64_t{only_if_first ? 1 : 0});
        if (auto done = insert->Run(); !done) {
          if (done.error().code == core::Errc::already_exists) {
            return core::Fail(core::Errc::already_exists, "that username is taken");
          }
          return done.error();
        }
        if (db.Changes() == 0) {
          return core::Fail(core::Errc::failed_precondition, "an account exists already");
        }
        const std::int64_t id = db.LastInsertRowId();
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

Result<model::StaffAccount> SqliteAccountStore::FindAccount(std::int64_t id) {
  return connections_->WithReader([&](Connection& db) -> Result<model::StaffAccount> {
    static const std::string sql =
        std::string("SELECT ") + kAccountColumns + " FROM staff_account WHERE id = ?1";
    auto select = db.Prepare(sql);
    if (!select) return select.error();
    select->Bind(1, id);
    return ReadOne<model::StaffAccount>(*select, ReadAccount<Statement>, "account not found");
  });
}

Result<model::StaffAccount> SqliteAccountStore::FindAccountByUsername(std::string_view username) {
  return connections_->WithReader([&](Connection& db) -> Result<model::StaffAccount> {
    static const std::string sql =
        std::string("SELECT ") + kAccountColumns + " FROM staff_account WHERE username = ?1";
    auto select = db.Prepare(sql);
    if (!select) return select.error();
    select->Bind(1, username);
    return ReadOne<model::StaffAccount>(*select, ReadAccount<Statement>, "account not found");
  });
}

Result<std::int64_t> SqliteAccountStore::CountAccounts() {
  return connections_->WithReader([&](Connection& db) -> Result<std::int64_t> {
    auto select = db.Prepare("SELECT COUNT(*) FROM staff_account");
    if (!select) return select.error();
    return ReadOne<std::int64_t>(
        *select, [](const Statement& row) { return row.Int(0); }, "no count");
  });
}

Result<std::vector<model::StaffAccount>> SqliteAccountStore::ListAccounts() {
  static const std::string sql =
      std::string("SELECT ") + kAccountColumns + " FROM staff_account ORDER BY username";
  auto lease = connections_->readers().Acquire();
  auto select = lease->Prepare(sql);
  if (!select) return select.error();
  return ReadAll<model::StaffAccount>(*select, ReadAccount<Statement>);
}

namespace {

// After an update guarded by kLeavesAnAdmin changed nothing: why not.
Status NotChanged(Connection& db, std::int64_t id) {
  auto select = db.Prepare("SELECT COUNT(*) FROM staff_account WHERE id = ?1");
  if (!select) return select.error();
  select->Bind(1, id);
  UITWEG_TRY(select->Step());
  if (select->Int(0) == 0) return core::Fail(core::Errc::not_found, "account not found");
  return core::Fail(core::Errc::failed_precondition, kLastAdmin);
}

}  // namespace

Status SqliteAccountStore::SetAccountDisabled(std::int64_t id, bool disabled) {
  return connections_->writer().Run<void>([&](Connection& db) -> Status {
    auto update = db.Prepare(disabled ? std::string("UPDATE staff_account SET disabled = 1"
                                                    " WHERE id = ?1 AND ") +
                                            kLeavesAnAdmin
                                      : std::string("UPDATE staff_account SET disabled = 0"
                                                    " WHERE id = ?1"));
    if (!update) return update.error();
    UITWEG_TRY(update->Bind(1, id).Run());
    if (db.Changes() == 0) return NotChanged(db, id);
    if (!disabled) return {};
    auto void_links = db.Prepare("DELETE FROM account_setup WHERE account_id = ?1");
    if (!void_links) return void_links.error();
    return void_links->Bind(1, id).Run();
  });
}

Status SqliteAccountStore::SetPasswordHash(std::int64_t id, std::string_view password_hash) {
  if (password_hash.empty()) {
    return core::Fail(core::Errc::invalid_argument, "an account needs a password hash");
  }
  return connections_->writer().Run<void>([&](Connection& db) -> Status {
    auto update = db.Prepare("UPDATE staff_account SET password_hash = ?2 WHERE id = ?1");
    if (!update) return update.error();
    UITWEG_TRY(update->Bind(1, id).Bind(2, password_hash).Run());
    if (db.Changes() == 0) return core::Fail(core::Errc::not_found, "account not found");
    return {};
  });
}

Status SqliteAccountStore::ReplacePasswordHash(std::int64_t id, std::string_view from,
                                               std::string_view to) {
  if (to.empty())
    return core::Fail(core::Errc::invalid_argument, "an account needs a password hash");
  return connections_->writer().Run<void>([&](Connection& db) -> Status {
    auto update = db.Prepare(
        "UPDATE staff_account SET password_hash = ?3 WHERE id = ?1 AND password_hash = ?2");
    if (!update) return update.error();
    UITWEG_TRY(update->Bind(1, id).Bind(2, from).Bind(3, to).Run());
    if (db.Changes() == 0) return core::Fail(core::Errc::failed_precondition, kPasswordChanged);
    return {};
  });
}

Status SqliteAccountStore::SetSecondFactor(std::int64_t id, const SecondFactor& factor) {
  return connections_->writer().Run<void>(
      [&](Connection& db) -> Status { return WriteSecondFactor(db, id, factor); });
}

Result<bool> SqliteAccountStore::UseTotpStep(std::int64_t id, std::int64_t step) {
  return connections_->writer().Run<bool>([&](Connection& db) -> Result<bool> {
    auto update = db.Prepare(
        "UPDATE staff_account SET totp_last_step = ?2 WHERE id = ?1 AND totp_last_step < ?2");
    if (!update) return update.error();
    UITWEG_TRY(update->Bind(1, id).Bind(2, step).Run());
    return db.Changes() > 0;
  });
}

Result<bool> SqliteAccountStore::UseRecoveryCode(std::int64_t id, std::string_view code_hash) {
  return connections_->writer().Run<bool>([&](Connection& db) -> Result<bool> {
    auto remove =
        db.Prepare("DELETE FROM staff_recovery_code WHERE account_id = ?1 AND code_hash = ?2");
    if (!remove) return remove.error();
    UITWEG_TRY(remove->Bind(1, id).Bind(2, code_hash).Run());
    return db.Changes() > 0;
  });
}

Result<std::int64_t> SqliteAccountStore::CountRecoveryCodes(std::int64_t id) {
  return connections_->WithReader([&](Connection& db) -> Result<std::int64_t> {
    auto select = db.Prepare("SELECT COUNT(*) FROM staff_recovery_code WHERE account_id = ?1");
    if (!select) return select.error();
    select->Bind(1, id);
    return ReadOne<std::int64_t>(
        *select, [](const Statement& row) { return row.Int(0); }, "no count");
  });
}

Status SqliteAccountStore::SetRole(std::int64_t id, model::Role role) {
  return connections_->writer().Run<void>([&](Connection& db) -> Status {
    auto update = db.Prepare(
        std::string("UPDATE staff_account SET role = ?2 WHERE id = ?1 AND (?2 = 'admin' OR ") +
        kLeavesAnAdmin + ")");
    if (!update) return update.error();
    UITWEG_TRY(update->Bind(1, id).Bind(2, model::RoleName(role)).Run());
    if (db.Changes() == 0) return NotChanged(db, id);
    return {};
  });
}

Status SqliteAccountStore::RecordSignIn(std::int64_t id, UnixMillis at) {
  return connections_->writer().Run<void>([&](Connection& db) -> Status {
    auto update = db.Prepare("UPDATE staff_account SET last_sign_in_at = ?2 WHERE id = ?1");
    if (!update) return update.error();
    UITWEG_TRY(update->Bind(1, id).Bind(2, at).Run());
    if (db.Changes() == 0) return core::Fail(core::Errc::not_found, "account not found");
    return {};
  });
}

Status SqliteAccountStore::SetAvailability(std::int64_t id, model::Availability availability) {
  return connections_->writer().Run<void>([&](Connection& db) -> Status {
    UITWEG_TRY_ASSIGN(auto update,
                      db.Prepare("UPDATE staff_account SET availability = ?2 WHERE id = ?1"));
    UITWEG_TRY(update.Bind(1, id).Bind(2, model::AvailabilityName(availability)).Run());
    if (db.Changes() == 0) return core::Fail(core::Errc::not_found, "account not found");
    return {};
  });
}

Status SqliteAccountStore::SetCapacity(std::int64_t id, std::int32_t capacity) {
  if (capacity < 1 || capacity > model::kMaxCapacity) {
    return core::Fail(core::Errc::invalid_argument, "capacity must be from 1 to 20");
  }
  return connections_->writer().Run<void>([&](Connection& db) -> Status {
    UITWEG_TRY_ASSIGN(auto update,
                      db.Prepare("UPDATE staff_account SET capacity = ?2 WHERE id = ?1"));
    UITWEG_TRY(update.Bind(1, id).Bind(2, std::int64_t{capacity}).Run());
    if (db.Changes() == 0) return core::Fail(core::Errc::not_found, "account not found");
    return {};
  });
}

Status SqliteAccountStore::MarkConsoleSeen(std::span<const std::int64_t> ids, UnixMillis at) {
  if (ids.empty()) return {};
  return connections_->writer().Run<void>([&](Connection& db) -> Status {
    for (const std::int64_t id : ids) {
      UITWEG_TRY_ASSIGN(auto update,
                        db.Prepare("UPDATE staff_account SET console_seen_at = ?2 WHERE id = ?1"));
      UITWEG_TRY(update.Bind(1, id).Bind(2, at).Run());
    }
    return {};
  });
}

Status SqliteAccountStore::CreateSetup(const model::AccountSetup& setup) {
  return connections_->writer().Run<void>([&](Connection& db) -> Status {
    auto forget = db.Prepare("DELETE FROM account_setup WHERE account_id = ?1");
    if (!forget) return forget.error();
    UITWEG_TRY(forget->Bind(1, setup.account_id).Run());
    auto insert = db.Prepare(
        "INSERT INTO account_setup (token_hash, account_id, purpose, expires_at)"
        " VALUES (?1, ?2, ?3, ?4)");
    if (!insert) return insert.error();
    auto done = insert->Bind(1, setup.token_hash)
                    .Bind(2, setup.account_id)
                    .Bind(3, model::SetupPurposeName(setup.purpose))
                    .Bind(4, setup.expires_at)
                    .Run();
    if (!done && done.error().code == core::Errc::not_found) {
      return core::Fail(core::Errc::not_found, "account not found");
    }
    return done;
  });
}

Result<model::AccountSetup> SqliteAccountStore::FindSetup(std::string_view token_hash) {
  return connections_->WithReader([&](Connection& db) -> Result<model::AccountSetup> {
    auto select = db.Prepare(
        "SELECT token_hash, account_id, purpose, expires_at FROM account_setup"
        " WHERE token_hash = ?1");
    if (!select) return select.error();
    select->Bind(1, token_hash);
    return ReadOne<model::AccountSetup>(*select, ReadAccountSetup<Statement>, "link not found");
  });
}

Status SqliteAccountStore::DeleteSetup(std::string_view token_hash) {
  return connections_->writer().Run<void>([&](Connection& db) -> Status {
    auto remove = db.Prepare("DELETE FROM account_setup WHERE token_hash = ?1");
    if (!remove) return remove.error();
    UITWEG_TRY(remove->Bind(1, token_hash).Run());
    if (db.Changes() == 0)
      return core::Fail(core::Errc::not_found, "this link has been used already");
    return {};
  });
}

// --- staff sessions

Status SqliteAccountStore::CreateSession(const model::StaffSession& session) {
  if (session.token_hash.empty()) {
    return core::Fail(core::Errc::invalid_argument, "a session needs a token hash");
  }
  return connections_->writer().Run<void>([&](Connection& db) -> Status {
    auto insert = db.Prepare(
        "INSERT INTO staff_session (token_hash, account_id, csrf_token, created_at, "
        "last_seen_at) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!insert) return insert.error();
    insert->Bind(1, session.token_hash)
        .Bind(2, session.account_id)
        .Bind(3, session.csrf_token)
        .Bind(4, session.created_at)
        .Bind(5, session.last_seen_at);
    auto done = insert->Run();
    if (!done && done.error().code == core::Errc::not_found) {
      return core::Fail(core::Errc::not_found, "account not found");
    }
    return done;
  });
}

Result<model::StaffSession> SqliteAccountStore::FindSession(std::string_view token_hash) {
  return connections_->WithReader([&](Connection& db) -> Result<model::StaffSession> {
    static const std::string sql =
        std::string("SELECT ") + kSessionColumns + " FROM staff_session WHERE token_hash = ?1";
    auto select = db.Prepare(sql);
    if (!select) return select.error();
    select->Bind(1, token_hash);
    return ReadOne<model::StaffSession>(*select, ReadSession<Statement>, "session not found");
  });
}

Status SqliteAccountStore::TouchSession(std::string_view token_hash, UnixMillis now) {
  return connections_->writer().Run<void>([&](Connection& db) -> Status {
    auto update = db.Prepare(
        "UPDATE staff_session SET last_seen_at = MAX(last_seen_at, ?2) WHERE token_hash = ?1");
    if (!update) return update.error();
    UITWEG_TRY(update->Bind(1, token_hash).Bind(2, now).Run());
    if (db.Changes() == 0) return core::Fail(core::Errc::not_found, "session not found");
    return {};
  });
}

Status SqliteAccountStore::DeleteSession(std::string_view token_hash) {
  return connections_->writer().Run<void>([&](Connection& db) -> Status {
    auto remove = db.Prepare("DELETE FROM staff_session WHERE token_hash = ?1");
    if (!remove) return remove.error();
    UITWEG_TRY(remove->Bind(1, token_hash).Run());
    if (db.Changes() == 0) return core::Fail(core::Errc::not_found, "session not found");
    return {};
  });
}

Result<std::vector<model::StaffSession>> SqliteAccountStore::ListSessions(std::int64_t account_id) {
  static const std::string sql = std::string("SELECT ") + kSessionColumns +
                                 " FROM staff_session WHERE account_id = ?1"
                                 " ORDER BY created_at DESC, token_hash";
  auto lease = connections_->readers().Acquire();
  auto select = lease->Prepare(sql);
  if (!select) return select.error();
  select->Bind(1, account_id);
  return ReadAll<model::StaffSession>(
      *select,
      [](const Statement& row) -> Result<model::StaffSession> { return ReadSession(row); });
}

Result<std::int64_t> SqliteAccountStore::DeleteExpiredSessions(UnixMillis idle_before,
                                                               UnixMillis created_before) {
  return connections_->writer().Run<std::int64_t>([&](Connection& db) -> Result<std::int64_t> {
    auto remove =
        db.Prepare("DELETE FROM staff_session WHERE last_seen_at < ?1 OR created_at < ?2");
    if (!remove) return remove.error();
    UITWEG_TRY(remove->Bind(1, idle_before).Bind(2, created_before).Run());
    return static_cast<std::int64_t>(db.Changes());
  });
}

// --- the sign-in throttle

Status SqliteAccountStore::RecordSignInFailure(std::string_view key, UnixMillis at,
                                               UnixMillis forget_before) {
  return connections_->writer().Run<void>([&](Connection& db) -> Status {
    UITWEG_TRY_ASSIGN(auto forget, db.Prepare("DELETE FROM sign_in_failure WHERE at < ?1"));
    UITWEG_TRY(forget.Bind(1, forget_before).Run());
    UITWEG_TRY_ASSIGN(auto insert,
                      db.Prepare("INSERT INTO sign_in_failure (key, at) VALUES (?1, ?2)"));
    return insert.Bind(1, key).Bind(2, at).Run();
  });
}

Result<std::vector<UnixMillis>> SqliteAccountStore::SignInFailures(std::string_view key,
                                                                   UnixMillis since) {
  return connections_->WithReader([&](Connection& db) -> Result<std::vector<UnixMillis>> {
    UITWEG_TRY_ASSIGN(auto select, db.Prepare("SELECT at FROM sign_in_failure"
                                              " WHERE key = ?1 AND at >= ?2 ORDER BY at"));
    select.Bind(1, key).Bind(2, since);
    return ReadAll<UnixMillis>(
        select, [](const Statement& row) -> Result<UnixMillis> { return row.Int(0); });
  });
}

Status SqliteAccountStore::ClearSignInFailures(std::string_view key) {
  return connections_->writer().Run<void>([&](Connection& db) -> Status {
    UITWEG_TRY_ASSIGN(auto remove, db.Prepare("DELETE FROM sign_in_failure WHERE key = ?1"));
    return remove.Bind(1, key).Run();
  });
}

}  // namespace uitweg::store::sqlite
