#pragma once
// The staff WebSocket (docs/protocol.md, "Staff WebSocket"): the live queue, accepting a chat,
// following the chats assigned to this staff member, sending and ending. The member was
// authenticated at the upgrade; the session is checked again at most every kSessionRecheck
// while frames arrive (a signed-out or expired session closes the socket with 1008), and every
// action is checked by chat::Conversations.
//
// Lifetime: owned by its socket; holds the socket weakly. Thread safety: see api::Channel.

#include <memory>
#include <mutex>
#include <string>

#include "api/channel.hpp"
#include "api/feeds.hpp"
#include "api/frames.hpp"
#include "api/send_window.hpp"
#include "chat/conversations.hpp"
#include "chat/hub.hpp"

namespace uitweg::api {

struct StaffMember {
  chat::Counsellor counsellor;
  std::string username;  // shown to the member themself only
};

// Whether the session that opened the socket is still live (and keeps it alive); blocking.
using SessionCheck = std::function<core::Status()>;

class StaffChannel final : public Channel,
                           public chat::HubListener,
                           public std::enable_shared_from_this<StaffChannel> {
 public:
  StaffChannel(chat::Conversations& conversations, chat::Hub& hub, const core::Clock& clock,
               Post post, StaffMember me, SessionCheck check_session,
               const std::weak_ptr<FrameSink>& sink);

  static constexpr core::UnixMillis kSessionRecheck = 30'000;

  void OnFrame(std::string_view frame) override;
  void OnClose() override;

  void OnEntry(const chat::Entry& entry) override;
  void OnConversationChanged(const store::Conversation& conversation) override;
  void OnQueueChanged(const chat::QueueSnapshot& queue) override;

 private:
  // False (and the socket closing) when the session has ended.
  bool SessionStillLive();
  void Hello();
  void Accept(const AcceptFrame& accept);
  void Subscribe(const SubscribeFrame& subscribe);
  // Hands the send to the store and returns; the ack or error goes out once it is durable.
  void Send(const SendFrame& send);
  void Answer(std::string_view conversation_id, std::string_view client_id,
              const core::Result<chat::Sent>& sent);
  void End(const EndFrame& end);
  void Emit(std::string frame);
  std::string QueueFrame(const chat::QueueSnapshot& queue) const;

  chat::Conversations& conversations_;
  chat::Hub& hub_;
  const core::Clock& clock_;
  const StaffMember me_;
  const SessionCheck check_session_;
  std::weak_ptr<FrameSink> sink_;
  SendWindow window_;
  ConversationFeeds feeds_;

  // Guarded by mu_: the queue is forwarded once hello has sent the first snapshot.
  std::mutex mu_;
  core::UnixMillis session_checked_at_;
  bool queue_requested_ = false;
  bool watching_queue_ = false;
  chat::QueueSnapshot early_queue_;  // the newest snapshot that came before the first went out
};

}  // namespace uitweg::api
