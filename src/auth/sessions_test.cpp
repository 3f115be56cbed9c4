#include "auth/sessions.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "auth/account_admin.hpp"
#include "auth/auth_test_support.hpp"
#include "auth/testing/forwarding_account_store.hpp"
#include "auth/testing/sign_in_codes.hpp"
#include "crypto/random.hpp"

namespace uitweg::auth {
namespace {

constexpr core::UnixMillis kMinute = 60 * 1000;
constexpr std::string_view kPassword = "lang genoeg ww";

class SessionsTest : public AuthTest {
 protected:
  void SetUp() override {
    AuthTest::SetUp();
    sessions_ = std::make_unique<Sessions>(*store_, hasher_, *factors_, limiter_);
    annas_factor_ = EnrolFor("anna");
    anna_ =
        accounts_->CreateAccount("anna", model::Role::counsellor, "Anna", kPassword, annas_factor_)
            .value();
    annas_codes_ = testing::SignInCodes(crypto::Base32Decode(annas_factor_.secret_base32).value(),
                                        annas_factor_.recovery_codes);
  }

  // Signs in with a fresh code of Anna's (whoever `user` is); a wrong password comes without
  // one, so that throttling tests do not use up her codes.
  core::Result<SignedIn> SignIn(std::string_view user, std::string_view password,
                                std::string_view client = "10.0.0.1") {
    const std::string code = password == kPassword ? annas_codes_.Next(clock_.Now()) : "";
    return sessions_->SignIn(user, password, code, client, clock_.Now());
  }
  core::Result<SignedIn> SignInWithCode(std::string_view code) {
    return sessions_->SignIn("anna", kPassword, code, "10.0.0.1", clock_.Now());
  }
  std::string CodeAt(core::UnixMillis at) {
    return crypto::TotpCode(crypto::Base32Decode(annas_factor_.secret_base32).value(),
                            crypto::TotpStep(at));
  }

  SignInLimiter limiter_;
  std::unique_ptr<Sessions> sessions_;
  Enrolment annas_factor_;
  testing::SignInCodes annas_codes_;
  model::StaffAccount anna_;
};

TEST_F(SessionsTest, SignInGivesTokensAndStoresOnlyTheHash) {
  auto signed_in = SignIn("Anna", kPassword);
  ASSERT_TRUE(signed_in) << signed_in.error().message;
  EXPECT_EQ(signed_in->account.id, anna_.id);
  EXPECT_TRUE(signed_in->account.password_hash.empty());
  EXPECT_EQ(signed_in->session_token.size(), 43u);
  EXPECT_EQ(signed_in->csrf_token.size(), 43u);
  EXPECT_NE(signed_in->session_token, signed_in->csrf_token);
  EXPECT_EQ(store_->FindSession(signed_in->session_token).error().code, core::Errc::not_found);
  const model::StaffSession stored =
      store_->FindSession(crypto::HashToken(signed_in->session_token)).value();
  EXPECT_EQ(stored.account_id, anna_.id);
  EXPECT_EQ(stored.csrf_token, signed_in->csrf_token);
}

TEST_F(SessionsTest, UnknownUserAndWrongPasswordLookTheSame) {
  auto wrong_password = SignIn("anna", "verkeerd wachtwoord");
  auto unknown_user = SignIn("nobody", kPassword);
  ASSERT_FALSE(wrong_password);
  ASSERT_FALSE(unknown_user);
  EXPECT_EQ(wrong_password.error().code, core::Errc::unauthenticated);
  EXPECT_EQ(unknown_user.error().code, wrong_password.error().code);
  EXPECT_EQ(unknown_user.error().message, wrong_password.error().message);
  EXPECT_EQ(SignIn("x", "").error().message, wrong_password.error().message);
}

TEST_F(SessionsTest, DisabledAccountIsRefused) {
  auto before = SignIn("anna", kPassword).value();
  ASSERT_TRUE(store_->SetAccountDisabled(anna_.id, true));
  auto signed_in = SignIn("anna", kPassword);
  ASSERT_FALSE(signed_in);
  EXPECT_EQ(signed_in.error().code, core::Errc::unauthenticated);
  EXPECT_NE(signed_in.error().message.find("disabled"), std::string::npos);
  EXPECT_EQ(sessions_->Authenticate(before.session_token, clock_.Now()).error().code,
            core::Errc::unauthenticated);
  ASSERT_TRUE(store_->SetAccountDisabled(anna_.id, false));
  EXPECT_FALSE(sessions_->Authenticate(before.session_token, clock_.Now()));
}

TEST_F(SessionsTest, ASignInToADisabledAccountIsAudited) {
  AuditTrail trail(*database_stores_.audit, clock_, "node-a");
  Sessions audited(*store_, hasher_, *factors_, limiter_, {}, &trail);
  ASSERT_TRUE(store_->SetAccountDisabled(anna_.id, true));
  ASSERT_FALSE(
      audited.SignIn("anna", kPassword, annas_codes_.Next(clock_.Now()), "10.0.0.9", clock_.Now()));
  const auto entries = database_stores_.audit->After(0, 10).value();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].action, audit_action::sign_in_failed);
  EXPECT_EQ(entries[0].account_id, anna_.id);
  EXPECT_EQ(entries[0].detail, "account disabled");
}

