#pragma once
// The conversations one socket follows, each delivered to it in seq order, once: a replay from
// the store when it starts following, live entries from the hub, and a catch-up read of the
// store whenever a gap shows (two entries published at once can arrive swapped).
//
// Thread safety: all methods may be called from any thread. Open blocks on the store (call it
// on a worker); OnEntry does not block. `deliver` runs under the feeds' lock, in seq order per
// conversation; it must not block and must not call back into the feeds.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "chat/conversations.hpp"
#include "chat/hub.hpp"
#include "chat/sequencer.hpp"

namespace uitweg::api {

// Runs a task on the worker pool (blocking work allowed there).
using Post = std::function<void(std::function<void()>)>;

class ConversationFeeds {
 public:
  using Deliver = std::function<void(const chat::Entry&)>;

  ConversationFeeds(chat::Conversations& conversations, chat::Hub& hub, Post post,
                    Deliver deliver);

  // Follows the conversation for `listener` (whose OnEntry must call OnEntry here) and
  // delivers every entry after last_seq. Already open: nothing happens. `owner` keeps the
  // listener alive during background catch-ups.
  core::Status Open(std::string_view conversation_id, std::int64_t last_seq,
                    const std::shared_ptr<chat::HubListener>& listener);
  void OnEntry(const chat::Entry& entry);
  // Stops following everything.
  void CloseAll(const chat::HubListener* listener);

 private:
  struct Feed {
    chat::Sequencer sequencer;
    bool catch_up_scheduled = false;
  };
  // Reads the store after what was delivered and merges it; repeats while pages are full.
  core::Status CatchUp(const std::string& conversation_id);
  void DeliverAll(const std::vector<chat::Entry>& entries);
  void ScheduleCatchUp(const std::string& conversation_id, Feed& feed);

  chat::Conversations& conversations_;
  chat::Hub& hub_;
  Post post_;
  Deliver deliver_;

  // Guarded by mu_.
  std::mutex mu_;
  std::map<std::string, Feed, std::less<>> feeds_;
  std::weak_ptr<chat::HubListener> listener_;
};

}  // namespace uitweg::api
