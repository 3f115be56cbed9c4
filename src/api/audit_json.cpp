#include "api/audit_json.hpp"

#include "api/json_fields.hpp"

#include <boost/url/params_view.hpp>
#include <boost/url/parse_query.hpp>
#include <charconv>

namespace uitweg::api {

core::Result<store::AuditQuery> AuditQueryFrom(std::string_view query) {
  store::AuditQuery out;
  if (query.empty()) return out;
  auto params = boost::urls::parse_query(query);
  if (!params) return core::Fail(core::Errc::invalid_argument, "the query string is malformed");
  for (const boost::urls::param& param : boost::urls::params_view(*params)) {
    const std::string& key = param.key;
    const std::string& value = param.value;
    if (key == "account") {
      UITWEG_TRY_ASSIGN(out.account_id, QueryNumber(key, value));
    } else if (key == "action") {
      out.action = value;
    } else if (key == "conversation") {
      out.conversation_id = value;
    } else if (key == "since") {
      UITWEG_TRY_ASSIGN(out.since, QueryNumber(key, value));
    } else if (key == "until") {
      UITWEG_TRY_ASSIGN(out.until, QueryNumber(key, value));
    } else if (key == "before") {
      UITWEG_TRY_ASSIGN(out.before_seq, QueryNumber(key, value));
    } else if (key == "limit") {
      UITWEG_TRY_ASSIGN(const std::int64_t limit, QueryNumber(key, value));
      if (limit < 1 || limit > static_cast<std::int64_t>(kMaxAuditPage)) {
        return core::Fail(core::Errc::invalid_argument, "limit must be between 1 and 500");
      }
      out.limit = static_cast<std::size_t>(limit);
    } else {
      return core::Fail(core::Errc::invalid_argument, "unknown parameter " + key);
    }
  }
  return out;
}

boost::json::object AuditEntryJson(const store::AuditEntry& entry) {
  boost::json::object out;
  out["seq"] = entry.seq;
  out["at"] = entry.at;
  out["node"] = entry.node;
  if (entry.account_id) {
    out["account_id"] = *entry.account_id;
  } else {
    out["account_id"] = nullptr;
  }
  out["role"] = entry.role;
  out["action"] = entry.action;
  out["conversation_id"] = entry.conversation_id;
  out["detail"] = entry.detail;
  return out;
}

}  // namespace uitweg::api