TEST_F(SessionsTest, FiveFailuresThrottleEvenTheRightPassword) {
  for (int i = 0; i < 5; ++i) ASSERT_FALSE(SignIn("anna", "verkeerd wachtwoord"));
  auto throttled = SignIn("anna", kPassword);
  ASSERT_FALSE(throttled);
  EXPECT_EQ(throttled.error().code, core::Errc::resource_exhausted);
  EXPECT_NE(throttled.error().message.find("900 seconds"), std::string::npos)
      << throttled.error().message;
  EXPECT_EQ(throttled.error().retry_after_seconds, 15 * 60);
  clock_.Advance(15 * kMinute);
  EXPECT_TRUE(SignIn("anna", kPassword));
}

// Refused attempts cost the sender nothing: each must not add to the append-only trail. The
// attempts that were checked are all there; the throttling once per client and wait.
TEST_F(SessionsTest, ThrottledAttemptsGoIntoTheAuditTrailOncePerWait) {
  AuditTrail trail(*database_stores_.audit, clock_, "node-a");
  Sessions audited(*store_, hasher_, *factors_, limiter_, {}, &trail);
  const auto entries = [&](std::string_view detail_start) {
    const auto found = database_stores_.audit->After(0, 1000).value();
    return std::count_if(found.begin(), found.end(), [&](const store::AuditEntry& entry) {
      return entry.detail.starts_with(detail_start);
    });
  };
  for (int i = 0; i < 30; ++i) {
    (void)audited.SignIn("anna", "verkeerd wachtwoord", "", "10.0.0.9", clock_.Now());
  }
  for (int i = 0; i < 30; ++i) {
    (void)audited.SignIn("naam" + std::to_string(i), "x", "", "10.0.0.9", clock_.Now());
  }
  EXPECT_EQ(entries("throttled "), 1);
  EXPECT_EQ(database_stores_.audit->After(0, 1000).value().size(), 20u + 1u)
      << "the 20 checked attempts and one throttling";
  clock_.Advance(16 * kMinute);
  for (int i = 0; i < 30; ++i) {
    (void)audited.SignIn("anna", "verkeerd wachtwoord", "", "10.0.0.9", clock_.Now());
  }
  EXPECT_EQ(entries("throttled "), 2);
}

TEST_F(SessionsTest, AuthenticateTouchesAndKeepsSessionAlive) {
  const SignedIn signed_in = SignIn("anna", kPassword).value();
  for (int i = 0; i < 4; ++i) {
    clock_.Advance(20 * kMinute);
    auto who = sessions_->Authenticate(signed_in.session_token, clock_.Now());
    ASSERT_TRUE(who) << i << ": " << who.error().message;
    EXPECT_EQ(who->account.username, "anna");
    EXPECT_TRUE(who->account.password_hash.empty());
    EXPECT_EQ(who->session.csrf_token, signed_in.csrf_token);
    EXPECT_EQ(who->session.last_seen_at, clock_.Now());
  }
}

