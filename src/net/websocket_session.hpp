#pragma once
// One WebSocket connection after the upgrade. Reads text frames and hands each to its
// api::Channel on the worker pool, one at a time; writes outgoing frames through a bounded
// single-writer queue on the connection's strand. A client whose queue passes the limit is too
// slow and is closed with 1008; so is one that sends no first frame within the read timeout. Owned by shared_ptr: the read coroutine and every pending
// write hold it; channels hold it only weakly (as their FrameSink).

#include <cstdint>
#include <deque>
#include <memory>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "api/channel.hpp"
#include "net/responses.hpp"
#include "net/session_context.hpp"

namespace uitweg::net {

class WebSocketSession final : public api::FrameSink,
                               public std::enable_shared_from_this<WebSocketSession> {
 public:
  WebSocketSession(boost::beast::tcp_stream stream, const SessionContext& context);

  // Accepts the upgrade and serves the socket until it closes; then tells the channel.
  boost::asio::awaitable<void> Run(HttpRequest request, std::shared_ptr<api::Channel> channel);
  // Answers the upgrade request with an HTTP error instead.
  boost::asio::awaitable<void> Refuse(const HttpRequest& request, const core::Error& error);

  void Send(std::string frame) override;
  void Close(std::uint16_t code, std::string_view reason) override;

 private:
  // Strand-only from here on.
  void Enqueue(std::shared_ptr<const std::string> frame);
  void WriteNext();
  void StartClose();

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  const SessionContext& context_;
  // The first frame (hello) must come within the read timeout, or the socket is closed.
  boost::asio::steady_timer first_frame_deadline_;

  // Touched only on the connection's strand.
  std::deque<std::shared_ptr<const std::string>> queue_;
  std::size_t queued_bytes_ = 0;
  bool open_ = false;        // the handshake succeeded and no close began
  bool writing_ = false;     // an async_write is in flight
  bool close_pending_ = false;
  boost::beast::websocket::close_reason close_reason_;
};

}  // namespace uitweg::net
