#pragma once
// One WebSocket connection of the load generator: a read loop that hands every text frame to a
// callback, and a single-writer send queue. Lives on one worker's io_context and is only touched
// from that worker's thread. Owned through shared_ptr so pending operations keep it alive.
//
// Plain (Uitweg and the ws relay): frames go out and come in as they are. After
// UseSocketIo(ns) (a Socket.IO relay, namespace already joined, see socketio.hpp): Send wraps
// each frame as a `frame` event of `ns`, the callback sees only the frame JSON inside incoming
// `frame` events, Engine.IO pings are answered and every other packet is dropped.

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

namespace uitweg::load {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  using Stream = boost::beast::websocket::stream<boost::beast::tcp_stream>;
  using OnFrame = std::function<void(std::string_view)>;
  using OnEnd = std::function<void(boost::system::error_code)>;

  explicit Connection(boost::asio::io_context& ioc) : ws_(ioc) {}

  Stream& ws() { return ws_; }
  // Starts the read loop after the handshake. `on_end` runs once when the connection ends.
  void StartReading(OnFrame on_frame, OnEnd on_end);
  // Frames from now on travel as Socket.IO events of namespace `ns` ("/visitor"). Call before
  // StartReading.
  void UseSocketIo(std::string_view ns);
  // Queues a text frame; frames go out in order, one write at a time.
  void Send(std::string text);
  std::size_t queued() const { return outbox_.size(); }

 private:
  void ReadNext();
  void OnSocketIoPacket(std::string_view packet);
  void Queue(std::string text);
  void WriteNext();

  Stream ws_;
  boost::beast::flat_buffer buffer_;
  std::deque<std::string> outbox_;
  bool writing_ = false;
  bool ended_ = false;
  std::string event_prefix_;  // empty: plain frames; else `42/ns,["frame",`
  OnFrame on_frame_;
  OnEnd on_end_;
};

}  // namespace uitweg::load
