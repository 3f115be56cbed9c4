#include "auth/accounts.hpp"

#include "auth/account_rules.hpp"
#include "core/log.hpp"

namespace uitweg::auth {

core::Result<model::StaffAccount> Accounts::CreateAccount(std::string_view username,
                                                          model::Role role,
                                                          std::string_view display_name,
                                                          std::string_view password,
                                                          const Enrolment& second_factor) {
  return Create(username, role, display_name, password, second_factor, false);
}

core::Result<model::StaffAccount> Accounts::CreateFirstAdmin(std::string_view username,
                                                             std::string_view password,
                                                             const Enrolment& second_factor) {
  return Create(username, model::Role::admin, "", password, second_factor, true);
}

core::Result<model::StaffAccount> Accounts::Create(std::string_view username, model::Role role,
                                                   std::string_view display_name,
                                                   std::string_view password,
                                                   const Enrolment& second_factor,
                                                   bool only_if_first) {
  auto name = NormalizeUsername(username);
  if (!name) return name.error();
  auto shown = NormalizeDisplayName(display_name, *name);
  if (!shown) return shown.error();
  UITWEG_TRY(CheckPassword(password, *name));
  if (second_factor.stored.sealed_totp_secret.empty()) {
    return core::Fail(core::Errc::invalid_argument, "every account needs a second factor");
  }

  auto hash = hasher_.Hash(password);
  if (!hash) return hash.error();
  const store::NewStaffAccount account{.username = *name,
                                       .role = role,
                                       .display_name = *shown,
                                       .password_hash = std::move(*hash),
                                       .created_at = clock_.Now(),
                                       .second_factor = second_factor.stored};
  auto created = only_if_first ? store_.CreateFirstAccount(account) : store_.CreateAccount(account);
  if (!created) {
    if (created.error().code == core::Errc::already_exists) {
      return core::Fail(core::Errc::already_exists, "the username " + *name + " is taken");
    }
    return created.error();
  }
  created->password_hash.clear();
  core::Log(core::LogLevel::info, "auth.account_created",
            {{"account", created->id}, {"role", model::RoleName(role)}});
  return created;
}

}  // namespace uitweg::auth
