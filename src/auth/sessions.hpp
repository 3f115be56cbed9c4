#pragma once
// Staff sign-in, session checks and sign-out.
//
// A session is a random token (32 bytes, URL-safe base64) that goes into the staff cookie; the
// store keeps only its BLAKE2b hash, with a CSRF token and two times. A session ends after
// `idle_timeout_ms` without use or `absolute_timeout_ms` after sign-in, whichever comes first.
//
// Sign-in takes the password and a code of the account's second factor (second_factor.hpp) in
// one step. It leaks nothing about which usernames exist: an unknown username, a wrong password
// and a missing or wrong code get the same error, and an unknown username is verified against a
// dummy hash so that both cost one argon2id verification. Repeated failures are throttled by a
// SignInLimiter. A hash made with weaker settings than the hasher's is replaced on the next
// successful sign-in.
//
// Synchronous and blocking; call from a worker pool. Thread-safe. The store, hasher and
// limiter must outlive this object. Construction hashes once (the dummy hash).

#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "auth/audit_trail.hpp"
#include "auth/second_factor.hpp"
#include "auth/sign_in_limiter.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "crypto/aead.hpp"
#include "crypto/password_hasher.hpp"
#include "store/account_store.hpp"

namespace uitweg::auth {

struct SessionOptions {
  core::UnixMillis idle_timeout_ms = 30 * 60 * 1000;
  core::UnixMillis absolute_timeout_ms = 12 * 60 * 60 * 1000;
  // last_seen_at is written at most this often, so a busy console does not cost a durable
  // write per request; the idle timeout is exact to within this interval.
  core::UnixMillis touch_interval_ms = 30 * 1000;
  // The key under which failed and throttled sign-ins name the account in the log (a keyed
  // BLAKE2b hash, AccountLogKey): the same on every node and across restarts when derived from
  // the master key (LogKeyFrom), so that an operator can follow one account without the log
  // holding names. Empty: a random key for this process.
  std::string account_log_key = {};
};

// The log key of SessionOptions derived from the master key.
std::string LogKeyFrom(const crypto::Aead& master_key);
// How the log names `username` under `log_key` (uitweg user log-name prints it).
std::string AccountLogName(std::string_view log_key, std::string_view username);

struct SignedIn {
  std::string session_token;  // raw; for the cookie only, never logged or stored
  std::string csrf_token;
  model::StaffAccount account;  // password_hash cleared
};

// Whether a request is something the staff member did (and so keeps the session from going
// idle) or something their console does by itself (a ping, a check).
enum class Activity { user, automatic };

struct Authenticated {
  model::StaffAccount account;  // password_hash cleared
  model::StaffSession session;
};

// Signs the account out everywhere (its password or second factor was reset, it is enabled again)
// but the session whose token hash is `keep` (an admin resetting their own app stays signed in
// to use its link); its open consoles close at their next session check. A session that ended
// meanwhile (signed out, expired) is no error.
core::Status EndEverySession(store::AccountStore& store, std::int64_t account_id,
                             std::string_view keep = {});

class Sessions {
 public:
  // `audit` (may be null) records sign-ins and failed ones.
  Sessions(store::AccountStore& store, crypto::PasswordHasher& hasher, const SecondFactors& factors,
           SignInLimiter& limiter, SessionOptions options = {}, AuditTrail* audit = nullptr);

  // unauthenticated "wrong username, password or code" for an unknown user, a wrong password,
  // or a `code` that is neither a fresh TOTP code nor an unused recovery code of the account;
  // unauthenticated "this account is disabled" (only after the right password);
  // resource_exhausted "... try again in N seconds" while throttled (the error's
  // retry_after_seconds is the real wait); unavailable when the store is down. `client_key`
  // identifies the client for throttling (e.g. its address); it is hashed and kept in memory only.
  core::Result<SignedIn> SignIn(std::string_view username, std::string_view password,
                                std::string_view code, std::string_view client_key,
                                core::UnixMillis now);

  // The account behind a session token; user activity touches the session (automatic activity
  // does not, so that an open console left alone still times out). unauthenticated when the
  // token is unknown, the session has timed out (it is then deleted) or the account is
  // disabled.
  core::Result<Authenticated> Authenticate(std::string_view session_token, core::UnixMillis now,
                                           Activity activity = Activity::user);

  // Ends the session; succeeds also when there was none.
  core::Status SignOut(std::string_view session_token);

  // The account's sessions that have not expired at `now` (an expired one lingers in the store
  // until PurgeExpired), newest first.
  core::Result<std::vector<model::StaffSession>> SessionsOf(std::int64_t account_id,
                                                            core::UnixMillis now);
  // Ends the account's session whose PublicId is `id`; returns its token hash (to close its
  // sockets). not_found when the account has no such session.
  core::Result<std::string> EndSession(std::int64_t account_id, std::string_view id);
  // Deletes every session that has timed out; returns how many.
  core::Result<std::int64_t> PurgeExpired(core::UnixMillis now);

  // What a staff member sees of a session: a prefix of its token's hash, which tells nothing
  // of the token.
  static std::string PublicId(std::string_view token_hash);

 private:
  bool Expired(const model::StaffSession& session, core::UnixMillis now) const;
  // Whether `now_stored` still takes the password and the app a sign-in checked against
  // `checked`: a reset or a disable in between says no; a hash another sign-in upgraded, or a
  // secret sealed again under a new master key, still says yes.
  bool StillAsChecked(const model::StaffAccount& checked, const model::StaffAccount& now_stored,
                      std::string_view password);

  store::AccountStore& store_;
  crypto::PasswordHasher& hasher_;
  const SecondFactors& factors_;
  SignInLimiter& limiter_;
  const SessionOptions options_;
  const std::string log_key_;
  // Whether a refusal by the throttle goes into the audit trail: once per client until its wait
  // is over, so that refused attempts (which cost the sender nothing, whatever name they try)
  // cannot grow the trail without end. What the trail gets past the throttle is bounded by the
  // password checks it admits.
  bool AuditThrottled(std::string_view client_key, core::UnixMillis now, core::UnixMillis wait);

  AuditTrail* const audit_;
  const std::string dummy_hash_;
  std::mutex throttle_audit_mu_;
  // Client key -> until when its throttling is in the trail; at most kThrottleAuditsKept.
  std::unordered_map<std::string, core::UnixMillis> throttle_audited_until_;
};

}  // namespace uitweg::auth
