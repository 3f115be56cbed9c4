#pragma once
// The audit trail on the wire (docs/protocol.md, "Audit trail"): the query string of
// GET /api/v1/audit, and an entry as JSON.

#include <string_view>

#include <boost/json/object.hpp>

#include "core/error.hpp"
#include "store/audit_store.hpp"

namespace uitweg::api {

inline constexpr std::size_t kMaxAuditPage = 500;

// account, action, conversation, since, until (UnixMillis), before (a seq), limit (1-500,
// default 100); invalid_argument naming a parameter that is not a number where one is due,
// or one this endpoint does not know.
core::Result<store::AuditQuery> AuditQueryFrom(std::string_view query);

boost::json::object AuditEntryJson(const store::AuditEntry& entry);

}  // namespace uitweg::api
