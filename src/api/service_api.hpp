#pragma once
// Whether the chat is open and who is there (docs/protocol.md, "Opening hours", "Transfers"):
// the visitor's page asks before offering a chat (public, no credentials: open now or when it
// opens, how many counsellors are available, how many wait and how long); a counsellor asks
// which colleagues are available to take a conversation over; admins read and replace the opening
// hours, each change audited as `opening_hours_changed` and kept in the setting store, from which
// every node refreshes (Refresh). The hours come with a version; a save that names the version
// it changes (`based_on`) is refused (409) when another admin saved meanwhile. routes.hpp checks
// the roles.

#include <functional>
#include <mutex>
#include <optional>

#include <boost/json/object.hpp>

#include "api/http.hpp"
#include "api/staff_auth.hpp"
#include "auth/audit_trail.hpp"
#include "chat/conversations.hpp"
#include "chat/hub.hpp"
#include "chat/service_hours.hpp"
#include "core/clock.hpp"
#include "model/helpline.hpp"
#include "store/account_store.hpp"
#include "store/setting_store.hpp"

namespace uitweg::api {

inline constexpr std::string_view kOpeningHoursSetting = "opening_hours";

// The opening hours as JSON, and back (invalid_argument naming what is wrong).
boost::json::object OpeningHoursJson(const chat::OpeningHours& hours);
core::Result<chat::OpeningHours> OpeningHoursFrom(const boost::json::object& json);

class ServiceApi {
 public:
  // Available counsellors are those set available whose console is connected here
  // (`connected_here` lists the accounts) or was seen by another node within `console_fresh_ms`.
  ServiceApi(StaffAuth& auth, store::SettingStore& settings, store::AccountStore& accounts,
             chat::ServiceHours& hours, chat::Conversations& conversations, chat::Hub& hub,
             auth::AuditTrail& audit, const core::Clock& clock,
             std::function<std::vector<std::int64_t>()> connected_here,
             core::UnixMillis console_fresh_ms)
      : auth_(auth),
        settings_(settings),
        accounts_(accounts),
        hours_(hours),
        conversations_(conversations),
        hub_(hub),
        audit_(audit),
        clock_(clock),
        connected_here_(std::move(connected_here)),
        console_fresh_ms_(console_fresh_ms) {}

  core::Result<Response> Status(const Request& request);      // GET  /api/v1/visitor/status
  core::Result<Response> Hours(const Request& request);       // GET  /api/v1/admin/opening-hours
  core::Result<Response> SetHours(const Request& request);    // POST /api/v1/admin/opening-hours
  core::Result<Response> Colleagues(const Request& request);  // GET /api/v1/colleagues

  // What the visitor's status also tells: other lines to turn to, and whether the page shows a
  // neutral tab title during a chat. Before serving.
  void SetVisitorPage(std::vector<model::Helpline> helplines, bool neutral_title) {
    helplines_ = std::move(helplines);
    neutral_title_ = neutral_title;
  }

  // Takes the hours stored by an admin (on any node), if any, into force here. Blocking.
  core::Status Refresh();

 private:
  // Refresh, returning what was stored.
  core::Result<std::optional<store::Setting>> RefreshFromStore();
  // How many counsellors are available now, read at most every few seconds: every visitor's
  // page asks.
  core::Result<std::int64_t> CountAvailable();
  // Those who counsel, are set available and have a console connected (here, or seen lately on
  // another node). Blocking.
  core::Result<std::vector<model::StaffAccount>> AvailableNow();

  StaffAuth& auth_;
  store::SettingStore& settings_;
  store::AccountStore& accounts_;
  chat::ServiceHours& hours_;
  chat::Conversations& conversations_;
  chat::Hub& hub_;
  auth::AuditTrail& audit_;
  const core::Clock& clock_;
  const std::function<std::vector<std::int64_t>()> connected_here_;
  const core::UnixMillis console_fresh_ms_;
  std::vector<model::Helpline> helplines_;
  bool neutral_title_ = false;

  std::mutex available_mu_;
  std::optional<std::int64_t> available_;  // guarded by available_mu_
  core::UnixMillis available_at_ = 0;      // guarded by available_mu_
};

}  // namespace uitweg::api
