#pragma once
// Dates as exports write them, to and from seconds since 1970-01-01 UTC.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace uitweg::outreach::readers {

// Accepts unix seconds ("1596538153") and ISO 8601 / RFC 3339 forms: "2020-08-04T10:49:13",
// "2020-08-04 10:49:13.123+02:00", "2020-08-04T10:49:13Z", "2020-08-04". A time without a zone
// (Telegram Desktop's naive local `date`) is taken as UTC. nullopt when it is none of these.
std::optional<std::int64_t> ParseTimestamp(std::string_view text);

// "2020-08-04T10:49:13Z".
std::string FormatUtc(std::int64_t unix_seconds);

}  // namespace uitweg::outreach::readers
