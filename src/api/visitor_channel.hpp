#pragma once
// The visitor's WebSocket (docs/protocol.md, "Visitor WebSocket"): hello with the resume token,
// then sends, end and pings; the server streams the conversation's entries and, while waiting,
// the visitor's place in the queue. Sends are handled on the socket's strand without blocking;
// hello and end run on the worker pool while reading is held.
//
// Lifetime: owned by its socket (shared_ptr); holds the socket only weakly. Thread safety: see
// api::Channel — frames arrive one at a time on the strand, hub events on other threads.

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "api/channel.hpp"
#include "api/feeds.hpp"
#include "api/frames.hpp"
#include "api/send_window.hpp"
#include "chat/conversations.hpp"
#include "chat/handovers.hpp"
#include "chat/hub.hpp"
#include "chat/presence.hpp"
#include "core/clock.hpp"
#include "core/executor.hpp"

namespace uitweg::api {

class VisitorChannel final : public Channel,
                             public chat::HubListener,
                             public std::enable_shared_from_this<VisitorChannel> {
 public:
  // `handovers` answers consent requests; null: `consent` frames are refused.
  VisitorChannel(chat::Conversations& conversations, chat::Hub& hub, chat::Presence& presence,
                 const core::Clock& clock, core::Post blocking, std::weak_ptr<FrameSink> sink,
                 chat::Handovers* handovers = nullptr);

  bool OnFrame(std::string_view frame) override;
  void OnClose() override;

  void OnEntry(const chat::Entry& entry, const Frame& frame) override;
  void OnSignal(chat::Side from, const Frame& frame) override;
  void OnQueuePosition(std::int64_t position) override;

  // A typing signal goes out at most this often per socket.
  static constexpr core::UnixMillis kTypingEvery = 1000;

 private:
  // On a worker: resolves the token, joins the conversation and starts its feed.
  void Hello(const HelloFrame& hello);
  // This socket for Presence: when it was last heard from, and how it gives way to a newer one.
  // `token_hash`: of the resume token the store found the conversation by; `checked_at`:
  // Presence::Now() before it was asked.
  chat::VisitorSocket AsPresenceSeesIt(std::string token_hash, std::uint64_t checked_at);
  // Hands the send to the store; the ack or error goes out once it is durable. False when
  // reading must hold until the send window frees.
  bool Send(const SendFrame& send);
  void Typing();
  void Answer(const std::string& client_id, const core::Result<chat::Sent>& sent);
  void StopFollowing(const std::string& conversation_id);
  // Runs `work` on a worker, then reads on.
  void OnWorker(std::function<void()> work);
  void Emit(std::string frame);
  void Fail(const core::Error& error, std::string_view ref, bool close);
  std::string ConversationId();
  bool Closed();
  // Whether the page would show this place and expected wait differently from the last told;
  // if so, they are the last told from now on.
  bool TellsSomethingNew(std::int64_t position, std::optional<core::UnixMillis> wait);
  // Back in the queue (`released`): the place is watched and told again, even one told before
  // the chat was taken (the page forgot it when the chat was taken). `read_waiting`: the store
  // said so, and this node may not know it waits yet (Hub::WatchPosition).
  void WatchPlaceAgain(const std::string& conversation_id, bool read_waiting);

  chat::Conversations& conversations_;
  chat::Handovers* const handovers_;
  chat::Hub& hub_;
  chat::Presence& presence_;
  const core::Clock& clock_;
  const core::Post blocking_;
  const std::weak_ptr<FrameSink> sink_;
  SendWindow window_;
  ConversationFeeds feeds_;
  core::UnixMillis typed_at_ = 0;    // on the connection's strand only
  std::atomic<bool> ended_ = false;  // the conversation has ended (seen at hello or as an entry)
  std::atomic<core::UnixMillis> heard_at_ = 0;  // when the last frame came

  // Guarded by mu_: set once by hello, unless the socket closed first.
  std::mutex mu_;
  std::string conversation_id_;
  bool joined_ = false;  // counted in Presence, as socket_
  chat::Presence::SocketId socket_ = 0;
  bool closed_ = false;  // OnClose ran; hello, still running on a worker, undoes what it did
  // The place and expected wait (in whole minutes, as the page shows it) last sent.
  std::optional<std::pair<std::int64_t, std::optional<core::UnixMillis>>> told_place_;
};

}  // namespace uitweg::api
