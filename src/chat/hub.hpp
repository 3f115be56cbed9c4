#pragma once
// In-process fan-out: the entries of each conversation to the sockets that follow it, changes of
// the queue's window to the staff who watch it, and places in the queue to waiting visitors.
// Every event is encoded once (by the encoders app/ gives it) and the same bytes go to every
// listener. The hub also holds the queue itself (chat::Queue).
//
// Publish is called from one place, the answers of committed writes, which run one at a time in
// commit order; so listeners see a conversation's entries in seq order. The queue changes come
// from there and from workers (a visitor's text noted, another node's change read); each is
// handed to every watcher before the next is made, so watchers see them in order. Watching the
// queue or a place hands the listener its first view under the same lock that changes take, so
// nothing is missed or seen twice. Changes that only move the total, and visitors' places, are sent
// by Tick (about once a second), so that one visitor joining does not cost a frame to every
// counsellor and every visitor.
//
// Listeners are held weakly and forgotten once they expire. Calls to listeners happen outside
// the lock, except the first views, which must not block and must not call the hub; queue
// changes are handed out under the lock that orders them, so OnQueueChanged must not change the
// queue (Enqueue, Dequeue, NoteVisitorText, MatchStored, Tick). Listener callbacks run on the
// publishing thread and must not block: they queue frames.
//
// Thread safety: every method may be called from any thread.

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "chat/entry.hpp"
#include "chat/queue.hpp"
#include "chat/triage.hpp"

namespace uitweg::chat {

// Which side a signal comes from; the other side hears it. A supervisor's signals (who watches)
// are for the staff who follow the conversation, never for its visitor.
enum class Side { visitor, staff, supervisor };

class HubListener {
 public:
  virtual ~HubListener() = default;
  // A signal (typing, presence) from `from` on a followed conversation: nothing stored.
  virtual void OnSignal(Side from, const Frame& frame);
  // An entry of a followed conversation.
  virtual void OnEntry(const Entry& entry, const Frame& frame) = 0;
  // For staff watching the queue: a change to its window.
  virtual void OnQueueChanged(const Frame& frame);
  // For a visitor watching their place: the new one.
  virtual void OnQueuePosition(std::int64_t position);
};

struct FrameEncoders {
  std::function<std::string(const Entry&)> entry;
  std::function<std::string(const QueueChange&)> queue_change;
};

// What MatchStored did to the queue here: nothing, took it out, put it in (new here, or back
// after it left), or changed how it stands.
enum class QueueMatch { unchanged, left, entered, changed };

class Hub {
 public:
  explicit Hub(FrameEncoders encoders, std::size_t queue_window = Queue::kDefaultWindow);

  void Follow(std::string_view conversation_id, std::weak_ptr<HubListener> listener);
  void Unfollow(std::string_view conversation_id, const HubListener* listener);
  // A committed entry, to the followers of its conversation but `origin`, the socket that sent
  // it (its ack tells it all it needs).
  void Publish(const Entry& entry, const HubListener* origin = nullptr);
  // A signal about the conversation (someone types, the visitor came or went), to its followers
  // on this node but `origin`. Stored nowhere, told once, lost if nobody follows.
  void Signal(std::string_view conversation_id, Side from, const Frame& frame,
              const HubListener* origin = nullptr);
  std::size_t FollowerCount(std::string_view conversation_id);
  // The conversations that sockets here follow.
  std::vector<std::string> Followed();
  // The highest seq published here for a followed conversation since it was first followed (0
  // if none yet); nullopt if no one here follows it.
  std::optional<std::int64_t> LastPublished(std::string_view conversation_id);