TEST_F(SessionsTest, AutomaticActivityDoesNotKeepASessionAlive) {
  const SignedIn signed_in = SignIn("anna", kPassword).value();
  for (int i = 0; i < 5; ++i) {
    clock_.Advance(5 * kMinute);
    ASSERT_TRUE(
        sessions_->Authenticate(signed_in.session_token, clock_.Now(), Activity::automatic));
  }
  clock_.Advance(5 * kMinute);  // 30 minutes of pings only
  EXPECT_EQ(sessions_->Authenticate(signed_in.session_token, clock_.Now(), Activity::automatic)
                .error()
                .code,
            core::Errc::unauthenticated);
}

TEST_F(SessionsTest, StaffSeeTheirOwnSessionsAndEndOne) {
  const SignedIn phone = SignIn("anna", kPassword).value();
  clock_.Advance(kMinute);
  const SignedIn desk = SignIn("anna", kPassword).value();
  const auto sessions = sessions_->SessionsOf(anna_.id, clock_.Now()).value();
  ASSERT_EQ(sessions.size(), 2u);
  const std::string desk_id = Sessions::PublicId(crypto::HashToken(desk.session_token));
  EXPECT_EQ(Sessions::PublicId(sessions[0].token_hash), desk_id);
  EXPECT_EQ(desk_id.size(), 16u);

  EXPECT_EQ(sessions_->EndSession(anna_.id + 1, desk_id).error().code, core::Errc::not_found);
  EXPECT_EQ(sessions_->EndSession(anna_.id, desk_id).value(),
            crypto::HashToken(desk.session_token));
  EXPECT_FALSE(sessions_->Authenticate(desk.session_token, clock_.Now()));
  EXPECT_TRUE(sessions_->Authenticate(phone.session_token, clock_.Now()));
  EXPECT_EQ(sessions_->EndSession(anna_.id, desk_id).error().code, core::Errc::not_found);
}

TEST_F(SessionsTest, ExpiredSessionsArePurged) {
  const SignedIn first = SignIn("anna", kPassword).value();
  clock_.Advance(20 * kMinute);
  const SignedIn second = SignIn("anna", kPassword).value();
  clock_.Advance(15 * kMinute);  // the first is 35 minutes idle, the second 15
  const auto live = sessions_->SessionsOf(anna_.id, clock_.Now()).value();
  ASSERT_EQ(live.size(), 1u) << "an expired session is none, before the purge too";
  EXPECT_EQ(live[0].token_hash, crypto::HashToken(second.session_token));
  EXPECT_EQ(sessions_->PurgeExpired(clock_.Now()).value(), 1);
  EXPECT_EQ(store_->FindSession(crypto::HashToken(first.session_token)).error().code,
            core::Errc::not_found);
  EXPECT_TRUE(store_->FindSession(crypto::HashToken(second.session_token)));
}

TEST_F(SessionsTest, IdleSessionExpiresAndIsDeleted) {
  const SignedIn signed_in = SignIn("anna", kPassword).value();
  clock_.Advance(30 * kMinute);
  auto expired = sessions_->Authenticate(signed_in.session_token, clock_.Now());
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, core::Errc::unauthenticated);
  EXPECT_EQ(store_->FindSession(crypto::HashToken(signed_in.session_token)).error().code,
            core::Errc::not_found);
}

TEST_F(SessionsTest, SessionEndsAfterAbsoluteTimeoutDespiteUse) {
  const SignedIn signed_in = SignIn("anna", kPassword).value();
  // Used every 15 minutes, so never idle: alive until 12 hours after sign-in.
  for (int quarter = 1; quarter < 12 * 4; ++quarter) {
    clock_.Advance(15 * kMinute);
    ASSERT_TRUE(sessions_->Authenticate(signed_in.session_token, clock_.Now())) << quarter;
  }
  clock_.Advance(15 * kMinute);
  EXPECT_EQ(sessions_->Authenticate(signed_in.session_token, clock_.Now()).error().code,
            core::Errc::unauthenticated);
}

