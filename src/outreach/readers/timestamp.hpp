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

// Whether `unix_seconds` can be a post's date: from 1970 to the end of 9999. Anything else in an
// export is taken as no date, so that milliseconds and times of it (for the console) stay in
// range.
inline bool IsPostDate(std::int64_t unix_seconds) {
  return unix_seconds >= 0 && unix_seconds <= 253'402'300'799;
}

}  // namespace uitweg::outreach::readers
