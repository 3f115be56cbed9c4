#pragma once
// The URL table of docs/protocol.md: which handler answers which method and path.

#include "api/health.hpp"
#include "api/setup_api.hpp"
#include "api/staff_api.hpp"
#include "api/visitor_api.hpp"
#include "net/router.hpp"

namespace uitweg::app {

struct Handlers {
  api::Health& health;
  api::VisitorApi& visitor;
  api::StaffApi& staff;
  api::SetupApi& setup;
};

// The handlers must outlive the router's use.
void AddRoutes(net::Router& router, const Handlers& handlers);

}  // namespace uitweg::app