TEST_F(SessionsTest, SignOutEndsSession) {
  const SignedIn signed_in = SignIn("anna", kPassword).value();
  ASSERT_TRUE(sessions_->SignOut(signed_in.session_token));
  EXPECT_EQ(sessions_->Authenticate(signed_in.session_token, clock_.Now()).error().code,
            core::Errc::unauthenticated);
  EXPECT_TRUE(sessions_->SignOut(signed_in.session_token));
  EXPECT_TRUE(sessions_->SignOut(""));
}

TEST_F(SessionsTest, AMissingWrongOrReplayedCodeGetsTheSameAnswerAsAWrongPassword) {
  const core::Error wrong_password = SignIn("anna", "not the password").error();
  EXPECT_EQ(wrong_password.code, core::Errc::unauthenticated);
  for (const std::string& code : {std::string(""), std::string("000000x"), std::string("12345"),
                                  CodeAt(clock_.Now() - 120'000), std::string("aaaaa-aaaaa")}) {
    clock_.Advance(20 * kMinute);  // each attempt past the throttle of the ones before
    auto refused = SignInWithCode(code);
    ASSERT_FALSE(refused) << code;
    EXPECT_EQ(refused.error().code, wrong_password.code) << code;
    EXPECT_EQ(refused.error().message, wrong_password.message) << code;
  }
  clock_.Advance(20 * kMinute);
  const std::string code = CodeAt(clock_.Now());
  ASSERT_TRUE(SignInWithCode(code));
  auto replayed = SignInWithCode(code);
  ASSERT_FALSE(replayed);
  EXPECT_EQ(replayed.error().message, wrong_password.message);
}

TEST_F(SessionsTest, ARecoveryCodeSignsInOnce) {
  ASSERT_TRUE(SignInWithCode(annas_factor_.recovery_codes[0]));
  EXPECT_FALSE(SignInWithCode(annas_factor_.recovery_codes[0]));
  EXPECT_EQ(store_->CountRecoveryCodes(anna_.id).value(), 9);
}

TEST_F(SessionsTest, AnAccountWithoutASecondFactorCannotSignIn) {
  ASSERT_TRUE(store_->SetSecondFactor(anna_.id, store::SecondFactor{}));
  EXPECT_EQ(SignIn("anna", kPassword).error().code, core::Errc::unauthenticated);
}

TEST_F(SessionsTest, WeakerHashIsReplacedAtSignIn) {
  crypto::PasswordHasher stronger(crypto::PasswordHashOptions{.opslimit = 3, .max_concurrent = 1});
  Sessions upgraded(*store_, stronger, *factors_, limiter_);
  ASSERT_TRUE(stronger.NeedsRehash(store_->FindAccount(anna_.id).value().password_hash));
  ASSERT_TRUE(upgraded.SignIn("anna", kPassword, annas_codes_.Next(clock_.Now()), "10.0.0.1",
                              clock_.Now()));
  const std::string now_stored = store_->FindAccount(anna_.id).value().password_hash;
  EXPECT_FALSE(stronger.NeedsRehash(now_stored));
  EXPECT_NE(now_stored.find(",t=3,"), std::string::npos) << now_stored;
  EXPECT_TRUE(upgraded.SignIn("anna", kPassword, annas_codes_.Next(clock_.Now()), "10.0.0.1",
                              clock_.Now()));
}

// Runs `meanwhile` once, right after a sign-in has read the account: what an admin may do while
// the password is being checked.
class ResetWhileSigningIn : public testing::ForwardingAccountStore {
 public:
  using ForwardingAccountStore::ForwardingAccountStore;
  store::Result<model::StaffAccount> FindAccountByUsername(std::string_view username) override {
    auto found = ForwardingAccountStore::FindAccountByUsername(username);
    if (meanwhile) std::exchange(meanwhile, {})();
    return found;
  }
  std::function<void()> meanwhile;
};

TEST_F(SessionsTest, AnAppResetWhileTheSignInRunsLeavesItNoSession) {
  ResetWhileSigningIn store(*store_);
  Sessions sessions(store, hasher_, *factors_, limiter_);
  AccountAdmin admin(*store_, hasher_, *factors_, clock_);
  store.meanwhile = [&] { ASSERT_TRUE(admin.ResetSecondFactor(anna_.id)); };
  // The code of the phone that was just unlinked (the stolen one, say).
  auto signed_in =
      sessions.SignIn("anna", kPassword, annas_codes_.Next(clock_.Now()), "10.0.0.1", clock_.Now());
  ASSERT_FALSE(signed_in) << "a session made after the reset ended every session";
  EXPECT_EQ(signed_in.error().message, "wrong username, password or code");
  EXPECT_TRUE(store_->ListSessions(anna_.id).value().empty());
}

TEST_F(SessionsTest, APasswordResetWhileTheSignInRunsIsNotUndoneByTheHashUpgrade) {
  crypto::PasswordHasher stronger(crypto::PasswordHashOptions{.opslimit = 3, .max_concurrent = 1});
  ResetWhileSigningIn store(*store_);
  Sessions sessions(store, stronger, *factors_, limiter_);
  const std::string reset_hash = stronger.Hash("een heel nieuw wachtwoord").value();
  store.meanwhile = [&] {
    ASSERT_TRUE(store_->SetPasswordHash(anna_.id, reset_hash));
    ASSERT_TRUE(EndEverySession(*store_, anna_.id));
  };
  ASSERT_TRUE(stronger.NeedsRehash(store_->FindAccount(anna_.id).value().password_hash));
  auto signed_in =
      sessions.SignIn("anna", kPassword, annas_codes_.Next(clock_.Now()), "10.0.0.1", clock_.Now());
  EXPECT_FALSE(signed_in) << "the old password signed in after the reset";
  EXPECT_EQ(store_->FindAccount(anna_.id).value().password_hash, reset_hash)
      << "the upgrade of the old password's hash replaced the new password";
  EXPECT_TRUE(store_->ListSessions(anna_.id).value().empty());
}

TEST_F(SessionsTest, AnotherSignInsUpgradeOfTheSameHashMeanwhileRefusesNothing) {
  crypto::PasswordHasher stronger(crypto::PasswordHashOptions{.opslimit = 3, .max_concurrent = 1});
  ResetWhileSigningIn store(*store_);
  Sessions sessions(store, stronger, *factors_, limiter_);
  // The same password's hash, upgraded by a sign-in on another device at the same time.
  const std::string upgraded = stronger.Hash(kPassword).value();
  store.meanwhile = [&] { ASSERT_TRUE(store_->SetPasswordHash(anna_.id, upgraded)); };
  auto signed_in =
      sessions.SignIn("anna", kPassword, annas_codes_.Next(clock_.Now()), "10.0.0.1", clock_.Now());
  ASSERT_TRUE(signed_in) << signed_in.error().message;
  EXPECT_EQ(store_->FindAccount(anna_.id).value().password_hash, upgraded);
  EXPECT_EQ(store_->ListSessions(anna_.id).value().size(), 1u);
}

TEST_F(SessionsTest, ADisableWhileTheSignInRunsLeavesItNoSession) {
  ResetWhileSigningIn store(*store_);
  Sessions sessions(store, hasher_, *factors_, limiter_);
  store.meanwhile = [&] { ASSERT_TRUE(store_->SetAccountDisabled(anna_.id, true)); };
  EXPECT_FALSE(sessions.SignIn("anna", kPassword, annas_codes_.Next(clock_.Now()), "10.0.0.1",
                               clock_.Now()));
  EXPECT_TRUE(store_->ListSessions(anna_.id).value().empty());
}

TEST_F(SessionsTest, GarbageTokensAreUnauthenticated) {
  for (std::string_view token : {"", "x", "not-a-token-at-all", "\xff\xfe"}) {
    EXPECT_EQ(sessions_->Authenticate(token, clock_.Now()).error().code,
              core::Errc::unauthenticated);
  }
}

}  // namespace
}  // namespace uitweg::auth
