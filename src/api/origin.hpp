#pragma once
// Which site a request comes from, by its Origin header: what stops another site's page from
// acting through a visitor's or counsellor's browser.

#include "api/http.hpp"

namespace uitweg::api {

// True when the request has no Origin header or one naming the Host it was sent to.
bool SameOrigin(const Request& request);
// True only when Origin is present and names the Host (for staff WebSocket upgrades).
bool OriginIsOwn(const Request& request);

}  // namespace uitweg::api
