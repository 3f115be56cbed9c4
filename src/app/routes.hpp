#pragma once
// The URL table of docs/protocol.md: which handler answers which method and path, and who may
// use it. Every route has an access rule in RouteRules(); a route that needs a permission
// answers 401 without a live staff session and 403 permission_denied (and nothing else) to a
// role without it, before its handler runs. `uitweg routes` prints the table, and the access
// test walks it.

#include <optional>
#include <span>
#include <string_view>

#include "api/admin_api.hpp"
#include "api/campaign_api.hpp"
#include "api/canned_api.hpp"
#include "api/content_api.hpp"
#include "api/emerging_words_api.hpp"
#include "api/handover_api.hpp"
#include "api/health.hpp"
#include "api/history_api.hpp"
#include "api/insights_api.hpp"
#include "api/lexicon_api.hpp"
#include "api/outreach_api.hpp"
#include "api/registration_api.hpp"
#include "api/review_api.hpp"
#include "api/service_api.hpp"
#include "api/setup_api.hpp"
#include "api/staff_api.hpp"
#include "api/staff_auth.hpp"
#include "api/team_api.hpp"
#include "api/visitor_api.hpp"
#include "model/permissions.hpp"
#include "net/router.hpp"

namespace uitweg::app {

struct Handlers {
  api::Health& health;
  api::AdminApi& admin;
  api::VisitorApi& visitor;
  api::StaffApi& staff;
  api::SetupApi& setup;
  api::StaffAuth& staff_auth;
  api::TeamApi& team;
  api::HistoryApi& history;
  api::CannedApi& canned;
  api::ServiceApi& service;
  api::RegistrationApi& registration;
  api::HandoverApi& handover;
  api::ContentApi& content;
  api::CampaignApi& campaigns;
  api::OutreachApi& outreach;
  api::LexiconApi& lexicon;
  api::InsightsApi& insights;
  api::ReviewApi& review;
  api::EmergingWordsApi& emerging_words;
};

struct RouteRule {
  std::string_view method;  // "GET", "POST", "PUT", "DELETE"; "WS" for a WebSocket upgrade
  std::string_view pattern;
  // nullopt: anyone (visitors, the set-up, sign-in and health checks); else a staff session
  // whose role has this permission.
  std::optional<model::Permission> needs;
};

std::span<const RouteRule> RouteRules();

// The handlers must outlive the router's use. Throws std::logic_error for a route that has no
// rule in RouteRules() (a programming error, found by every test that starts the server).
void AddRoutes(net::Router& router, const Handlers& handlers);

}  // namespace uitweg::app
