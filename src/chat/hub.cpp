#include "chat/hub.hpp"

#include <algorithm>
#include <utility>

namespace uitweg::chat {
namespace {

void Remove(std::vector<std::weak_ptr<HubListener>>& listeners, const HubListener* listener) {
  std::erase_if(listeners, [listener](const std::weak_ptr<HubListener>& weak) {
    auto strong = weak.lock();
    return !strong || strong.get() == listener;
  });
}

}  // namespace

void HubListener::OnSignal(Side, const Frame&) {}
void HubListener::OnQueueChanged(const Frame&) {}
void HubListener::OnQueuePosition(std::int64_t) {}

Hub::Hub(FrameEncoders encoders, std::size_t queue_window)
    : encoders_(std::move(encoders)), queue_(queue_window) {}

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

void Hub::Follow(std::string_view conversation_id, std::weak_ptr<HubListener> listener) {
  std::lock_guard lock(mu_);
  followers_[std::string(conversation_id)].listeners.push_back(std::move(listener));
}

void Hub::Unfollow(std::string_view conversation_id, const HubListener* listener) {
  std::lock_guard lock(mu_);
  auto it = followers_.find(std::string(conversation_id));
  if (it == followers_.end()) return;
  Remove(it->second.listeners, listener);
  if (it->second.listeners.empty()) followers_.erase(it);
}

void Hub::Publish(const Entry& entry, const HubListener* origin) {
  std::vector<std::shared_ptr<HubListener>> receivers;
  {
    std::lock_guard lock(mu_);
    auto it = followers_.find(entry.message.conversation_id);
    if (it == followers_.end()) return;
    it->second.published = std::max(it->second.published, entry.message.seq);
    receivers = Live(it->second.listeners);
    if (it->second.listeners.empty()) followers_.erase(it);
  }
  std::erase_if(receivers, [origin](const auto& listener) { return listener.get() == origin; });
  if (receivers.empty()) return;
  const Frame frame = std::make_shared<const std::string>(encoders_.entry(entry));
  for (const auto& listener : receivers) listener->OnEntry(entry, frame);
}

void Hub::Signal(std::string_view conversation_id, Side from, const Frame& frame,
                 const HubListener* origin) {
  std::vector<std::shared_ptr<HubListener>> receivers;
  {
    std::lock_guard lock(mu_);
    auto it = followers_.find(std::string(conversation_id));
    if (it == followers_.end()) return;
    receivers = Live(it->second.listeners);
  }
  for (const auto& listener : receivers) {
    if (listener.get() != origin) listener->OnSignal(from, frame);
  }
}

std::size_t Hub::FollowerCount(std::string_view conversation_id) {
  std::lock_guard lock(mu_);
  auto it = followers_.find(std::string(conversation_id));
  if (it == followers_.end()) return 0;
  return Live(it->second.listeners).size();
}

std::vector<std::string> Hub::Followed() {
  std::lock_guard lock(mu_);
  std::vector<std::string> followed;
  followed.reserve(followers_.size());
  for (auto it = followers_.begin(); it != followers_.end();) {
    if (Live(it->second.listeners).empty()) {
      it = followers_.erase(it);
      continue;
    }
    followed.push_back(it->first);
    ++it;
  }
  return followed;
}

std::optional<std::int64_t> Hub::LastPublished(std::string_view conversation_id) {
  std::lock_guard lock(mu_);
  auto it = followers_.find(std::string(conversation_id));
  if (it == followers_.end()) return std::nullopt;
  return it->second.published;
}

void Hub::Announce(const QueueChange& change, std::unique_lock<std::mutex>& lock) {
  places_untold_ = true;
  if (!change.TouchesWindow()) {
    total_untold_ = true;
    return;
  }
  total_untold_ = false;
  std::vector<std::shared_ptr<HubListener>> watchers = Live(queue_watchers_);
  lock.unlock();
  if (watchers.empty()) return;
  const Frame frame = std::make_shared<const std::string>(encoders_.queue_change(change));
  for (const auto& watcher : watchers) watcher->OnQueueChanged(frame);
}

std::int64_t Hub::Enqueue(QueueEntry entry) {
  std::lock_guard announcing(announcing_);
  std::unique_lock lock(mu_);
  const std::string id = entry.conversation_id;
  left_.erase(id);
  const QueueChange change = queue_.Add(std::move(entry));
  const std::int64_t position = queue_.PositionOf(id);
  Announce(change, lock);
  return position;
}

void Hub::NoteLeft(const std::string& conversation_id, std::int64_t seq) {
  // Far more than can leave between a store read and its use.
  constexpr std::size_t kRememberedLeavers = 10'000;
  auto [it, inserted] = left_.try_emplace(conversation_id, seq);
  if (!inserted && it->second >= seq) return;
  it->second = seq;
  left_in_order_.emplace_back(conversation_id, seq);
  if (left_in_order_.size() > kRememberedLeavers) {
    const auto& [oldest, oldest_seq] = left_in_order_.front();
    // A later leaving of the same conversation stays remembered.
    if (auto found = left_.find(oldest); found != left_.end() && found->second == oldest_seq) {
      left_.erase(found);
    }
    left_in_order_.pop_front();
  }
}

void Hub::Dequeue(std::string_view conversation_id, std::int64_t seq) {
  std::lock_guard announcing(announcing_);
  std::unique_lock lock(mu_);
  NoteLeft(std::string(conversation_id), seq);
  place_watchers_.erase(std::string(conversation_id));
  const QueueChange change = queue_.Remove(conversation_id);
  Announce(change, lock);
}

std::optional<std::int32_t> Hub::NoteVisitorText(std::string_view conversation_id,
                                                 std::string_view text,
                                                 const Assessment& assessment) {
  std::lock_guard announcing(announcing_);
  std::unique_lock lock(mu_);
  const QueueEntry* known = queue_.Find(conversation_id);
  if (known == nullptr) return std::nullopt;
  QueueEntry entry = *known;
  if (entry.first_line.empty()) entry.first_line = FirstLine(text);
  for (const std::string& word : assessment.matched) {
    if (entry.triage_words.size() >= kMaxTriageWords) break;
    if (std::find(entry.triage_words.begin(), entry.triage_words.end(), word) ==
        entry.triage_words.end()) {
      entry.triage_words.push_back(word);
    }
  }
  std::optional<std::int32_t> raise;
  if (!entry.urgency_marked && assessment.urgency > entry.urgency) raise = assessment.urgency;
  if (entry.first_line != known->first_line || entry.triage_words != known->triage_words) {
    const QueueChange change = queue_.Update(std::move(entry));
    Announce(change, lock);
  }
  return raise;
}

std::optional<std::int64_t> Hub::TextsRead(std::string_view conversation_id) const {
  std::lock_guard lock(mu_);
  const QueueEntry* known = queue_.Find(conversation_id);
  if (known == nullptr) return std::nullopt;
  return known->texts_read;
}

void Hub::NoteTextsRead(std::string_view conversation_id, std::int64_t seq) {
  std::lock_guard lock(mu_);
  const QueueEntry* known = queue_.Find(conversation_id);
  if (known == nullptr || known->texts_read >= seq) return;
  QueueEntry entry = *known;
  entry.texts_read = seq;
  // Nothing a console shows changed: no announcement.
  (void)queue_.Update(std::move(entry));
}

QueueMatch Hub::MatchStored(QueueEntry entry, bool waiting) {
  std::lock_guard announcing(announcing_);
  std::unique_lock lock(mu_);
  const QueueEntry* known = queue_.Find(entry.conversation_id);
  // A read older than the entry by which it came (back) into the queue here says nothing new.
  if (known != nullptr && entry.last_seq < known->last_seq) return QueueMatch::unchanged;
  if (!waiting) {
    NoteLeft(entry.conversation_id, entry.last_seq);
    // Also a watch of a place this node never learned (WatchPosition's read_waiting).
    place_watchers_.erase(entry.conversation_id);
    if (known == nullptr) return QueueMatch::unchanged;
    const QueueChange change = queue_.Remove(entry.conversation_id);
    Announce(change, lock);
    return QueueMatch::left;
  }
  if (auto left = left_.find(entry.conversation_id); left != left_.end()) {
    if (entry.last_seq <= left->second) return QueueMatch::unchanged;
    left_.erase(left);
  }
  if (known != nullptr && known->urgency == entry.urgency &&
      known->urgency_marked == entry.urgency_marked && known->nickname == entry.nickname &&
      known->subject == entry.subject && known->created_at == entry.created_at) {
    return QueueMatch::unchanged;
  }
  // A read of the store carries nothing of the visitor's texts; what was noted here stays.
  if (known != nullptr) {
    entry.first_line = known->first_line;
    entry.triage_words = known->triage_words;
    entry.texts_read = known->texts_read;
  }
  const bool entered = known == nullptr;
  const QueueChange change =
      entered ? queue_.Add(std::move(entry)) : queue_.Update(std::move(entry));
  Announce(change, lock);
  return entered ? QueueMatch::entered : QueueMatch::changed;
}

bool Hub::IsWaiting(std::string_view conversation_id) const {
  std::lock_guard lock(mu_);
  return queue_.Contains(conversation_id);
}

std::size_t Hub::WaitingCount() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

std::int64_t Hub::PositionOf(std::string_view conversation_id) const {
  std::lock_guard lock(mu_);
  return queue_.PositionOf(conversation_id);
}

std::vector<QueueEntry> Hub::Top(std::size_t count) const {
  std::lock_guard lock(mu_);
  return queue_.Top(count);
}

std::vector<QueueEntry> Hub::Waiting() const {
  std::lock_guard lock(mu_);
  std::vector<QueueEntry> waiting;
  waiting.reserve(queue_.size());
  queue_.ForEachInOrder([&](const QueueEntry& entry, std::int64_t) { waiting.push_back(entry); });
  return waiting;
}

void Hub::WatchQueue(std::weak_ptr<HubListener> listener,
                     const std::function<void(const QueueSnapshot&)>& first) {
  std::lock_guard lock(mu_);
  first(queue_.Snapshot());
  queue_watchers_.push_back(std::move(listener));
}

void Hub::UnwatchQueue(const HubListener* listener) {
  std::lock_guard lock(mu_);
  Remove(queue_watchers_, listener);
}

void Hub::WatchPosition(std::string_view conversation_id, std::weak_ptr<HubListener> listener,
                        const std::function<void(std::int64_t)>& first, bool read_waiting) {
  std::lock_guard lock(mu_);
  const std::int64_t position = queue_.PositionOf(conversation_id);
  first(position);
  if (position == 0 && !read_waiting) return;
  PlaceWatch& watch = place_watchers_[std::string(conversation_id)];
  // Watched again (a hand-back seen both read from the store and live): told once all the same.
  const auto same = [&](const std::weak_ptr<HubListener>& each) {
    return !each.owner_before(listener) && !listener.owner_before(each);
  };
  if (std::any_of(watch.listeners.begin(), watch.listeners.end(), same)) return;
  watch.listeners.push_back(std::move(listener));
  // A second tab was told the place just now; the first may not have been yet.
  if (watch.listeners.size() == 1) watch.told = position;
}

void Hub::UnwatchPosition(std::string_view conversation_id, const HubListener* listener) {
  std::lock_guard lock(mu_);
  auto it = place_watchers_.find(std::string(conversation_id));
  if (it == place_watchers_.end()) return;
  Remove(it->second.listeners, listener);
  if (it->second.listeners.empty()) place_watchers_.erase(it);
}

void Hub::Tick() {
  // The total, in order with the queue's changes.
  {
    std::lock_guard announcing(announcing_);
    std::vector<std::shared_ptr<HubListener>> staff;
    QueueChange total_only;
    {
      std::lock_guard lock(mu_);
      if (total_untold_) {
        total_untold_ = false;
        total_only.total = static_cast<std::int64_t>(queue_.size());
        staff = Live(queue_watchers_);
      }
    }
    if (!staff.empty()) {
      const Frame frame = std::make_shared<const std::string>(encoders_.queue_change(total_only));
      for (const auto& watcher : staff) watcher->OnQueueChanged(frame);
    }
  }
  // Places: only Tick tells them, so they need no such order.
  std::vector<std::pair<std::shared_ptr<HubListener>, std::int64_t>> moved;
  {
    std::lock_guard lock(mu_);
    if (++ticks_since_retell_ >= kTicksPerPlaceRetell) {
      ticks_since_retell_ = 0;
      for (auto& [id, watch] : place_watchers_) watch.told = 0;
      places_untold_ = true;
    }
    if (places_untold_ && !place_watchers_.empty()) {
      places_untold_ = false;
      queue_.ForEachInOrder([&](const QueueEntry& entry, std::int64_t position) {
        auto it = place_watchers_.find(entry.conversation_id);
        if (it == place_watchers_.end() || it->second.told == position) return;
        it->second.told = position;
        for (auto& listener : Live(it->second.listeners)) {
          moved.emplace_back(std::move(listener), position);
        }
      });
    }
  }
  for (const auto& [listener, position] : moved) listener->OnQueuePosition(position);
}

}  // namespace uitweg::chat
