#include "app/routes_command.hpp"

#include <boost/json/serialize.hpp>
#include <cstdio>
#include <cstring>

#include "api/frames.hpp"
#include "app/routes.hpp"

namespace uitweg::app {
namespace {

boost::json::value Needs(const std::optional<model::Permission>& needs) {
  if (!needs) return nullptr;
  return boost::json::string(model::PermissionName(*needs));
}

// The roles that may use it; "anyone" for what needs no session.
boost::json::value RolesAllowed(const std::optional<model::Permission>& needs) {
  if (!needs) return boost::json::string("anyone");
  boost::json::array roles;
  for (model::Role role : model::kRoles) {
    if (model::RoleMay(role, *needs)) roles.emplace_back(model::RoleName(role));
  }
  return roles;
}

}  // namespace

int RunRoutesCommand(int argc, char** argv) {
  if (argc > 0) {
    const bool help = std::strcmp(argv[0], "--help") == 0;
    std::fputs(
        "Usage: uitweg routes\n\nPrints every HTTP route and staff socket frame type with the "
        "permission it needs\nand the roles that have it, one JSON object per line.\n",
        help ? stdout : stderr);
    return help ? 0 : 2;
  }
  for (const RouteRule& rule : RouteRules()) {
    boost::json::object line{{"kind", "route"},
                             {"method", rule.method},
                             {"pattern", rule.pattern},
                             {"needs", Needs(rule.needs)},
                             {"roles", RolesAllowed(rule.needs)}};
    std::printf("%s\n", boost::json::serialize(line).c_str());
  }
  for (const api::StaffFrameRule& rule : api::StaffFrameRules()) {
    boost::json::object line{{"kind", "staff_frame"},
                             {"type", rule.type},
                             {"needs", Needs(rule.needs)},
                             {"roles", RolesAllowed(rule.needs)}};
    std::printf("%s\n", boost::json::serialize(line).c_str());
  }
  return 0;
}

}  // namespace uitweg::app
