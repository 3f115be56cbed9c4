#include "model/permissions.hpp"

namespace uitweg::model {

bool RoleMay(Role role, Permission permission) {
  switch (permission) {
    case Permission::use_console: return true;
    case Permission::counsel: return role == Role::counsellor || role == Role::supervisor;
  }
  return false;
}

std::string_view PermissionName(Permission permission) {
  switch (permission) {
    case Permission::use_console: return "use_console";
    case Permission::counsel: return "counsel";
  }
  return "unknown";
}

}  // namespace uitweg::model
