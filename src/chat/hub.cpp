#include "chat/hub.hpp"

#include <algorithm>

namespace uitweg::chat {
namespace {

void Remove(std::vector<std::weak_ptr<HubListener>>& listeners, const HubListener* listener) {
  std::erase_if(listeners, [listener](const std::weak_ptr<HubListener>& weak) {
    auto strong = weak.lock();
    return !strong || strong.get() == listener;
  });
}

}  // namespace

std::int64_t PositionIn(const QueueSnapshot& queue, std::string_view conversation_id) {
  if (!queue) return 0;
  for (std::size_t i = 0; i < queue->size(); ++i) {
    if ((*queue)[i].id == conversation_id) return static_cast<std::int64_t>(i + 1);
  }
  return 0;
}

void Hub::Follow(std::string_view conversation_id, std::weak_ptr<HubListener> listener) {
  std::lock_guard lock(mu_);
  followers_[std::string(conversation_id)].push_back(std::move(listener));
}

void Hub::Unfollow(std::string_view conversation_id, const HubListener* listener) {
  std::lock_guard lock(mu_);
  auto it = followers_.find(std::string(conversation_id));
  if (it == followers_.end()) return;
  Remove(it->second, listener);
  if (it->second.empty()) followers_.erase(it);
}

void Hub::WatchQueue(std::weak_ptr<HubListener> listener) {
  std::lock_guard lock(mu_);
  queue_watchers_.push_back(std::move(listener));
}

void Hub::UnwatchQueue(const HubListener* listener) {
  std::lock_guard lock(mu_);
  Remove(queue_watchers_, listener);
}

std::vector<std::shared_ptr<HubListener>> Hub::Live(Listeners& listeners) {
  std::vector<std::shared_ptr<HubListener>> live;
  live.reserve(listeners.size());
  std::erase_if(listeners, [&live](const std::weak_ptr<HubListener>& weak) {
    auto strong = weak.lock();
    if (!strong) return true;
    live.push_back(std::move(strong));
    return false;
  });
  return live;
}

std::vector<std::shared_ptr<HubListener>> Hub::FollowersOf(std::string_view conversation_id) {
  std::lock_guard lock(mu_);
  auto it = followers_.find(std::string(conversation_id));
  if (it == followers_.end()) return {};
  auto live = Live(it->second);
  if (it->second.empty()) followers_.erase(it);
  return live;
}

void Hub::PublishEntry(const Entry& entry) {
  for (const auto& listener : FollowersOf(entry.message.conversation_id)) listener->OnEntry(entry);
}

void Hub::PublishConversation(const store::Conversation& conversation) {
  for (const auto& listener : FollowersOf(conversation.id)) {
    listener->OnConversationChanged(conversation);
  }
}

void Hub::PublishQueue(const QueueSnapshot& queue) {
  std::vector<std::shared_ptr<HubListener>> watchers;
  {
    std::lock_guard lock(mu_);
    watchers = Live(queue_watchers_);
  }
  for (const auto& listener : watchers) listener->OnQueueChanged(queue);
}

std::size_t Hub::FollowerCount(std::string_view conversation_id) {
  return FollowersOf(conversation_id).size();
}

}  // namespace uitweg::chat
