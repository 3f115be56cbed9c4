#include "auth/first_admin_setup.hpp"

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
  core::Log(core::LogLevel::info, "auth.first_admin_setup_open");
  return token_;
}

bool FirstAdminSetup::Needed() {
  std::lock_guard lock(mutex_);
  if (!token_) return false;
  auto count = store_.CountAccounts();
  return !count || *count == 0;
}

core::Result<model::StaffAccount> FirstAdminSetup::Redeem(std::string_view token,
                                                          std::string_view username,
                                                          std::string_view password) {
  std::lock_guard lock(mutex_);
  if (!token_ ||
      !crypto::ConstantTimeEquals(crypto::HashToken(token), crypto::HashToken(*token_))) {
    return core::Fail(core::Errc::unauthenticated, "the setup token is not valid");
  }
  auto count = store_.CountAccounts();
  if (!count) return count.error();
  if (*count > 0) {
    token_.reset();
    return core::Fail(core::Errc::failed_precondition, "an account exists already");
  }
  auto created = accounts_.CreateFirstAdmin(username, password);
  if (!created) {
    // Another node set one up meanwhile.
    if (created.error().code == core::Errc::failed_precondition) token_.reset();
    return created.error();
  }
  token_.reset();
  core::Log(core::LogLevel::info, "auth.first_admin_created", {{"account", created->id}});
  return created;
}

}  // namespace uitweg::auth
