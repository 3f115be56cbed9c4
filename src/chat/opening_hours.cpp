#include "chat/opening_hours.hpp"

#include <algorithm>
#include <boost/date_time/local_time/local_time.hpp>
#include <cctype>
#include <charconv>
#include <optional>

#include "core/utf8.hpp"

namespace uitweg::chat {
namespace {

namespace gregorian = boost::gregorian;
namespace local_time = boost::local_time;
namespace posix_time = boost::posix_time;

constexpr std::int32_t kMinutesPerDay = 24 * 60;
constexpr core::UnixMillis kMillisPerMinute = 60 * 1000;

// Europe/Amsterdam as a POSIX rule: CET, and CEST from the last Sunday of March to the last
// Sunday of October. Boost writes the offset east of UTC as positive, unlike POSIX (whose
// zoneinfo tail reads CET-1CEST). libstdc++ 12 has no time zone database, and this rule is all
// the service needs.
const local_time::time_zone_ptr& ServiceZone() {
  static const local_time::time_zone_ptr zone(
      new local_time::posix_time_zone("CET+1CEST,M3.5.0,M10.5.0/3"));
  return zone;
}

const posix_time::ptime kEpoch(gregorian::date(1970, 1, 1));

posix_time::ptime ToPtime(core::UnixMillis at) {
  return kEpoch + posix_time::milliseconds(at);
}

core::UnixMillis ToMillis(const posix_time::ptime& at) {
  return (at - kEpoch).total_milliseconds();
}

posix_time::ptime LocalTimeAt(core::UnixMillis at) {
  return local_time::local_date_time(ToPtime(at), ServiceZone()).local_time();
}

// The first moment at which the local clock reads `local` (or, in the spring gap when it never
// does, the moment the clock jumps past it).
core::UnixMillis UtcOf(const posix_time::ptime& local) {
  const auto& zone = ServiceZone();
  const posix_time::time_duration base = zone->base_utc_offset();
  const posix_time::time_duration summer = base + zone->dst_offset();
  std::optional<core::UnixMillis> first;
  for (const posix_time::time_duration& offset : {summer, base}) {
    const core::UnixMillis candidate = ToMillis(local - offset);
    if (LocalTimeAt(candidate) == local && (!first || candidate < *first)) first = candidate;
  }
  if (first) return *first;
  return ToMillis(zone->dst_local_start_time(local.date().year()) - base);
}

int MondayFirst(const gregorian::date& day) {
  return (day.day_of_week().as_number() + 6) % 7;
}

std::string FormatDate(const gregorian::date& day) {
  return gregorian::to_iso_extended_string(day);
}

const DayException* ExceptionOn(const OpeningHours& hours, std::string_view date) {
  for (const DayException& exception : hours.exceptions) {
    if (exception.date == date) return &exception;
  }
  return nullptr;
}

struct Interval {
  core::UnixMillis from = 0;
  core::UnixMillis to = 0;
};

// Every opening that starts from the day before `today` for kLookAheadDays, merged where they
// touch, in time order.
std::vector<Interval> Openings(const OpeningHours& hours, const gregorian::date& today) {
  std::vector<Interval> intervals;
  for (int offset = -1; offset <= kLookAheadDays; ++offset) {
    const gregorian::date day = today + gregorian::days(offset);
    const DayException* exception = ExceptionOn(hours, FormatDate(day));
    const std::vector<OpenSpan>& spans =
        exception ? exception->spans : hours.weekly[MondayFirst(day)];
    for (const OpenSpan& span : spans) {
      const posix_time::ptime open(day, posix_time::minutes(span.open_minute));
      const gregorian::date close_day =
          span.close_minute > span.open_minute ? day : day + gregorian::days(1);
      const posix_time::ptime close(close_day, posix_time::minutes(span.close_minute));
      intervals.push_back({UtcOf(open), UtcOf(close)});
    }
  }
  std::sort(intervals.begin(), intervals.end(),
            [](const Interval& a, const Interval& b) { return a.from < b.from; });
  std::vector<Interval> merged;
  for (const Interval& interval : intervals) {
    if (!merged.empty() && interval.from <= merged.back().to) {
      merged.back().to = std::max(merged.back().to, interval.to);
    } else {
      merged.push_back(interval);
    }
  }
  return merged;
}

core::Status CheckSpans(const std::vector<OpenSpan>& spans, std::string_view day) {
  if (spans.size() > kMaxSpansPerDay) {
    return core::Fail(
        core::Errc::invalid_argument,
        std::string(day) + ": at most " + std::to_string(kMaxSpansPerDay) + " opening spans a day");
  }
  for (const OpenSpan& span : spans) {
    for (const std::int32_t minute : {span.open_minute, span.close_minute}) {
      if (minute < 0 || minute >= kMinutesPerDay) {
        return core::Fail(core::Errc::invalid_argument,
                          std::string(day) + ": a time must lie between 00:00 and 23:59");
      }
    }
  }
  // Spans of one day may not overlap, counting the part that runs into the next day.
  for (std::size_t i = 0; i < spans.size(); ++i) {
    for (std::size_t j = i + 1; j < spans.size(); ++j) {
      const auto end = [](const OpenSpan& s) {
        return s.close_minute > s.open_minute ? s.close_minute : s.close_minute + kMinutesPerDay;
      };
      if (spans[i].open_minute < end(spans[j]) && spans[j].open_minute < end(spans[i])) {
        return core::Fail(core::Errc::invalid_argument,
                          std::string(day) + ": opening spans overlap");
      }
    }
  }
  return {};
}

}  // namespace

OpeningHours NightService() {
  OpeningHours hours;
  for (int day = 0; day < 7; ++day) {
    hours.weekly[day] = {OpenSpan{.open_minute = (day < 5 ? 16 : 20) * 60, .close_minute = 6 * 60}};
  }
  return hours;
}

OpeningHours AlwaysOpen() {
  OpeningHours hours;
  for (auto& day : hours.weekly) day = {OpenSpan{.open_minute = 0, .close_minute = 0}};
  return hours;
}

core::Result<std::int32_t> ParseClock(std::string_view text) {
  const auto bad = [&] {
    return core::Fail(core::Errc::invalid_argument, "a time is written HH:MM, from 00:00 to 23:59");
  };
  if (text.size() != 5 || text[2] != ':') return bad();
  int hour = 0;
  int minute = 0;
  const auto two = [](std::string_view digits, int& out) {
    if (!std::isdigit(static_cast<unsigned char>(digits[0])) ||
        !std::isdigit(static_cast<unsigned char>(digits[1]))) {
      return false;
    }
    out = (digits[0] - '0') * 10 + (digits[1] - '0');
    return true;
  };
  if (!two(text.substr(0, 2), hour) || !two(text.substr(3, 2), minute) || hour > 23 ||
      minute > 59) {
    return bad();
  }
  return hour * 60 + minute;
}

std::string FormatClock(std::int32_t minute) {
  const std::int32_t hour = minute / 60;
  const std::int32_t rest = minute % 60;
  std::string text(5, '0');
  text[0] = static_cast<char>('0' + hour / 10);
  text[1] = static_cast<char>('0' + hour % 10);
  text[2] = ':';
  text[3] = static_cast<char>('0' + rest / 10);
  text[4] = static_cast<char>('0' + rest % 10);
  return text;
}

bool IsDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  int year = 0;
  int month = 0;
  int day = 0;
  const auto number = [](std::string_view digits, int& out) {
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
    return error == std::errc() && end == digits.data() + digits.size();
  };
  if (!number(text.substr(0, 4), year) || !number(text.substr(5, 2), month) ||
      !number(text.substr(8, 2), day)) {
    return false;
  }
  if (year < 2000 || year > 2999 || month < 1 || month > 12 || day < 1) return false;
  return day <= gregorian::gregorian_calendar::end_of_month_day(static_cast<unsigned short>(year),
                                                                static_cast<unsigned short>(month));
}

