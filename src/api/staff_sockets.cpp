#include "api/staff_sockets.hpp"

#include <algorithm>

#include "api/staff_channel.hpp"

namespace uitweg::api {

void StaffSockets::Add(const std::string& session_hash,
                       const std::shared_ptr<StaffChannel>& channel) {
  std::lock_guard lock(mu_);
  open_[channel.get()] = Open{session_hash, channel};
}

void StaffSockets::Remove(const StaffChannel* channel) {
  std::lock_guard lock(mu_);
  open_.erase(channel);
}

std::vector<std::shared_ptr<StaffChannel>> StaffSockets::Live(std::string_view session_hash) const {
  std::vector<std::shared_ptr<StaffChannel>> live;
  std::lock_guard lock(mu_);
  for (const auto& [key, open] : open_) {
    if (!session_hash.empty() && open.session_hash != session_hash) continue;
    if (auto channel = open.channel.lock()) live.push_back(std::move(channel));
  }
  return live;
}

void StaffSockets::CloseSession(std::string_view session_hash, std::string_view why) {
  for (const auto& channel : Live(session_hash)) channel->EndSession(why);
}

void StaffSockets::Sweep(const core::Post& blocking) {
  for (auto& channel : Live()) {
    blocking([channel = std::move(channel)] { (void)channel->SessionStillLive(false); });
  }
}

void StaffSockets::CheckAccountNow(std::int64_t account_id) {
  for (const auto& channel : Live()) {
    if (channel->account_id() == account_id) (void)channel->SessionStillLive(false);
  }
}

std::vector<std::int64_t> StaffSockets::ConnectedAccounts() const {
  std::vector<std::int64_t> accounts;
  for (const auto& channel : Live()) {
    if (channel->counsels()) accounts.push_back(channel->account_id());
  }
  std::sort(accounts.begin(), accounts.end());
  accounts.erase(std::unique(accounts.begin(), accounts.end()), accounts.end());
  return accounts;
}

void StaffSockets::SyncOffers(const std::vector<OfferView>& offers) {
  for (const std::shared_ptr<StaffChannel>& channel : Live()) channel->SyncOffers(offers);
}

std::size_t StaffSockets::size() const {
  std::lock_guard lock(mu_);
  return open_.size();
}

}  // namespace uitweg::api
