#pragma once
// One WebSocket connection after the upgrade. Reads text frames and hands each to its
// api::Channel on the connection's strand; holds further reads while the channel asks it to
// (ResumeReading). Writes outgoing frames, shared and never copied, through a bounded
// single-writer queue on the strand. A client whose queue passes the limit is too slow and is
// closed with 1008; so is one that sends no first frame within the read timeout.
//
// Owned by shared_ptr: the read coroutine and every pending write hold it; channels hold it
// only weakly (as their FrameSink). The admission ticket of its connection lives as long.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "api/channel.hpp"
#include "net/admission.hpp"
#include "net/responses.hpp"
#include "net/session_context.hpp"

namespace uitweg::net {

class WebSocketSession final : public api::FrameSink,
                               public std::enable_shared_from_this<WebSocketSession> {
 public:
  WebSocketSession(boost::beast::tcp_stream stream, const SessionContext& context,
                   Admission::Ticket ticket);

  // Accepts the upgrade and serves the socket until it closes; then tells the channel.
  boost::asio::awaitable<void> Run(HttpRequest request, std::shared_ptr<api::Channel> channel);
  // Answers the upgrade request with an HTTP error instead.
  boost::asio::awaitable<void> Refuse(HttpRequest request, core::Error error);

  auto get_executor() { return ws_.get_executor(); }

  void Send(api::Frame frame) override;
  void Close(std::uint16_t code, std::string_view reason) override;
  void ResumeReading() override;
  void WhenDrained(std::function<void()> drained) override;

 private:
  // Strand-only from here on.
  void Enqueue(api::Frame frame);
  void WriteNext();
  void StartClose();
  void TellDrained();
  bool Drained() const;

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  const SessionContext& context_;
  Admission::Ticket ticket_;
  // The first frame (hello) must come within the read timeout; later, a held read waits here
  // for ResumeReading.
  boost::asio::steady_timer wait_;

  // Touched only on the connection's strand.
  std::vector<api::Frame> queue_;  // unsent frames from queue_[head_] on; the first is in flight
  std::size_t head_ = 0;
  std::size_t queued_bytes_ = 0;
  std::vector<std::function<void()>> drained_;
  bool open_ = false;     // the handshake succeeded and no close began
  bool writing_ = false;  // an async_write is in flight
  bool close_pending_ = false;
  bool holding_ = false;          // the read loop waits for ResumeReading
  bool resume_requested_ = false;  // ResumeReading came before the read loop started waiting
  boost::beast::websocket::close_reason close_reason_;
};

}  // namespace uitweg::net
