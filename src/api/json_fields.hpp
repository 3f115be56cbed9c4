#pragma once
// Reading fields out of client JSON with errors that name the field (invalid_argument), and
// the small answers the JSON endpoints share.

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "api/http.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"

namespace uitweg::api {

// Whether a Content-Type header names JSON (application/json, any case, any parameters).
bool IsJsonMediaType(std::string_view content_type);

// `text` must be a JSON object; `what` names it in errors ("the frame", "the body").
core::Result<boost::json::object> ParseObject(std::string_view text, std::string_view what);
core::Result<std::string> RequiredString(const boost::json::object& object, std::string_view key);
// Absent or null is empty.
core::Result<std::string> OptionalString(const boost::json::object& object, std::string_view key);
// An integer >= 0; absent is 0.
core::Result<std::int64_t> OptionalSeq(const boost::json::object& object, std::string_view key);

// The parameters of a query string (decoded), each at most once, each one of `known`;
// invalid_argument naming the first that is not.
core::Result<std::map<std::string, std::string, std::less<>>> QueryParams(
    std::string_view query, std::initializer_list<std::string_view> known);

// The value of parameter `name`, if it was given.
std::optional<std::string> QueryParam(const std::map<std::string, std::string, std::less<>>& params,
                                      std::string_view name);

// A period of local days, first and last included, as YYYY-MM-DD.
struct LocalPeriod {
  std::string from = {};
  std::string to = {};
};
// invalid_argument unless `from` and `to` are dates and `from` is not after `to`.
core::Status CheckPeriod(std::string_view from, std::string_view to);
// The period that parameters `from` and `to` give; without them, the `default_days` local days
// up to and including the day of `now`. Checked as CheckPeriod.
core::Result<LocalPeriod> PeriodParams(
    const std::map<std::string, std::string, std::less<>>& params, core::UnixMillis now,
    std::int64_t default_days);

// A query-string value that must be a whole number ≥ 0; invalid_argument naming `name` if not.
core::Result<std::int64_t> QueryNumber(std::string_view name, std::string_view text);

// An integer from 0 to `max`; absent is invalid_argument too.
core::Result<std::int64_t> RequiredInt(const boost::json::object& object, std::string_view key,
                                       std::int64_t max);

// The numeric id in path parameter `index` (/accounts/{id}); not_found, saying `what`, if it is
// not one.
core::Result<std::int64_t> PathId(const Request& request, std::size_t index, std::string_view what);

// The JSON body of a visitor's POST; empty is {}. Same origin only: a page on another site could
// otherwise post from its own visitors' browsers (a form may post text/plain across sites
// without asking, but not JSON).
core::Result<boost::json::object> VisitorBody(const Request& request);

// The JSON body of a POST that carries a set-up link's token, from this site only: another
// site's page that learnt a link must not finish the set-up through its visitor's browser.
core::Result<boost::json::object> SameSiteBody(const Request& request);

// A JSON answer that no cache keeps.
Response JsonResponse(unsigned status, const boost::json::object& body);

}  // namespace uitweg::api
