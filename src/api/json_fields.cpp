#include "api/json_fields.hpp"

#include <algorithm>
#include <charconv>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/url/params_view.hpp>
#include <boost/url/parse_query.hpp>

#include "api/origin.hpp"
#include "chat/opening_hours.hpp"

namespace uitweg::api {
namespace {

core::Error Invalid(std::string message) {
  return core::Fail(core::Errc::invalid_argument, std::move(message));
}

std::string Quoted(std::string_view key) {
  return "field \"" + std::string(key) + "\"";
}

}  // namespace

bool IsJsonMediaType(std::string_view content_type) {
  std::string_view media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.remove_suffix(1);
  while (!media.empty() && (media.front() == ' ' || media.front() == '\t')) media.remove_prefix(1);
  constexpr std::string_view kJson = "application/json";
  if (media.size() != kJson.size()) return false;
  for (std::size_t i = 0; i < media.size(); ++i) {
    const char c = media[i];
    if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != kJson[i]) return false;
  }
  return true;
}

core::Result<boost::json::object> ParseObject(std::string_view text, std::string_view what) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(text, ec);
  if (ec) return Invalid(std::string(what) + " is not valid JSON");
  if (!value.is_object()) return Invalid(std::string(what) + " must be a JSON object");
  return std::move(value.as_object());
}

core::Result<std::string> RequiredString(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr) return Invalid("missing " + Quoted(key));
  if (!value->is_string()) return Invalid(Quoted(key) + " must be a string");
  return std::string(value->as_string());
}

core::Result<std::string> OptionalString(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr || value->is_null()) return std::string();
  if (!value->is_string()) return Invalid(Quoted(key) + " must be a string");
  return std::string(value->as_string());
}

core::Result<std::int64_t> OptionalSeq(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr) return std::int64_t{0};
  if (value->is_int64() && value->as_int64() >= 0) return value->as_int64();
  if (value->is_uint64() && value->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(value->as_uint64());
  }
  return Invalid(Quoted(key) + " must be an integer >= 0");
}

core::Result<std::int64_t> RequiredInt(const boost::json::object& object, std::string_view key,
                                       std::int64_t max) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr || !value->is_int64() || value->as_int64() < 0 || value->as_int64() > max) {
    return core::Fail(
        core::Errc::invalid_argument,
        std::string(key) + " must be a whole number from 0 to " + std::to_string(max));
  }
  return value->as_int64();
}

core::Result<std::int64_t> PathId(const Request& request, std::size_t index,
                                  std::string_view what) {
  std::int64_t id = 0;
  const std::string& text = request.params.at(index);
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size()) {
    return core::Fail(core::Errc::not_found, std::string(what) + " not found");
  }
  return id;
}

core::Result<boost::json::object> VisitorBody(const Request& request) {
  if (!SameOrigin(request)) {
    return core::Fail(core::Errc::permission_denied, "the request comes from another site");
  }
  if (!IsJsonMediaType(request.content_type)) {
    return core::Fail(core::Errc::invalid_argument, "the body must be application/json");
  }
  if (request.body.empty()) return boost::json::object{};
  return ParseObject(request.body, "the body");
}

core::Result<boost::json::object> SameSiteBody(const Request& request) {
  if (!SameOrigin(request)) {
    return core::Fail(core::Errc::permission_denied, "the request comes from another site");
  }
  return ParseObject(request.body, "the body");
}

Response JsonResponse(unsigned status, const boost::json::object& body) {
  return Response{status, boost::json::serialize(body), {{"Cache-Control", "no-store"}}};
}

core::Result<std::map<std::string, std::string, std::less<>>> QueryParams(
    std::string_view query, std::initializer_list<std::string_view> known) {
  std::map<std::string, std::string, std::less<>> out;
  if (query.empty()) return out;
  auto params = boost::urls::parse_query(query);
  if (!params) return core::Fail(core::Errc::invalid_argument, "the query string is malformed");
  for (const boost::urls::param& param : boost::urls::params_view(*params)) {
    if (std::find(known.begin(), known.end(), param.key) == known.end()) {
      return core::Fail(core::Errc::invalid_argument, "unknown parameter " + param.key);
    }
    if (!out.emplace(param.key, param.value).second) {
      return core::Fail(core::Errc::invalid_argument, "parameter " + param.key + " given twice");
    }
  }
  return out;
}

core::Result<std::int64_t> QueryNumber(std::string_view name, std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0) {
    return core::Fail(core::Errc::invalid_argument, std::string(name) + " must be a number");
  }
  return value;
}

std::optional<std::string> QueryParam(const std::map<std::string, std::string, std::less<>>& params,
                                      std::string_view name) {
  const auto found = params.find(name);
  if (found == params.end()) return std::nullopt;
  return found->second;
}

core::Status CheckPeriod(std::string_view from, std::string_view to) {
  if (!chat::IsDate(from) || !chat::IsDate(to) || to < from) {
    return core::Fail(core::Errc::invalid_argument,
                      "from and to are dates, YYYY-MM-DD, from first");
  }
  return {};
}

core::Result<LocalPeriod> PeriodParams(
    const std::map<std::string, std::string, std::less<>>& params, core::UnixMillis now,
    std::int64_t default_days) {
  LocalPeriod period{
      .from = QueryParam(params, "from")
                  .value_or(chat::LocalDaysBefore(now, static_cast<int>(default_days - 1))),
      .to = QueryParam(params, "to").value_or(chat::LocalDate(now))};
  UITWEG_TRY(CheckPeriod(period.from, period.to));
  return period;
}

}  // namespace uitweg::api
