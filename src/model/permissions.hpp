#pragma once
// What each staff role may do: one table for the whole server. The routes (app/routes.cpp) and
// the staff socket's frames (api/frames.hpp) each name the permission they need; handlers and
// the access test (tests/integration/access_test.cpp) ask this table. Admins manage accounts
// and settings and analysts read outreach and insights; neither takes conversations, so
// neither reads a transcript by their role alone.

#include <array>
#include <string_view>

#include "model/staff.hpp"

namespace uitweg::model {

enum class Permission {
  use_console,           // sign in, see oneself and one's sessions, open the staff socket
  counsel,               // take conversations from the queue, read and write in them, end them
  read_audit,            // browse the audit trail (reading it is itself recorded)
  manage_accounts,       // invite colleagues, change roles, disable, reset passwords and apps
  supervise,             // see the team at work and set how many conversations each takes at once
  monitor,               // read colleagues' live conversations silently and whisper to them
  manage_service,        // set the opening hours and what else the service shows visitors
  manage_campaigns,      // create and retire campaign codes and read what each brought
  review_outreach,       // scan channel exports, judge the findings, edit the recruitment lexicon
  read_insights,         // the insights dashboard: counts from registrations and timestamps
  manage_partners,       // say which partners receive reports, of which regions and sections
  publish_reports,       // generate a partner's report (suppressed and rounded) for publication
  review_conversations,  // draw samples of ended conversations, read and score them
};

inline constexpr std::array<Permission, 13> kPermissions = {
    Permission::use_console,         Permission::counsel,          Permission::read_audit,
    Permission::manage_accounts,     Permission::supervise,        Permission::monitor,
    Permission::manage_service,      Permission::manage_campaigns, Permission::review_outreach,
    Permission::read_insights,       Permission::manage_partners,  Permission::publish_reports,
    Permission::review_conversations};
inline constexpr std::array<Role, 4> kRoles = {Role::counsellor, Role::supervisor, Role::analyst,
                                               Role::admin};

bool RoleMay(Role role, Permission permission);
std::string_view PermissionName(Permission permission);

}  // namespace uitweg::model
