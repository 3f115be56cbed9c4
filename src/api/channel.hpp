#pragma once
// A WebSocket conversation between one client and the server, as the handlers see it: text
// frames in, text frames out, no Beast. net/ owns the socket and implements FrameSink.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "api/http.hpp"
#include "core/error.hpp"

namespace uitweg::api {

// Where a channel's outgoing frames go. Thread-safe and non-blocking: frames are queued and
// written in order by the connection's own strand. After Close, further frames are dropped.
class FrameSink {
 public:
  virtual ~FrameSink() = default;
  virtual void Send(std::string frame) = 0;
  // Writes what is queued, then closes with this WebSocket close code (e.g. 1008).
  virtual void Close(std::uint16_t code, std::string_view reason) = 0;
};

// The server side of one socket. net/ calls OnFrame on a worker thread, one frame at a time
// per connection (it may block on the store); hub events may arrive on other threads at the
// same time, so implementations guard their state. OnClose is called once, at the end.
class Channel {
 public:
  virtual ~Channel() = default;
  virtual void OnFrame(std::string_view frame) = 0;
  virtual void OnClose() = 0;
};

// Decides, before the upgrade, whether the request may open a socket (session cookie, Origin)
// and makes its channel. Runs on a worker thread. The channel should hold the sink weakly.
using ChannelFactory = std::function<core::Result<std::shared_ptr<Channel>>(
    const Request&, std::weak_ptr<FrameSink>)>;

}  // namespace uitweg::api
