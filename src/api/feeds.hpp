#pragma once
// The conversations one socket follows, each delivered to it in seq order, once: a replay from
// the store when it starts following, live entries from the hub, and a catch-up read of the
// store whenever entries are missing (the hub's were dropped while a long replay ran). Replays
// are read a page at a time, and the next page only once the socket has written most of the
// last one (FrameSink::WhenDrained), so resuming a conversation of any length never floods the
// socket's queue.
//
// Thread safety: all methods may be called from any thread. Open blocks on the store (call it
// on a worker); OnEntry does not block; later pages are read on the `blocking` executor.

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "api/channel.hpp"
#include "chat/conversations.hpp"
#include "chat/hub.hpp"
#include "chat/sequencer.hpp"
#include "core/executor.hpp"

namespace uitweg::api {

class ConversationFeeds {
 public:
  ConversationFeeds(chat::Conversations& conversations, chat::Hub& hub, core::Post blocking,
                    std::weak_ptr<FrameSink> sink);

  // Follows the conversation for `listener` (whose OnEntry must call OnEntry here) and delivers
  // every entry after last_seq: the first page before returning, the rest as the socket drains.
  // Already open: nothing happens. `listener` is kept alive while pages are still to come.
  core::Status Open(std::string_view conversation_id, std::int64_t last_seq,
                    const std::shared_ptr<chat::HubListener>& listener);
  void OnEntry(const chat::Entry& entry, const Frame& frame);
  // The socket sent entry `seq` itself and its ack went out: it counts as delivered, with no
  // frame of its own (the hub does not echo a send to its socket).
  void SentHere(std::string_view conversation_id, std::int64_t seq);
  // Stops following everything.
  void CloseAll(const chat::HubListener* listener);

 private:
  struct Feed {
    chat::Sequencer sequencer;
    bool reading = false;  // a page read is running or waiting for the socket to drain
  };
  // Reads the page after what was delivered and delivers it; schedules the next one while
  // pages are full or entries are missing.
  core::Status ReadPage(const std::string& conversation_id);
  // Caller holds mu_.
  void ReadLater(const std::string& conversation_id);
  void Offer(std::string_view conversation_id, chat::SequencedFrame entry);
  // Caller holds mu_.
  void Deliver(const std::vector<Frame>& frames);

  chat::Conversations& conversations_;
  chat::Hub& hub_;
  const core::Post blocking_;
  const std::weak_ptr<FrameSink> sink_;

  // Guarded by mu_.
  std::mutex mu_;
  std::map<std::string, Feed, std::less<>> feeds_;
  std::weak_ptr<chat::HubListener> listener_;
};

}  // namespace uitweg::api
