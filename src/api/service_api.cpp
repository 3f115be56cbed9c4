#include "api/service_api.hpp"

#include <algorithm>
#include <array>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/json_fields.hpp"

namespace uitweg::api {
namespace {

constexpr std::array<std::string_view, 7> kWeekdays = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
constexpr core::UnixMillis kAvailableFreshFor = 2 * 1000;
constexpr core::UnixMillis kDayMillis = 24LL * 60 * 60 * 1000;
// How far ahead a visitor is shown the days whose hours differ from the week's.
constexpr core::UnixMillis kComingDaysShown = 14 * kDayMillis;

core::Error Invalid(std::string message) {
  return core::Fail(core::Errc::invalid_argument, std::move(message));
}

boost::json::array SpansJson(const std::vector<chat::OpenSpan>& spans) {
  boost::json::array out;
  for (const chat::OpenSpan& span : spans) {
    out.push_back(boost::json::object{{"open", chat::FormatClock(span.open_minute)},
                                      {"close", chat::FormatClock(span.close_minute)}});
  }
  return out;
}

core::Result<std::vector<chat::OpenSpan>> SpansFrom(const boost::json::value& json,
                                                    std::string_view where) {
  const auto bad = [&] {
    return Invalid(std::string(where) +
                   " must be a list of {\"open\": \"HH:MM\", \"close\": \"HH:MM\"}");
  };
  if (!json.is_array()) return bad();
  std::vector<chat::OpenSpan> spans;
  for (const boost::json::value& item : json.as_array()) {
    if (!item.is_object()) return bad();
    UITWEG_TRY_ASSIGN(const std::string open, RequiredString(item.as_object(), "open"));
    UITWEG_TRY_ASSIGN(const std::string close, RequiredString(item.as_object(), "close"));
    UITWEG_TRY_ASSIGN(const std::int32_t open_minute, chat::ParseClock(open));
    UITWEG_TRY_ASSIGN(const std::int32_t close_minute, chat::ParseClock(close));
    spans.push_back({.open_minute = open_minute, .close_minute = close_minute});
  }
  return spans;
}

core::Result<chat::OpeningHours> StoredHours(const store::Setting& stored) {
  boost::system::error_code error;
  const boost::json::value json = boost::json::parse(stored.value, error);
  if (error || !json.is_object()) {
    return core::Fail(core::Errc::internal, "the stored opening hours are not JSON");
  }
  return OpeningHoursFrom(json.as_object());
}

boost::json::value TimeOrNull(core::UnixMillis at) {
  if (at == 0) return nullptr;
  return at;
}

}  // namespace

boost::json::object OpeningHoursJson(const chat::OpeningHours& hours) {
  boost::json::object weekly;
  for (std::size_t day = 0; day < kWeekdays.size(); ++day) {
    weekly[kWeekdays[day]] = SpansJson(hours.weekly[day]);
  }
  boost::json::array exceptions;
  for (const chat::DayException& exception : hours.exceptions) {
    exceptions.push_back(boost::json::object{{"date", exception.date},
                                             {"label", exception.label},
                                             {"hours", SpansJson(exception.spans)}});
  }
  return boost::json::object{{"time_zone", "Europe/Amsterdam"},
                             {"weekly", std::move(weekly)},
                             {"exceptions", std::move(exceptions)}};
}

core::Result<chat::OpeningHours> OpeningHoursFrom(const boost::json::object& json) {
  chat::OpeningHours hours;
  const boost::json::value* weekly = json.if_contains("weekly");
  if (weekly == nullptr || !weekly->is_object()) {
    return Invalid("weekly must map weekdays (monday ... sunday) to their hours");
  }
  for (const auto& [day, spans] : weekly->as_object()) {
    const auto found = std::find(kWeekdays.begin(), kWeekdays.end(), std::string_view(day));
    if (found == kWeekdays.end()) {
      return Invalid("weekly: \"" + std::string(day).substr(0, 20) + "\" is not a weekday");
    }
    UITWEG_TRY_ASSIGN(hours.weekly[found - kWeekdays.begin()], SpansFrom(spans, day));
  }
  if (const boost::json::value* exceptions = json.if_contains("exceptions");
      exceptions != nullptr) {
    if (!exceptions->is_array()) return Invalid("exceptions must be a list");
    if (exceptions->as_array().size() > chat::kMaxExceptions) {
      return Invalid("at most " + std::to_string(chat::kMaxExceptions) + " exceptions");
    }
    for (const boost::json::value& item : exceptions->as_array()) {
      if (!item.is_object()) return Invalid("an exception is {\"date\", \"label\", \"hours\"}");
      const boost::json::object& exception = item.as_object();
      chat::DayException day;
      UITWEG_TRY_ASSIGN(day.date, RequiredString(exception, "date"));
      UITWEG_TRY_ASSIGN(day.label, OptionalString(exception, "label"));
      if (const boost::json::value* spans = exception.if_contains("hours"); spans != nullptr) {
        UITWEG_TRY_ASSIGN(day.spans, SpansFrom(*spans, "an exception's hours"));
      }
      hours.exceptions.push_back(std::move(day));
    }
  }
  UITWEG_TRY(chat::Normalise(hours));
  return hours;
}

core::Result<Response> ServiceApi::Status(const Request&) {
  const chat::ServiceState state = hours_.Now();
  UITWEG_TRY_ASSIGN(const std::int64_t available, CountAvailable());
  const auto waiting = static_cast<std::int64_t>(hub_.WaitingCount());
  boost::json::object out;
  out["open"] = state.open;
  out["changes_at"] = TimeOrNull(state.changes_at);
  out["label"] = state.label;
  out["counsellors_available"] = available;
  out["waiting"] = waiting;
  const std::optional<core::UnixMillis> wait = conversations_.ExpectedWait(waiting + 1);
  out["expected_wait_ms"] = wait ? boost::json::value(*wait) : boost::json::value(nullptr);
  boost::json::object hours = OpeningHoursJson(hours_.Hours());
  out["weekly"] = hours.at("weekly");
  // The coming two weeks' days whose hours differ from the week's (a holiday closed, an evening
  // extra): a visitor reading the week at night must not count on a day that is closed.
  const core::UnixMillis now = clock_.Now();
  const std::string today = chat::LocalDate(now);
  // Counted in local days from today's midnight (noon of the last, so that a clock change in
  // between moves no boundary).
  const std::string until =
      chat::LocalDate(chat::StartOfLocalDate(today) + kComingDaysShown + kDayMillis / 2);
  boost::json::array coming;
  for (boost::json::value& exception : hours.at("exceptions").as_array()) {
    const std::string_view date = exception.as_object().at("date").as_string();
    if (date >= today && date < until) coming.push_back(std::move(exception));
  }
  out["exceptions"] = std::move(coming);
  boost::json::array helplines;
  for (const model::Helpline& helpline : helplines_) {
    helplines.push_back(boost::json::object{
        {"name", helpline.name}, {"contact", helpline.contact}, {"when", helpline.when}});
  }
  out["helplines"] = std::move(helplines);
  out["neutral_title"] = neutral_title_;
  return JsonResponse(200, out);
}

core::Result<Response> ServiceApi::Hours(const Request& request) {
  UITWEG_TRY(auth_.Check(request));
  // From the store, not this node's copy: a change on another node that this one has not taken
  // yet must not be shown (and then saved) under the version it replaced.
  UITWEG_TRY_ASSIGN(const std::optional<store::Setting> stored, RefreshFromStore());
  // Shown from what was read with its version: the node's copy may meanwhile be set back by a
  // Refresh that read before.
  chat::OpeningHours shown = hours_.Hours();
  if (stored) {
    UITWEG_TRY_ASSIGN(shown, StoredHours(*stored));
  }
  boost::json::object out = OpeningHoursJson(shown);
  out["version"] = store::SettingVersion(stored);
  const chat::ServiceState state = hours_.Now();
  out["open"] = state.open;
  out["changes_at"] = TimeOrNull(state.changes_at);
  return JsonResponse(200, out);
}

core::Result<Response> ServiceApi::SetHours(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated admin, auth_.CheckChange(request));
  UITWEG_TRY_ASSIGN(const boost::json::object body, ParseObject(request.body, "the body"));
  UITWEG_TRY_ASSIGN(chat::OpeningHours hours, OpeningHoursFrom(body));
  const std::string value = boost::json::serialize(OpeningHoursJson(hours));
  UITWEG_TRY_ASSIGN(const std::string based_on, OptionalString(body, "based_on"));
  if (body.contains("based_on")) {
    // Saved over the version the admin saw, or not at all: a colleague's change made meanwhile
    // (a closed holiday) is not lost.
    UITWEG_TRY_ASSIGN(const bool written, store::WriteSettingOver(settings_, kOpeningHoursSetting,
                                                                  value, based_on, clock_.Now()));
    if (!written) {
      return core::Fail(core::Errc::aborted,
                        "the opening hours were changed meanwhile; load them again");
    }
  } else {
    UITWEG_TRY(settings_.WriteSetting(kOpeningHoursSetting, value, clock_.Now()));
  }
  hours_.Replace(hours);
  (void)audit_.Record(auth::Actor::Staff(admin.account), auth::audit_action::opening_hours_changed,
                      {}, std::to_string(hours.exceptions.size()) + " exceptions");
  return Hours(request);
}

