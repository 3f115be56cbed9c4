#include "api/team_api.hpp"

#include <algorithm>

#include <boost/json/array.hpp>

#include "api/json_fields.hpp"
#include "chat/conversations.hpp"

namespace uitweg::api {

core::Result<boost::json::object> TeamApi::MemberJson(const model::StaffAccount& account) {
  UITWEG_TRY_ASSIGN(const auto held, conversations_.ListActiveFor(account.id));
  // A message left takes no live place: `active` is what fills a counsellor's capacity.
  const auto live = std::count_if(held.begin(), held.end(),
                                  [](const model::Conversation& each) { return !each.offline; });
  boost::json::object out;
  out["id"] = account.id;
  out["display_name"] = account.display_name;
  out["role"] = model::RoleName(account.role);
  out["capacity"] = account.capacity;
  out["availability"] = model::AvailabilityName(account.availability);
  out["active"] = static_cast<std::int64_t>(live);
  boost::json::array conversations;
  for (const model::Conversation& conversation : held) {
    boost::json::object item;
    item["id"] = conversation.id;
    item["nickname"] = conversation.nickname;
    item["subject"] = model::SubjectName(conversation.subject);
    item["accepted_at"] = conversation.accepted_at.value_or(0);
    item["offline"] = conversation.offline;
    conversations.push_back(std::move(item));
  }
  out["conversations"] = std::move(conversations);
  return out;
}

core::Result<Response> TeamApi::List(const Request& request) {
  UITWEG_TRY(auth_.Check(request));
  UITWEG_TRY_ASSIGN(const std::vector<model::StaffAccount> accounts, accounts_.ListAccounts());
  boost::json::array team;
  for (const model::StaffAccount& account : accounts) {
    if (account.disabled || !chat::Conversations::CanCounsel(account.role)) continue;
    UITWEG_TRY_ASSIGN(boost::json::object member, MemberJson(account));
    team.push_back(std::move(member));
  }
  boost::json::object out;
  out["team"] = std::move(team);
  return JsonResponse(200, out);
}

core::Result<Response> TeamApi::SetCapacity(const Request& request) {
  UITWEG_TRY_ASSIGN(const auth::Authenticated supervisor, auth_.CheckChange(request));
  UITWEG_TRY_ASSIGN(const std::int64_t id, PathId(request, 0, "colleague"));
  UITWEG_TRY_ASSIGN(const boost::json::object body, ParseObject(request.body, "the body"));
  UITWEG_TRY_ASSIGN(const std::int64_t capacity,
                    RequiredInt(body, "capacity", model::kMaxCapacity));
  if (capacity < 1) {
    return core::Fail(core::Errc::invalid_argument, "capacity must be from 1 to 20");
  }
  UITWEG_TRY_ASSIGN(const model::StaffAccount account, accounts_.FindAccount(id));
  if (!chat::Conversations::CanCounsel(account.role)) {
    return core::Fail(core::Errc::failed_precondition, "this colleague does not take chats");
  }
  UITWEG_TRY(accounts_.SetCapacity(id, static_cast<std::int32_t>(capacity)));
  (void)audit_.Record(auth::Actor::Staff(supervisor.account), auth::audit_action::capacity_changed,
                      {}, "account " + std::to_string(id) + " to " + std::to_string(capacity));
  UITWEG_TRY_ASSIGN(const model::StaffAccount changed, accounts_.FindAccount(id));
  UITWEG_TRY_ASSIGN(boost::json::object member, MemberJson(changed));
  boost::json::object out;
  out["member"] = std::move(member);
  return JsonResponse(200, out);
}

}  // namespace uitweg::api
