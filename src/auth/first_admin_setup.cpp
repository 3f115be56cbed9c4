#include "auth/first_admin_setup.hpp"

#include "auth/account_rules.hpp"
#include "core/log.hpp"
#include "crypto/random.hpp"

namespace uitweg::auth {

core::Result<std::optional<std::string>> FirstAdminSetup::Begin() {
  std::lock_guard lock(mutex_);
  auto count = store_.CountAccounts();
  if (!count) return count.error();
  if (*count > 0) {
    token_.reset();
    return std::optional<std::string>();
  }
  token_ = crypto::RandomToken();
  token_issued_at_ = clock_.Now();
  core::Log(core::LogLevel::info, "auth.first_admin_setup_open");
  return token_;
}

FirstAdminSetup::State FirstAdminSetup::Now() {
  std::lock_guard lock(mutex_);
  const bool token_valid = token_ && clock_.Now() - token_issued_at_ < kSetupTokenLifetimeMs;
  auto count = store_.CountAccounts();
  if (!count) return token_valid ? State::open : State::done;
  if (*count > 0) return State::done;
  return token_valid ? State::open : State::closed;
}

core::Status FirstAdminSetup::CheckToken(std::string_view token) {
  // Said before the token is judged: one of two people setting up at once, who finds the other
  // done (and the token gone with it), is told that, not that the link is wrong.
  if (!done_) {
    auto count = store_.CountAccounts();
    if (!count) return count.error();
    done_ = *count > 0;
  }
  if (done_) {
    token_.reset();
    return core::Fail(core::Errc::failed_precondition, "an account exists already");
  }
  if (!token_ ||
      !crypto::ConstantTimeEquals(crypto::HashToken(token), crypto::HashToken(*token_))) {
    return core::Fail(core::Errc::unauthenticated, "the setup token is not valid");
  }
  if (clock_.Now() - token_issued_at_ >= kSetupTokenLifetimeMs) {
    token_.reset();
    core::Log(core::LogLevel::info, "auth.first_admin_setup_expired");
    return core::Fail(core::Errc::unauthenticated,
                      "the setup token has expired; restart the server for a new one");
  }
  return {};
}

core::Result<Enrolment> FirstAdminSetup::Enrol(std::string_view token, std::string_view username,
                                               std::string_view password) {
  {
    std::lock_guard lock(mutex_);
    UITWEG_TRY(CheckToken(token));
  }
  UITWEG_TRY_ASSIGN(const std::string name, NormalizeUsername(username));
  UITWEG_TRY(CheckPassword(password, name));
  return factors_.Enrol(name);
}

core::Result<FirstAdmin> FirstAdminSetup::Redeem(std::string_view token, std::string_view username,
                                                 std::string_view password,
                                                 std::string_view sealed_secret,
                                                 std::string_view code) {
  std::lock_guard lock(mutex_);
  UITWEG_TRY(CheckToken(token));
  UITWEG_TRY_ASSIGN(Enrolment enrolment, factors_.Resume(username, sealed_secret));
  const auto step = factors_.Confirms(enrolment, code, clock_.Now());
  if (!step) {
    return core::Fail(core::Errc::invalid_argument,
                      "the code does not match; check the time on the phone and try the next one");
  }
  auto created = accounts_.CreateFirstAdmin(username, password, enrolment);
  if (!created) {
    // Another node set one up meanwhile.
    if (created.error().code == core::Errc::failed_precondition) token_.reset();
    return created.error();
  }
  token_.reset();
  // The code that confirmed the app cannot also sign in.
  (void)store_.UseTotpStep(created->id, *step);
  core::Log(core::LogLevel::info, "auth.first_admin_created", {{"account", created->id}});
  return FirstAdmin{std::move(*created), std::move(enrolment.recovery_codes)};
}

}  // namespace uitweg::auth