core::Status Normalise(OpeningHours& hours) {
  static constexpr std::string_view kDays[] = {"monday", "tuesday",  "wednesday", "thursday",
                                               "friday", "saturday", "sunday"};
  for (int day = 0; day < 7; ++day) UITWEG_TRY(CheckSpans(hours.weekly[day], kDays[day]));
  if (hours.exceptions.size() > kMaxExceptions) {
    return core::Fail(core::Errc::invalid_argument,
                      "at most " + std::to_string(kMaxExceptions) + " exceptions");
  }
  for (const DayException& exception : hours.exceptions) {
    if (!IsDate(exception.date)) {
      return core::Fail(core::Errc::invalid_argument,
                        "an exception's date is written YYYY-MM-DD and must exist");
    }
    const std::optional<std::size_t> chars = core::CountCodePoints(exception.label);
    if (!chars || *chars > kMaxExceptionLabelChars || core::HasControlOrFormat(exception.label)) {
      return core::Fail(core::Errc::invalid_argument, exception.date + ": the label has at most " +
                                                          std::to_string(kMaxExceptionLabelChars) +
                                                          " characters and no control characters");
    }
    UITWEG_TRY(CheckSpans(exception.spans, exception.date));
  }
  std::sort(hours.exceptions.begin(), hours.exceptions.end(),
            [](const DayException& a, const DayException& b) { return a.date < b.date; });
  for (std::size_t i = 1; i < hours.exceptions.size(); ++i) {
    if (hours.exceptions[i].date == hours.exceptions[i - 1].date) {
      return core::Fail(core::Errc::invalid_argument,
                        hours.exceptions[i].date + ": one exception per date");
    }
  }
  return {};
}

std::string LocalDate(core::UnixMillis at) {
  return FormatDate(LocalTimeAt(at).date());
}

std::string LocalDaysBefore(core::UnixMillis at, int days) {
  return FormatDate(LocalTimeAt(at).date() - gregorian::days(days));
}

core::UnixMillis StartOfLocalDate(std::string_view date) {
  return UtcOf(posix_time::ptime(gregorian::from_simple_string(std::string(date))));
}

std::int64_t UtcOffsetMillis(core::UnixMillis at) {
  return ToMillis(LocalTimeAt(at)) - at;
}

ServiceState StateAt(const OpeningHours& hours, core::UnixMillis now) {
  const gregorian::date today = LocalTimeAt(now).date();
  ServiceState state;
  if (const DayException* exception = ExceptionOn(hours, FormatDate(today))) {
    state.label = exception->label;
  }
  const core::UnixMillis horizon =
      ToMillis(posix_time::ptime(today + gregorian::days(kLookAheadDays)));
  for (const Interval& opening : Openings(hours, today)) {
    if (opening.to <= now) continue;
    if (opening.from <= now) {
      state.open = true;
      state.changes_at = opening.to < horizon ? opening.to : 0;
    } else {
      state.changes_at = opening.from;
    }
    return state;
  }
  return state;
}

}  // namespace uitweg::chat