core::Status ServiceApi::Refresh() {
  UITWEG_TRY(RefreshFromStore());
  return {};
}

core::Result<std::optional<store::Setting>> ServiceApi::RefreshFromStore() {
  UITWEG_TRY_ASSIGN(std::optional<store::Setting> stored,
                    settings_.ReadSetting(kOpeningHoursSetting));
  if (!stored) return stored;
  UITWEG_TRY_ASSIGN(chat::OpeningHours hours, StoredHours(*stored));
  hours_.Replace(std::move(hours));
  return stored;
}

core::Result<std::int64_t> ServiceApi::CountAvailable() {
  const core::UnixMillis now = clock_.Now();
  std::lock_guard lock(available_mu_);
  if (available_ && now - available_at_ < kAvailableFreshFor) return *available_;
  UITWEG_TRY_ASSIGN(const auto available, AvailableNow());
  available_ = static_cast<std::int64_t>(available.size());
  available_at_ = now;
  return *available_;
}

core::Result<std::vector<model::StaffAccount>> ServiceApi::AvailableNow() {
  const core::UnixMillis now = clock_.Now();
  UITWEG_TRY_ASSIGN(std::vector<model::StaffAccount> accounts, accounts_.ListAccounts());
  const std::vector<std::int64_t> here = connected_here_();
  std::erase_if(accounts, [&](const model::StaffAccount& account) {
    const bool connected =
        std::find(here.begin(), here.end(), account.id) != here.end() ||
        (account.console_seen_at && *account.console_seen_at >= now - console_fresh_ms_);
    return !connected || account.disabled || !chat::Conversations::CanCounsel(account.role) ||
           account.availability != model::Availability::available;
  });
  return accounts;
}

core::Result<Response> ServiceApi::Colleagues(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated staff, auth_.Check(request));
  UITWEG_TRY_ASSIGN(const auto available, AvailableNow());
  boost::json::array colleagues;
  for (const model::StaffAccount& account : available) {
    if (account.id == staff.account.id) continue;
    colleagues.push_back(
        boost::json::object{{"id", account.id}, {"display_name", account.display_name}});
  }
  boost::json::object out;
  out["colleagues"] = std::move(colleagues);
  return JsonResponse(200, out);
}

}  // namespace uitweg::api
