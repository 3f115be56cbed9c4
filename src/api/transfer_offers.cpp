#include "api/transfer_offers.hpp"

#include <unordered_map>

namespace uitweg::api {

core::Status SyncTransferOffers(chat::Conversations& conversations, StaffSockets& sockets,
                                core::UnixMillis lapse_after) {
  UITWEG_TRY(conversations.WithdrawLapsedOffers(lapse_after));
  UITWEG_TRY_ASSIGN(const auto offered, conversations.Offers());
  std::unordered_map<std::int64_t, std::string> names;
  const auto name_of = [&](std::optional<std::int64_t> id) -> std::string {
    if (!id) return {};
    if (auto it = names.find(*id); it != names.end()) return it->second;
    auto account = conversations.AccountOf(*id);
    std::string name = account ? account->display_name : std::string();
    names.emplace(*id, name);
    return name;
  };
  std::vector<OfferView> offers;
  for (const model::Conversation& conversation : offered) {
    offers.push_back(OfferView{.conversation = conversation,
                               .from_name = name_of(conversation.counsellor_id),
                               .to_name = name_of(conversation.offered_to),
                               .lapses_at = conversation.offered_at.value_or(0) + lapse_after});
  }
  sockets.SyncOffers(offers);
  return {};
}

}  // namespace uitweg::api
