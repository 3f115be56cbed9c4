#include "auth/sessions.hpp"

#include <stdexcept>

#include "auth/account_rules.hpp"
#include "core/log.hpp"
#include "crypto/random.hpp"

namespace uitweg::auth {
namespace {

constexpr std::string_view kWrongCredentials = "wrong username, password or code";

core::Error Unauthenticated(std::string_view message) {
  return core::Fail(core::Errc::unauthenticated, std::string(message));
}

std::string MakeDummyHash(crypto::PasswordHasher& hasher) {
  auto hash = hasher.Hash(crypto::RandomToken());
  if (!hash) throw std::runtime_error("cannot hash the sign-in dummy password");
  return std::move(*hash);
}

}  // namespace

Sessions::Sessions(store::AccountStore& store, crypto::PasswordHasher& hasher,
                   const SecondFactors& factors, SignInLimiter& limiter, SessionOptions options,
                   AuditTrail* audit)
    : store_(store),
      hasher_(hasher),
      factors_(factors),
      limiter_(limiter),
      options_(options),
      log_key_(options_.account_log_key.empty() ? crypto::RandomBytes(32)
                                                : options_.account_log_key),
      audit_(audit),
      dummy_hash_(MakeDummyHash(hasher)) {}

bool Sessions::AuditThrottled(std::string_view client_key, core::UnixMillis now,
                              core::UnixMillis wait) {
  // Past this many clients throttled at once, only the log has them.
  constexpr std::size_t kThrottleAuditsKept = 4096;
  const std::string key(client_key);
  std::lock_guard lock(throttle_audit_mu_);
  if (auto found = throttle_audited_until_.find(key);
      found != throttle_audited_until_.end() && now < found->second) {
    return false;
  }
  if (throttle_audited_until_.size() >= kThrottleAuditsKept) {
    std::erase_if(throttle_audited_until_, [now](const auto& kept) { return kept.second <= now; });
    if (throttle_audited_until_.size() >= kThrottleAuditsKept) return false;
  }
  throttle_audited_until_[key] = now + wait;
  return true;
}

std::string LogKeyFrom(const crypto::Aead& master_key) {
  return crypto::KeyedHash(master_key.key(), "uitweg account log key");
}

std::string AccountLogName(std::string_view log_key, std::string_view username) {
  return crypto::KeyedHash(log_key, LowerAscii(username)).substr(0, 16);
}

core::Result<SignedIn> Sessions::SignIn(std::string_view username, std::string_view password,
                                        std::string_view code, std::string_view client_key,
                                        core::UnixMillis now) {
  // Only a name an account may have is looked up, so that the name counted below is the one the
  // account is found by (a database that ended a name at a NUL would let one account be guessed
  // at under endless names).
  const core::Result<std::string> valid = NormalizeUsername(username);
  const std::string name = valid ? *valid : LowerAscii(username);
  // Counted before the password is checked, so that parallel guesses cannot outrun the count.
  if (auto wait = limiter_.Admit(name, client_key, now)) {
    const auto seconds = static_cast<int>((*wait + 999) / 1000);
    core::Error throttled =
        core::Fail(core::Errc::resource_exhausted, "too many failed sign-ins; try again in " +
                                                       std::to_string(seconds) + " seconds");
    throttled.retry_after_seconds = seconds;
    const std::string account_key = AccountLogName(log_key_, name);
    core::Log(core::LogLevel::info, "auth.sign_in_throttled", {{"account_key", account_key}});
    if (audit_ != nullptr && AuditThrottled(client_key, now, *wait)) {
      (void)audit_->Record(Actor::Nobody(), audit_action::sign_in_failed, {},
                           "throttled " + account_key);
    }
    return throttled;
  }
  auto account =
      valid ? store_.FindAccountByUsername(name)
            : core::Result<model::StaffAccount>(core::Fail(core::Errc::not_found, "no such name"));
  if (!account && account.error().code != core::Errc::not_found) return account.error();

  // Always exactly one verification, against the real hash or the dummy one.
  auto verified = hasher_.Verify(account ? account->password_hash : dummy_hash_, password);
  if (account && !verified) {
    core::Log(core::LogLevel::warn, "auth.bad_stored_hash", {{"account", account->id}});
  }
  bool second_factor = false;
  if (account && verified && *verified) {
    UITWEG_TRY_ASSIGN(second_factor, factors_.Check(*account, code, now));
  }
  if (!second_factor) {
    core::Log(core::LogLevel::info, "auth.sign_in_failed",
              {{"account_key", AccountLogName(log_key_, name)}});
    if (audit_ != nullptr) {
      (void)audit_->Record(Actor::Nobody(), audit_action::sign_in_failed, {},
                           AccountLogName(log_key_, name));
    }
    return Unauthenticated(kWrongCredentials);
  }
  if (account->disabled) {
    core::Log(core::LogLevel::info, "auth.sign_in_disabled", {{"account", account->id}});
    // The right password and code for an account that was stopped: a sign of misuse that
    // belongs in the trail with the other refusals.
    if (audit_ != nullptr) {
      (void)audit_->Record(Actor::Staff(*account), audit_action::sign_in_failed, {},
                           "account disabled");
    }
    return Unauthenticated("this account is disabled");
  }

  if (hasher_.NeedsRehash(account->password_hash)) {
    // Made with weaker settings than today's: replace it while the password is at hand, unless
    // a reset replaced it meanwhile. A failure here only postpones the upgrade to the next
    // sign-in.
    auto fresh = hasher_.Hash(password);
    auto saved = fresh ? store_.ReplacePasswordHash(account->id, account->password_hash, *fresh)
                       : core::Status(fresh.error());
    if (saved) account->password_hash = std::move(*fresh);
    core::Log(saved ? core::LogLevel::info : core::LogLevel::warn, "auth.password_rehashed",
              {{"account", account->id}, {"ok", saved.has_value()}});
  }

  SignedIn signed_in{crypto::RandomToken(), crypto::RandomToken(), std::move(*account)};
  const std::string token_hash = crypto::HashToken(signed_in.session_token);
  auto created = store_.CreateSession(model::StaffSession{.token_hash = token_hash,
                                                          .account_id = signed_in.account.id,
                                                          .csrf_token = signed_in.csrf_token,
                                                          .created_at = now,
                                                          .last_seen_at = now});
  if (!created) return created.error();
  // The password and code were checked against the account as it was read before the (slow)
  // hashing. A reset of the password or the app, or a disable, may have come in between, and
  // its "end every session" found no session yet. It wrote before it listed the sessions, and
  // this session was stored before the account is read again, so one of the two sees the other.
  auto now_stored = store_.FindAccount(signed_in.account.id);
  if (!now_stored) {
    (void)store_.DeleteSession(token_hash);
    return now_stored.error().code == core::Errc::not_found ? Unauthenticated(kWrongCredentials)
                                                            : now_stored.error();
  }
  if (!StillAsChecked(signed_in.account, *now_stored, password)) {
    (void)store_.DeleteSession(token_hash);
    core::Log(core::LogLevel::info, "auth.sign_in_overtaken", {{"account", signed_in.account.id}});
    if (audit_ != nullptr) {
      (void)audit_->Record(Actor::Staff(signed_in.account), audit_action::sign_in_failed, {},
                           "reset or disabled while signing in");
    }
    return Unauthenticated(kWrongCredentials);
  }
  limiter_.Succeeded(name, client_key, now);
  if (auto noted = store_.RecordSignIn(signed_in.account.id, now); !noted) {
    core::Log(core::LogLevel::warn, "auth.last_sign_in_not_recorded",
              {{"code", core::ErrcName(noted.error().code)}});
  }
  signed_in.account.password_hash.clear();
  core::Log(core::LogLevel::info, "auth.signed_in", {{"account", signed_in.account.id}});
  if (audit_ != nullptr)
    (void)audit_->Record(Actor::Staff(signed_in.account), audit_action::sign_in);
  return signed_in;
}

bool Sessions::StillAsChecked(const model::StaffAccount& checked,
                              const model::StaffAccount& now_stored, std::string_view password) {
  if (now_stored.disabled) return false;
  if (now_stored.sealed_totp_secret != checked.sealed_totp_secret) {
    const auto before = factors_.Unseal(checked.username, checked.sealed_totp_secret);
    const auto after = factors_.Unseal(now_stored.username, now_stored.sealed_totp_secret);
    if (!before || !after || *before != *after) return false;
  }
  if (now_stored.password_hash != checked.password_hash) {
    const auto same = hasher_.Verify(now_stored.password_hash, password);
    if (!same || !*same) return false;
  }
  return true;
}

core::Result<Authenticated> Sessions::Authenticate(std::string_view session_token,
                                                   core::UnixMillis now, Activity activity) {
  if (session_token.empty()) return Unauthenticated("not signed in");
  const std::string token_hash = crypto::HashToken(session_token);
  auto session = store_.FindSession(token_hash);
  if (!session) {
    if (session.error().code == core::Errc::not_found) return Unauthenticated("not signed in");
    return session.error();
  }
  if (Expired(*session, now)) {
    (void)store_.DeleteSession(token_hash);
    return Unauthenticated("the session has expired; sign in again");
  }
  auto account = store_.FindAccount(session->account_id);
  if (!account) {
    if (account.error().code == core::Errc::not_found) return Unauthenticated("not signed in");
    return account.error();
  }
  if (account->disabled) {
    (void)store_.DeleteSession(token_hash);
    return Unauthenticated("this account is disabled");
  }
  if (activity == Activity::user && now - session->last_seen_at >= options_.touch_interval_ms) {
    if (auto touched = store_.TouchSession(token_hash, now); !touched) {
      if (touched.error().code == core::Errc::not_found) return Unauthenticated("not signed in");
      return touched.error();
    }
    session->last_seen_at = now;
  }
  account->password_hash.clear();
  return Authenticated{std::move(*account), std::move(*session)};
}

core::Result<std::vector<model::StaffSession>> Sessions::SessionsOf(std::int64_t account_id,
                                                                    core::UnixMillis now) {
  UITWEG_TRY_ASSIGN(std::vector<model::StaffSession> sessions, store_.ListSessions(account_id));
  std::erase_if(sessions,
                [&](const model::StaffSession& session) { return Expired(session, now); });
  return sessions;
}

bool Sessions::Expired(const model::StaffSession& session, core::UnixMillis now) const {
  return now - session.last_seen_at >= options_.idle_timeout_ms ||
         now - session.created_at >= options_.absolute_timeout_ms;
}

std::string Sessions::PublicId(std::string_view token_hash) {
  return std::string(token_hash.substr(0, 16));
}

core::Result<std::string> Sessions::EndSession(std::int64_t account_id, std::string_view id) {
  UITWEG_TRY_ASSIGN(const std::vector<model::StaffSession> sessions,
                    store_.ListSessions(account_id));
  for (const model::StaffSession& session : sessions) {
    if (id.size() == 16 && PublicId(session.token_hash) == id) {
      auto deleted = store_.DeleteSession(session.token_hash);
      if (!deleted && deleted.error().code != core::Errc::not_found) return deleted.error();
      core::Log(core::LogLevel::info, "auth.session_ended", {{"account", account_id}});
      return session.token_hash;
    }
  }
  return core::Fail(core::Errc::not_found, "no such session");
}

core::Result<std::int64_t> Sessions::PurgeExpired(core::UnixMillis now) {
  return store_.DeleteExpiredSessions(now - options_.idle_timeout_ms,
                                      now - options_.absolute_timeout_ms);
}

core::Status Sessions::SignOut(std::string_view session_token) {
  if (session_token.empty()) return {};
  auto deleted = store_.DeleteSession(crypto::HashToken(session_token));
  if (!deleted && deleted.error().code != core::Errc::not_found) return deleted;
  return {};
}

core::Status EndEverySession(store::AccountStore& store, std::int64_t account_id,
                             std::string_view keep) {
  UITWEG_TRY_ASSIGN(const std::vector<model::StaffSession> sessions,
                    store.ListSessions(account_id));
  for (const model::StaffSession& session : sessions) {
    if (!keep.empty() && session.token_hash == keep) continue;
    core::Status deleted = store.DeleteSession(session.token_hash);
    if (!deleted && deleted.error().code != core::Errc::not_found) return deleted.error();
  }
  return {};
}

}  // namespace uitweg::auth
