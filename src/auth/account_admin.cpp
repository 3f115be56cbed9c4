#include "auth/account_admin.hpp"

#include "auth/account_rules.hpp"
#include "auth/sessions.hpp"
#include "core/log.hpp"
#include "crypto/random.hpp"

namespace uitweg::auth {
namespace {

core::Error BadLink() {
  return core::Fail(core::Errc::unauthenticated,
                    "this link is not valid (any more); ask an administrator for a new one");
}

bool NeedsPassword(model::SetupPurpose purpose) {
  return purpose != model::SetupPurpose::second_factor;
}
bool NeedsSecondFactor(model::SetupPurpose purpose) {
  return purpose != model::SetupPurpose::password;
}

}  // namespace

core::Result<std::string> AccountAdmin::NewLink(std::int64_t account_id,
                                                model::SetupPurpose purpose) {
  std::string token = crypto::RandomToken();
  UITWEG_TRY(
      store_.CreateSetup(model::AccountSetup{.token_hash = crypto::HashToken(token),
                                             .account_id = account_id,
                                             .purpose = purpose,
                                             .expires_at = clock_.Now() + kSetupLinkLifetimeMs}));
  return token;
}

core::Result<Invited> AccountAdmin::Invite(std::string_view username, model::Role role,
                                           std::string_view display_name) {
  UITWEG_TRY_ASSIGN(const std::string name, NormalizeUsername(username));
  UITWEG_TRY_ASSIGN(const std::string shown, NormalizeDisplayName(display_name, name));
  // A password nobody knows until the colleague chooses one; no second factor, so the account
  // cannot sign in before its link is used.
  UITWEG_TRY_ASSIGN(std::string unusable, hasher_.Hash(crypto::RandomToken()));
  auto created = store_.CreateAccount(store::NewStaffAccount{.username = name,
                                                             .role = role,
                                                             .display_name = shown,
                                                             .password_hash = std::move(unusable),
                                                             .created_at = clock_.Now()});
  if (!created) {
    if (created.error().code == core::Errc::already_exists) {
      return core::Fail(core::Errc::already_exists, "the username " + name + " is taken");
    }
    return created.error();
  }
  created->password_hash.clear();
  UITWEG_TRY_ASSIGN(std::string token, NewLink(created->id, model::SetupPurpose::new_account));
  return Invited{std::move(*created), std::move(token)};
}

core::Result<std::string> AccountAdmin::ResetPassword(std::int64_t account_id) {
  UITWEG_TRY_ASSIGN(const model::StaffAccount account, store_.FindAccount(account_id));
  const bool has_app = !account.sealed_totp_secret.empty();
  return NewLink(account_id,
                 has_app ? model::SetupPurpose::password : model::SetupPurpose::new_account);
}

core::Result<std::string> AccountAdmin::ResetSecondFactor(std::int64_t account_id,
                                                          std::string_view keep) {
  UITWEG_TRY_ASSIGN(const model::StaffAccount account, store_.FindAccount(account_id));
  const bool never_set_up = account.sealed_totp_secret.empty() && !account.last_sign_in_at;
  UITWEG_TRY(store_.SetSecondFactor(account_id, store::SecondFactor{}));
  UITWEG_TRY(EndEverySession(store_, account_id, keep));
  return NewLink(account_id, never_set_up ? model::SetupPurpose::new_account
                                          : model::SetupPurpose::second_factor);
}

core::Result<std::pair<model::AccountSetup, model::StaffAccount>> AccountAdmin::Open(
    std::string_view token) {
  if (token.empty()) return BadLink();
  auto setup = store_.FindSetup(crypto::HashToken(token));
  if (!setup) {
    if (setup.error().code == core::Errc::not_found) return BadLink();
    return setup.error();
  }
  if (clock_.Now() >= setup->expires_at) return BadLink();
  UITWEG_TRY_ASSIGN(model::StaffAccount account, store_.FindAccount(setup->account_id));
  // Disabling is how an admin stops a link that went to the wrong person.
  if (account.disabled) {
    return core::Fail(core::Errc::permission_denied,
                      "this account is disabled; ask an administrator for a new link");
  }
  return std::pair{std::move(*setup), std::move(account)};
}

core::Result<SetupInfo> AccountAdmin::Describe(std::string_view token) {
  UITWEG_TRY_ASSIGN(auto opened, Open(token));
  return SetupInfo{opened.second.username, opened.first.purpose};
}

core::Result<Enrolment> AccountAdmin::Enrol(std::string_view token, std::string_view password) {
  UITWEG_TRY_ASSIGN(auto opened, Open(token));
  if (!NeedsSecondFactor(opened.first.purpose)) {
    return core::Fail(core::Errc::failed_precondition, "this link is for a password only");
  }
  if (!password.empty() && NeedsPassword(opened.first.purpose)) {
    UITWEG_TRY(CheckPassword(password, opened.second.username));
  }
  return factors_.Enrol(opened.second.username);
}

core::Result<Completed> AccountAdmin::Complete(std::string_view token, std::string_view password,
                                               std::string_view sealed_secret,
                                               std::string_view code) {
  UITWEG_TRY_ASSIGN(auto opened, Open(token));
  const auto& [setup, account] = opened;
  std::optional<std::string> new_hash;
  if (NeedsPassword(setup.purpose)) {
    UITWEG_TRY(CheckPassword(password, account.username));
    UITWEG_TRY_ASSIGN(new_hash, hasher_.Hash(password));
  }
  std::optional<Enrolment> enrolment;
  std::optional<std::int64_t> step;
  if (NeedsSecondFactor(setup.purpose)) {
    UITWEG_TRY_ASSIGN(enrolment, factors_.Resume(account.username, sealed_secret));
    step = factors_.Confirms(*enrolment, code, clock_.Now());
    if (!step) {
      return core::Fail(
          core::Errc::invalid_argument,
          "the code does not match; check the time on the phone and try the next one");
    }
  }
  // The link is used up first, so that it cannot be used twice at once: of two uses at once,
  // the one that finds it gone stops here.
  if (core::Status used = store_.DeleteSetup(setup.token_hash); !used) {
    if (used.error().code == core::Errc::not_found) return BadLink();
    return used.error();
  }
  if (new_hash) UITWEG_TRY(store_.SetPasswordHash(account.id, *new_hash));
  Completed completed{account, {}};
  if (enrolment) {
    UITWEG_TRY(factors_.Store(account.id, *enrolment));
    (void)store_.UseTotpStep(account.id, *step);
    completed.recovery_codes = enrolment->recovery_codes;
  }
  UITWEG_TRY(EndEverySession(store_, account.id));
  completed.account.password_hash.clear();
  core::Log(core::LogLevel::info, "auth.account_set_up",
            {{"account", account.id}, {"purpose", model::SetupPurposeName(setup.purpose)}});
  return completed;
}

}  // namespace uitweg::auth
