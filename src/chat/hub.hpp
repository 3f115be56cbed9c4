#pragma once
// In-process fan-out of conversation events: new entries, conversation changes and queue
// changes. Listeners are held weakly and forgotten once they expire. Publishing copies the
// recipients under the lock and calls them after releasing it, so a listener may follow or
// unfollow from inside a callback.
//
// Thread safety: every method may be called from any thread. Listener callbacks run on the
// publishing thread (a worker) and must not block: they queue frames or post work elsewhere.
// Entries of one conversation can reach a listener out of seq order when two are published at
// once; listeners put them in order (see Sequencer).

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "chat/entry.hpp"

namespace uitweg::chat {

class HubListener {
 public:
  virtual ~HubListener() = default;
  virtual void OnEntry(const Entry& entry) = 0;
  virtual void OnConversationChanged(const store::Conversation& conversation) = 0;
  virtual void OnQueueChanged(const QueueSnapshot& queue) = 0;
};

class Hub {
 public:
  void Follow(std::string_view conversation_id, std::weak_ptr<HubListener> listener);
  void Unfollow(std::string_view conversation_id, const HubListener* listener);
  void WatchQueue(std::weak_ptr<HubListener> listener);
  void UnwatchQueue(const HubListener* listener);

  void PublishEntry(const Entry& entry);
  void PublishConversation(const store::Conversation& conversation);
  void PublishQueue(const QueueSnapshot& queue);

  // Live listeners following one conversation; for tests and metrics.
  std::size_t FollowerCount(std::string_view conversation_id);

 private:
  using Listeners = std::vector<std::weak_ptr<HubListener>>;
  // Copies the live listeners and drops expired ones. Caller holds mu_.
  static std::vector<std::shared_ptr<HubListener>> Live(Listeners& listeners);
  std::vector<std::shared_ptr<HubListener>> FollowersOf(std::string_view conversation_id);

  // Guarded by mu_.
  std::mutex mu_;
  std::unordered_map<std::string, Listeners> followers_;
  Listeners queue_watchers_;
};

}  // namespace uitweg::chat
