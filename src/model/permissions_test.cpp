#include "model/permissions.hpp"

#include <gtest/gtest.h>

namespace uitweg::model {
namespace {

TEST(PermissionsTest, OnlyCounsellorsAndSupervisorsTakeConversations) {
  for (Role role : kRoles) {
    EXPECT_TRUE(RoleMay(role, Permission::use_console)) << RoleName(role);
    EXPECT_EQ(RoleMay(role, Permission::counsel),
              role == Role::counsellor || role == Role::supervisor)
        << RoleName(role);
  }
  for (Role role : kRoles) {
    EXPECT_EQ(RoleMay(role, Permission::read_audit),
              role == Role::supervisor || role == Role::admin)
        << RoleName(role);
  }
  for (Role role : kRoles) {
    EXPECT_EQ(RoleMay(role, Permission::manage_accounts), role == Role::admin) << RoleName(role);
  }
  for (Role role : kRoles) {
    EXPECT_EQ(RoleMay(role, Permission::monitor), role == Role::supervisor);
    EXPECT_EQ(RoleMay(role, Permission::manage_service), role == Role::admin);
    EXPECT_EQ(RoleMay(role, Permission::supervise), role == Role::supervisor || role == Role::admin)
        << RoleName(role);
  }
  for (Role role : kRoles) {
    EXPECT_EQ(RoleMay(role, Permission::review_outreach),
              role == Role::analyst || role == Role::admin)
        << RoleName(role);
  }
  for (Role role : kRoles) {
    EXPECT_EQ(RoleMay(role, Permission::read_insights), role != Role::counsellor) << RoleName(role);
    EXPECT_EQ(RoleMay(role, Permission::manage_partners), role == Role::admin);
    EXPECT_EQ(RoleMay(role, Permission::publish_reports), role == Role::analyst);
    EXPECT_EQ(RoleMay(role, Permission::review_conversations), role == Role::supervisor)
        << RoleName(role);
  }
  for (Permission permission : kPermissions) EXPECT_NE(PermissionName(permission), "unknown");
}

}  // namespace
}  // namespace uitweg::model
