#pragma once
// The visitor's WebSocket (docs/protocol.md, "Visitor WebSocket"): hello with the resume
// token, then sends, end and pings; the server streams the conversation's entries and the
// visitor's place in the queue while waiting.
//
// Lifetime: owned by its socket (shared_ptr); holds the socket only weakly. Thread safety: see
// api::Channel — frames arrive one at a time on workers, hub events on any thread.

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

class VisitorChannel final : public Channel,
                             public chat::HubListener,
                             public std::enable_shared_from_this<VisitorChannel> {
 public:
  VisitorChannel(chat::Conversations& conversations, chat::Hub& hub, Post post,
                 const std::weak_ptr<FrameSink>& sink);

  void OnFrame(std::string_view frame) override;
  void OnClose() override;

  void OnEntry(const chat::Entry& entry) override;
  void OnConversationChanged(const store::Conversation& conversation) override;
  void OnQueueChanged(const chat::QueueSnapshot& queue) override;

 private:
  void Hello(const HelloFrame& hello);
  // Hands the send to the store and returns; the ack or error goes out once it is durable.
  void Send(const SendFrame& send);
  void Answer(std::string_view client_id, const core::Result<chat::Sent>& sent);
  void End();
  void Emit(std::string frame);
  void Fail(const core::Error& error, std::string_view ref, bool close);

  chat::Conversations& conversations_;
  chat::Hub& hub_;
  std::weak_ptr<FrameSink> sink_;
  SendWindow window_;
  ConversationFeeds feeds_;

  // Guarded by mu_.
  std::mutex mu_;
  std::string conversation_id_;  // set by hello
  bool welcomed_ = false;
  bool watching_queue_ = false;
  std::int64_t queue_position_ = 0;
  chat::QueueSnapshot early_queue_;  // a snapshot that came before the welcome went out
};

}  // namespace uitweg::api
