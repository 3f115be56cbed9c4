#pragma once
// The visitor's HTTP endpoint and socket: starting a chat (rate-limited per client key; refused
// with 503 and Retry-After while the queue is full) and opening the visitor WebSocket. No
// cookies, no addresses: the resume token is the only credential.

#include "api/channel.hpp"
#include "api/feeds.hpp"
#include "api/http.hpp"
#include "api/rate_limiter.hpp"
#include "chat/conversations.hpp"
#include "chat/handovers.hpp"
#include "chat/hub.hpp"
#include "chat/presence.hpp"
#include "core/executor.hpp"

namespace uitweg::api {

// How often one client may try a pick-up code.
inline constexpr int kPickUpsPerMinute = 10;

class VisitorApi {
 public:
  VisitorApi(chat::Conversations& conversations, chat::Hub& hub, chat::Presence& presence,
             const core::Clock& clock, core::Post blocking, int starts_per_minute);

  // POST /api/v1/visitor/conversations
  core::Result<Response> StartConversation(const Request& request);
  // POST /api/v1/visitor/messages: a message left, at any hour.
  core::Result<Response> LeaveMessage(const Request& request);
  // POST /api/v1/visitor/pick-up: back with the pick-up code; guesses limited per client.
  core::Result<Response> PickUp(const Request& request);
  // POST /api/v1/visitor/feedback: the two optional questions after a chat.
  core::Result<Response> GiveFeedback(const Request& request);
  // Consent requests in the chat are answered through `handovers`. Before serving.
  void SetHandovers(chat::Handovers* handovers) { handovers_ = handovers; }
  // GET /api/v1/visitor/ws
  core::Result<std::shared_ptr<Channel>> OpenSocket(const Request& request,
                                                    std::weak_ptr<FrameSink> sink);

 private:
  chat::Conversations& conversations_;
  chat::Hub& hub_;
  chat::Presence& presence_;
  const core::Clock& clock_;
  const core::Post blocking_;
  RateLimiter starts_;
  RateLimiter pick_ups_;
  chat::Handovers* handovers_ = nullptr;
};

}  // namespace uitweg::api
