#pragma once
// The visitor's HTTP endpoint and socket: starting a chat (rate-limited per client key) and
// opening the visitor WebSocket. No cookies, no addresses: the resume token is the only
// credential.

#include "api/channel.hpp"
#include "api/feeds.hpp"
#include "api/http.hpp"
#include "api/rate_limiter.hpp"
#include "chat/conversations.hpp"
#include "chat/hub.hpp"

namespace uitweg::api {

class VisitorApi {
 public:
  VisitorApi(chat::Conversations& conversations, chat::Hub& hub, const core::Clock& clock,
             Post post, int starts_per_minute);

  // POST /api/v1/visitor/conversations
  core::Result<Response> StartConversation(const Request& request);
  // GET /api/v1/visitor/ws
  core::Result<std::shared_ptr<Channel>> OpenSocket(const Request& request,
                                                    std::weak_ptr<FrameSink> sink);

 private:
  chat::Conversations& conversations_;
  chat::Hub& hub_;
  Post post_;
  RateLimiter starts_;
};

}  // namespace uitweg::api
