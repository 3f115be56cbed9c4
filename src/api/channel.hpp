#pragma once
// A WebSocket conversation between one client and the server, as the handlers see it: text
// frames in, shared frames out, no Beast. net/ owns the socket and implements FrameSink.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "api/http.hpp"
#include "chat/entry.hpp"
#include "core/error.hpp"

namespace uitweg::api {

using chat::Frame;

inline Frame MakeFrame(std::string text) {
  return std::make_shared<const std::string>(std::move(text));
}

// Where a channel's outgoing frames go. Every method is thread-safe and non-blocking: work is
// queued to the connection's strand. Frames are written in the order they were sent; after
// Close, further frames are dropped.
class FrameSink {
 public:
  virtual ~FrameSink() = default;
  // Queues the frame; its bytes are shared, never copied.
  virtual void Send(Frame frame) = 0;
  // Writes what is queued, then closes with this WebSocket close code (e.g. 1008).
  virtual void Close(std::uint16_t code, std::string_view reason) = 0;
  // Reading was held (Channel::OnFrame returned false): read the next frame.
  virtual void ResumeReading() = 0;
  // Calls `drained` once the frames still queued fall below a low-water mark (soon if they
  // are), on the connection's strand, never inside this call: it must not block. Never called
  // if the socket closes.
  virtual void WhenDrained(std::function<void()> drained) = 0;
};

// The server side of one socket. net/ calls OnFrame on the connection's strand (an I/O thread),
// one frame at a time; it must not block: blocking work (the store, hashing) goes to the worker
// pool. OnFrame returns true to read the next frame at once, or false to hold it until the
// channel calls FrameSink::ResumeReading (after blocking work, or while its sends fill their
// window). Hub events arrive on other threads at the same time, so implementations guard their
// state. OnClose is called once, at the end.
class Channel {
 public:
  virtual ~Channel() = default;
  virtual bool OnFrame(std::string_view frame) = 0;
  virtual void OnClose() = 0;
};

// Decides, before the upgrade, whether the request may open a socket (session cookie, Origin)
// and makes its channel. Runs on a worker thread. The channel should hold the sink weakly.
using ChannelFactory =
    std::function<core::Result<std::shared_ptr<Channel>>(const Request&, std::weak_ptr<FrameSink>)>;

}  // namespace uitweg::api
