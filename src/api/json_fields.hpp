#pragma once
// Reading fields out of client JSON with errors that name the field (invalid_argument), and
// the small answers the JSON endpoints share.

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "api/http.hpp"
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

// A query-string value that must be a whole number ≥ 0; invalid_argument naming `name` if not.
core::Result<std::int64_t> QueryNumber(std::string_view name, std::string_view text);

// An integer from 0 to `max`; absent is invalid_argument too.
core::Result<std::int64_t> RequiredInt(const boost::json::object& object, std::string_view key,
                                       std::int64_t max);

// The numeric id in path parameter `index` (/accounts/{id}); not_found, saying `what`, if it is
// not one.
core::Result<std::int64_t> PathId(const Request& request, std::size_t index, std::string_view what);

// A JSON answer that no cache keeps.
Response JsonResponse(unsigned status, const boost::json::object& body);

}  // namespace uitweg::api
