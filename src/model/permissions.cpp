#include "model/permissions.hpp"

namespace uitweg::model {

bool RoleMay(Role role, Permission permission) {
  switch (permission) {
    case Permission::use_console: return true;
    case Permission::counsel: return role == Role::counsellor || role == Role::supervisor;
    case Permission::read_audit: return role == Role::supervisor || role == Role::admin;
    case Permission::manage_accounts: return role == Role::admin;
    case Permission::supervise: return role == Role::supervisor || role == Role::admin;
    // Content is for those who counsel: an admin manages the team but reads no conversation.
    case Permission::monitor: return role == Role::supervisor;
    case Permission::manage_service: return role == Role::admin;
    case Permission::manage_campaigns: return role == Role::admin || role == Role::analyst;
    // Public channels' posts, not visitors' words: no counsellor's business.
    case Permission::review_outreach: return role == Role::admin || role == Role::analyst;
    // Counts only, for those who steer the service; a counsellor's work is the conversations.
    case Permission::read_insights: return role != Role::counsellor;
    case Permission::manage_partners: return role == Role::admin;
    // What leaves the organisation is the analysts' to produce, within what admins allowed.
    case Permission::publish_reports: return role == Role::analyst;
    // Reading others' transcripts to coach is the supervisors' craft, as monitoring is.
    case Permission::review_conversations: return role == Role::supervisor;
  }
  return false;
}

std::string_view PermissionName(Permission permission) {
  switch (permission) {
    case Permission::use_console: return "use_console";
    case Permission::counsel: return "counsel";
    case Permission::read_audit: return "read_audit";
    case Permission::manage_accounts: return "manage_accounts";
    case Permission::supervise: return "supervise";
    case Permission::monitor: return "monitor";
    case Permission::manage_service: return "manage_service";
    case Permission::manage_campaigns: return "manage_campaigns";
    case Permission::review_outreach: return "review_outreach";
    case Permission::read_insights: return "read_insights";
    case Permission::manage_partners: return "manage_partners";
    case Permission::publish_reports: return "publish_reports";
    case Permission::review_conversations: return "review_conversations";
  }
  return "unknown";
}

}  // namespace uitweg::model
