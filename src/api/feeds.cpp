#include "api/feeds.hpp"

#include <utility>

#include "core/log.hpp"

namespace uitweg::api {

ConversationFeeds::ConversationFeeds(chat::Conversations& conversations, chat::Hub& hub,
                                     Post post, Deliver deliver)
    : conversations_(conversations),
      hub_(hub),
      post_(std::move(post)),
      deliver_(std::move(deliver)) {}

core::Status ConversationFeeds::Open(std::string_view conversation_id, std::int64_t last_seq,
                                     const std::shared_ptr<chat::HubListener>& listener) {
  const std::string id(conversation_id);
  {
    std::lock_guard lock(mu_);
    if (feeds_.contains(id)) return {};
    listener_ = listener;
    // Paused until the replay is read: live entries that arrive meanwhile wait and merge.
    feeds_.emplace(id, Feed{chat::Sequencer(last_seq, /*paused=*/true), false});
  }
  hub_.Follow(id, listener);
  core::Status replayed = CatchUp(id);
  if (!replayed) {
    hub_.Unfollow(id, listener.get());
    std::lock_guard lock(mu_);
    feeds_.erase(id);
  }
  return replayed;
}

core::Status ConversationFeeds::CatchUp(const std::string& conversation_id) {
  std::int64_t after = 0;
  {
    std::lock_guard lock(mu_);
    auto it = feeds_.find(conversation_id);
    if (it == feeds_.end()) return {};
    after = it->second.sequencer.delivered();
  }
  for (;;) {
    auto page = conversations_.Replay(conversation_id, after);
    if (!page) return page.error();
    const bool full = page->size() >= chat::kReplayPage;
    if (full) after = page->back().message.seq;
    std::lock_guard lock(mu_);
    auto it = feeds_.find(conversation_id);
    if (it == feeds_.end()) return {};
    DeliverAll(it->second.sequencer.OfferAll(std::move(*page)));
    if (full) continue;
    DeliverAll(it->second.sequencer.Unpause());
    it->second.catch_up_scheduled = false;
    if (it->second.sequencer.HasGap()) ScheduleCatchUp(conversation_id, it->second);
    return {};
  }
}

void ConversationFeeds::OnEntry(const chat::Entry& entry) {
  std::lock_guard lock(mu_);
  auto it = feeds_.find(entry.message.conversation_id);
  if (it == feeds_.end()) return;
  DeliverAll(it->second.sequencer.Offer(entry));
  if (it->second.sequencer.HasGap()) ScheduleCatchUp(it->first, it->second);
}

void ConversationFeeds::ScheduleCatchUp(const std::string& conversation_id, Feed& feed) {
  if (feed.catch_up_scheduled) return;
  feed.catch_up_scheduled = true;
  std::shared_ptr<chat::HubListener> owner = listener_.lock();
  if (!owner) return;
  post_([this, owner, conversation_id] {
    if (core::Status status = CatchUp(conversation_id); !status) {
      core::Log(core::LogLevel::warn, "feed.catch_up_failed",
                {{"conversation", conversation_id}, {"code", core::ErrcName(status.error().code)}});
    }
  });
}

void ConversationFeeds::DeliverAll(const std::vector<chat::Entry>& entries) {
  for (const chat::Entry& entry : entries) deliver_(entry);
}

void ConversationFeeds::CloseAll(const chat::HubListener* listener) {
  std::map<std::string, Feed, std::less<>> closing;
  {
    std::lock_guard lock(mu_);
    closing.swap(feeds_);
  }
  for (const auto& [id, feed] : closing) hub_.Unfollow(id, listener);
}

}  // namespace uitweg::api
