#pragma once
// Staff: who signs in to the console and what they may do there. Plain values; the rules that
// act on them live in auth/ and chat/.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace uitweg::model {

enum class Role { counsellor, supervisor, analyst, admin };
std::string_view RoleName(Role role);
bool ParseRole(std::string_view text, Role& out);

// Whether a counsellor takes conversations now: available takes new ones, busy keeps their own
// but takes no new ones, away has theirs offered back to the queue and takes none.
enum class Availability { available, busy, away };
std::string_view AvailabilityName(Availability availability);
bool ParseAvailability(std::string_view text, Availability& out);

inline constexpr std::int32_t kDefaultCapacity = 3;
inline constexpr std::int32_t kMaxCapacity = 20;

struct StaffAccount {
  std::int64_t id = 0;
  std::string username = {};
  Role role = Role::counsellor;
  std::string display_name = {};
  std::string password_hash = {};  // argon2id, in libsodium's encoded string form
  bool disabled = false;
  core::UnixMillis created_at = 0;
  // The TOTP secret sealed with the master key (auth/second_factor.hpp); empty when the
  // account has not enrolled.
  std::string sealed_totp_secret = {};
  std::optional<core::UnixMillis> last_sign_in_at = {};
  // How many conversations they take at once (counsellors and supervisors).
  std::int32_t capacity = kDefaultCapacity;
  Availability availability = Availability::available;
  // When a node last saw their console connected (AccountStore::MarkConsoleSeen); never: none.
  std::optional<core::UnixMillis> console_seen_at = {};
};

// What a one-time account link lets its holder do.
enum class SetupPurpose {
  new_account,    // choose a password and enrol a second factor
  password,       // choose a new password
  second_factor,  // enrol a new second factor
};

// A one-time link through which a colleague sets up their account; only the token's hash is
// stored.
struct AccountSetup {
  std::string token_hash = {};
  std::int64_t account_id = 0;
  SetupPurpose purpose = SetupPurpose::new_account;
  core::UnixMillis expires_at = 0;
};
std::string_view SetupPurposeName(SetupPurpose purpose);
bool ParseSetupPurpose(std::string_view text, SetupPurpose& out);

// A signed-in staff member. The cookie holds a random token; only its hash is stored.
struct StaffSession {
  std::string token_hash = {};
  std::int64_t account_id = 0;
  std::string csrf_token = {};
  core::UnixMillis created_at = 0;
  core::UnixMillis last_seen_at = 0;
};

}  // namespace uitweg::model