  // --- the queue, changed in commit order
  // Returns the conversation's place.
  std::int64_t Enqueue(QueueEntry entry);
  // It stops waiting, by the entry `seq` (an accept or an end); its visitor no longer watches a
  // place.
  void Dequeue(std::string_view conversation_id, std::int64_t seq);
  // The visitor of a waiting conversation wrote `text`, which triage assessed: the queue shows
  // the start of their first text and the words that counted. Noting the same text twice
  // changes nothing. Returns the urgency to store when triage asks for more than the
  // conversation has and nobody set it by hand; nullopt otherwise, and when it is not waiting.
  std::optional<std::int32_t> NoteVisitorText(std::string_view conversation_id,
                                              std::string_view text, const Assessment& assessment);
  // Up to which seq the visitor's stored texts have been noted (QueueEntry::texts_read);
  // nullopt when it is not waiting here.
  std::optional<std::int64_t> TextsRead(std::string_view conversation_id) const;
  void NoteTextsRead(std::string_view conversation_id, std::int64_t seq);
  // Brings the queue in line with a conversation as another node stored it: in the queue, as
  // stored, if `waiting`, else out of it. Announces only what differs. A read no newer than the
  // entry by which the conversation left the queue (a poll that raced an accept here) cannot put
  // it back; a later one can (it was released back into the queue). Nor can a read older than
  // the entry by which it came back take it out again (and a read older than what the queue
  // holds changes nothing). What was noted from the visitor's texts here stays. Says whether the
  // conversation left the queue here.
  QueueMatch MatchStored(QueueEntry entry, bool waiting);

  bool IsWaiting(std::string_view conversation_id) const;
  std::size_t WaitingCount() const;
  std::int64_t PositionOf(std::string_view conversation_id) const;
  // The first `count` waiting conversations, in queue order.
  std::vector<QueueEntry> Top(std::size_t count) const;
  // Every waiting conversation, in queue order.
  std::vector<QueueEntry> Waiting() const;

  // Staff: `first` gets the window and total (under the lock); changes follow.
  void WatchQueue(std::weak_ptr<HubListener> listener,
                  const std::function<void(const QueueSnapshot&)>& first);
  void UnwatchQueue(const HubListener* listener);
  // A visitor: `first` gets the current place, 0 if not waiting (under the lock); new places
  // follow at ticks, until the conversation stops waiting. `read_waiting`: the store said it
  // waits, so a 0 means only that this node has not caught up with it yet (another node started
  // it): it is watched all the same, and its place told at the first tick after it arrives.
  void WatchPosition(std::string_view conversation_id, std::weak_ptr<HubListener> listener,
                     const std::function<void(std::int64_t)>& first, bool read_waiting = false);
  void UnwatchPosition(std::string_view conversation_id, const HubListener* listener);
  // Sends what waits for a tick: a new total, and places that moved. Every kTicksPerPlaceRetell
  // ticks every watched place is told again, moved or not: what a visitor may expect (their
  // expected wait) changes with time too, and their channel says so when it has.
  void Tick();
  static constexpr int kTicksPerPlaceRetell = 60;

 private:
  using Listeners = std::vector<std::weak_ptr<HubListener>>;
  struct Following {
    Listeners listeners;
    std::int64_t published = 0;  // see LastPublished
  };
  struct PlaceWatch {
    Listeners listeners;
    std::int64_t told = 0;  // the place last sent
  };
  // Copies the live listeners and drops expired ones. Caller holds mu_.
  static std::vector<std::shared_ptr<HubListener>> Live(Listeners& listeners);
  // Remembers that a conversation left the queue by entry `seq` (the last kRememberedLeavers).
  // Caller holds mu_.
  void NoteLeft(const std::string& conversation_id, std::int64_t seq);
  // Sends a change of the window now, or leaves it for the next tick. Caller holds `lock`.
  void Announce(const QueueChange& change, std::unique_lock<std::mutex>& lock);

  const FrameEncoders encoders_;

  // Held by whoever changes the queue from before the change until its frame has been handed to
  // every watcher (and by Tick for the total), so that watchers get the changes in the order they
  // were made,
  // although they are made on several threads (commit answers, workers noting visitors' texts,
  // catch-up reads). Taken before mu_.
  std::mutex announcing_;
  // Guarded by mu_.
  mutable std::mutex mu_;
  Queue queue_;
  std::unordered_map<std::string, Following> followers_;
  Listeners queue_watchers_;
  std::unordered_map<std::string, PlaceWatch> place_watchers_;
  std::unordered_map<std::string, std::int64_t> left_;              // see MatchStored
  std::deque<std::pair<std::string, std::int64_t>> left_in_order_;  // the same, oldest first
  bool total_untold_ = false;
  bool places_untold_ = false;
  int ticks_since_retell_ = 0;
};

}  // namespace uitweg::chat
