#pragma once
// The staff WebSocket (docs/protocol.md, "Staff WebSocket"): the live queue, accepting a chat,
// following the chats assigned to this staff member, sending and ending. The member was
// authenticated at the upgrade; every action is checked again by chat::Conversations.
//
// Lifetime: owned by its socket; holds the socket weakly. Thread safety: see api::Channel.

#include <memory>
#include <mutex>
#include <string>

#include "api/channel.hpp"
#include "api/feeds.hpp"
#include "api/frames.hpp"
#include "chat/conversations.hpp"
#include "chat/hub.hpp"

namespace uitweg::api {

struct StaffMember {
  chat::Counsellor counsellor;
  std::string username;  // shown to the member themself only
};

class StaffChannel final : public Channel,
                           public chat::HubListener,
                           public std::enable_shared_from_this<StaffChannel> {
 public:
  StaffChannel(chat::Conversations& conversations, chat::Hub& hub, const core::Clock& clock,
               Post post, StaffMember me, std::weak_ptr<FrameSink> sink);

  void OnFrame(std::string_view frame) override;
  void OnClose() override;

  void OnEntry(const chat::Entry& entry) override;
  void OnConversationChanged(const store::Conversation& conversation) override;
  void OnQueueChanged(const chat::QueueSnapshot& queue) override;

 private:
  void Hello();
  void Accept(const AcceptFrame& accept);
  void Subscribe(const SubscribeFrame& subscribe);
  void Send(const SendFrame& send);
  void End(const EndFrame& end);
  void Emit(std::string frame);
  std::string QueueFrame(const chat::QueueSnapshot& queue) const;

  chat::Conversations& conversations_;
  chat::Hub& hub_;
  const core::Clock& clock_;
  const StaffMember me_;
  std::weak_ptr<FrameSink> sink_;
  ConversationFeeds feeds_;

  // Guarded by mu_: the queue is forwarded once hello has sent the first snapshot.
  std::mutex mu_;
  bool queue_requested_ = false;
  bool watching_queue_ = false;
  chat::QueueSnapshot early_queue_;  // the newest snapshot that came before the first went out
};

}  // namespace uitweg::api
