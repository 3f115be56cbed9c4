#include "api/history_api.hpp"

#include <boost/json/array.hpp>

#include "api/json_fields.hpp"
#include "api/wire.hpp"

namespace uitweg::api {
namespace {

constexpr core::UnixMillis kDay = 24 * 60 * 60 * 1000;

chat::Counsellor CounsellorOf(const auth::Authenticated& staff) {
  return chat::Counsellor{staff.account.id, staff.account.role, staff.account.display_name};
}

struct Period {
  core::UnixMillis since = 0;
  core::UnixMillis until = 0;
};

// ?since=&until= in Unix milliseconds; by default the last 30 days.
core::Result<Period> PeriodFrom(std::string_view query, core::UnixMillis now) {
  Period period{.since = now - 30 * kDay, .until = now + 1};
  UITWEG_TRY_ASSIGN(const auto params, QueryParams(query, {"since", "until"}));
  if (auto since = params.find("since"); since != params.end()) {
    UITWEG_TRY_ASSIGN(period.since, QueryNumber("since", since->second));
  }
  if (auto until = params.find("until"); until != params.end()) {
    UITWEG_TRY_ASSIGN(period.until, QueryNumber("until", until->second));
  }
  return period;
}

}  // namespace

core::Result<Response> HistoryApi::List(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated staff, auth_.Check(request));
  UITWEG_TRY_ASSIGN(const Period period, PeriodFrom(request.query, clock_.Now()));
  UITWEG_TRY_ASSIGN(const auto ended,
                    conversations_.HistoryOf(CounsellorOf(staff), period.since, period.until));
  std::vector<std::string> ids;
  for (const model::Conversation& conversation : ended) ids.push_back(conversation.id);
  UITWEG_TRY_ASSIGN(const auto registered, registrations_.StatusOf(ids));
  boost::json::array listed;
  for (const model::Conversation& conversation : ended) {
    boost::json::object item = ConversationJson(conversation);
    item["registration"] = chat::RegistrationStatusName(registered.at(conversation.id));
    listed.push_back(std::move(item));
  }
  boost::json::object out;
  out["conversations"] = std::move(listed);
  out["since"] = period.since;
  out["until"] = period.until;
  return JsonResponse(200, out);
}

core::Result<Response> HistoryApi::MessagesLeft(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated staff, auth_.Check(request));
  UITWEG_TRY_ASSIGN(const auto left, conversations_.MessagesLeft(CounsellorOf(staff)));
  boost::json::array listed;
  for (const chat::MessageLeft& message : left) {
    boost::json::object item = ConversationJson(message.conversation);
    item["first_line"] = message.first_line;
    listed.push_back(std::move(item));
  }
  boost::json::object out;
  out["messages"] = std::move(listed);
  return JsonResponse(200, out);
}

core::Result<Response> HistoryApi::Open(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated staff, auth_.Check(request));
  UITWEG_TRY_ASSIGN(const auto transcript,
                    conversations_.OpenFromHistory(request.params.at(0), CounsellorOf(staff)));
  UITWEG_TRY(audit_.Record(auth::Actor::Staff(staff.account), auth::audit_action::history_read,
                           transcript.conversation.id));
  boost::json::array entries;
  for (const chat::Entry& entry : transcript.entries) entries.push_back(MessageJson(entry));
  boost::json::object out;
  out["conversation"] = ConversationJson(transcript.conversation);
  out["messages"] = std::move(entries);
  out["truncated"] = transcript.truncated;
  return JsonResponse(200, out);
}

}  // namespace uitweg::api
