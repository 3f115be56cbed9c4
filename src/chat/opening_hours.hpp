#pragma once
// When the chat is open: hours per weekday and exceptions for single dates (holidays), in the
// service's time zone, Europe/Amsterdam. Hours belong to the day on which they start; a span
// whose close is not after its open runs past midnight into the next day (16:00–06:00), and
// 00:00–00:00 is the whole day. An exception replaces the hours that start on its date; with no
// spans the service stays closed that day (the night before still runs into its morning).
//
// Pure values and functions; thread-safe. ServiceHours (service_hours.hpp) holds the hours in
// force.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace uitweg::chat {

struct OpenSpan {
  std::int32_t open_minute = 0;   // minutes after local midnight, 0..1439
  std::int32_t close_minute = 0;  // 0..1439; not after open_minute: the next day
  bool operator==(const OpenSpan&) const = default;
};

struct DayException {
  std::string date = {};             // "YYYY-MM-DD", local
  std::string label = {};            // what the day is ("Eerste Kerstdag"); may be empty
  std::vector<OpenSpan> spans = {};  // empty: closed
  bool operator==(const DayException&) const = default;
};

struct OpeningHours {
  std::array<std::vector<OpenSpan>, 7> weekly = {};  // index 0 is Monday
  std::vector<DayException> exceptions = {};         // by date
  bool operator==(const OpeningHours&) const = default;
};

inline constexpr std::size_t kMaxSpansPerDay = 4;
inline constexpr std::size_t kMaxExceptions = 400;
inline constexpr std::size_t kMaxExceptionLabelChars = 80;

// A night service: Monday to Friday 16:00–06:00, Saturday and Sunday 20:00–06:00.
OpeningHours NightService();
// Open around the clock.
OpeningHours AlwaysOpen();

// invalid_argument, naming what is wrong, for minutes out of range, more than kMaxSpansPerDay
// spans on a day, spans of one day that overlap, a malformed or repeated exception date, a label
// too long or with control characters, more than kMaxExceptions exceptions. Sorts exceptions by
// date.
core::Status Normalise(OpeningHours& hours);

// "HH:MM" <-> minutes after midnight; ParseClock is invalid_argument for anything else.
core::Result<std::int32_t> ParseClock(std::string_view text);
std::string FormatClock(std::int32_t minute);
// Whether `text` is a real date written "YYYY-MM-DD".
bool IsDate(std::string_view text);

// Whether the service is open at `now` and when that changes: the close when open, the next
// opening when closed. changes_at is 0 when nothing changes within kLookAheadDays (always open,
// or no hours at all). `label` names the exception in force today, if any.
struct ServiceState {
  bool open = false;
  core::UnixMillis changes_at = 0;
  std::string label = {};
};
inline constexpr int kLookAheadDays = 15;
ServiceState StateAt(const OpeningHours& hours, core::UnixMillis now);

// The local date ("YYYY-MM-DD") and weekday (0 Monday) in the service's time zone at `at`.
std::string LocalDate(core::UnixMillis at);
// The local date `days` calendar days before the one of `at` (a day around a clock change is
// 23 or 25 hours long: counting back in hours would miss by one).
std::string LocalDaysBefore(core::UnixMillis at, int days);
// The moment the local date `date` ("YYYY-MM-DD", which IsDate accepts) begins.
core::UnixMillis StartOfLocalDate(std::string_view date);
// How far the service's clock is ahead of UTC at `at` (one or two hours).
std::int64_t UtcOffsetMillis(core::UnixMillis at);

}  // namespace uitweg::chat
