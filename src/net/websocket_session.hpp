#pragma once
// One WebSocket connection after the upgrade. Reads text frames and hands each to its
// api::Channel on the connection's strand; holds further reads while the channel asks it to
// (ResumeReading). Writes outgoing frames, shared and never copied, through a bounded
// single-writer queue on the strand. A client whose queue passes the limit is too slow and is
// closed with 1008; so is one that sends no first frame within the read timeout.
//
// Written with completion handlers rather than a coroutine, on the bare socket: an idle
// connection then holds only this object, Beast's stream and its one pending read, which is
// what keeps ten thousand waiting visitors cheap.
//
// Owned by shared_ptr: every pending operation holds it; channels hold it only weakly (as
// their FrameSink). The admission ticket of its connection lives as long.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "api/channel.hpp"
#include "net/admission.hpp"
#include "net/responses.hpp"
#include "net/session_context.hpp"

namespace uitweg::net {

class WebSocketSession final : public api::FrameSink,
                               public std::enable_shared_from_this<WebSocketSession> {
 public:
  WebSocketSession(boost::asio::ip::tcp::socket socket, const SessionContext& context,
                   Admission::Ticket ticket);

  // On the connection's strand: accepts the upgrade and serves the socket until it closes;
  // then tells the channel.
  void Start(HttpRequest request, std::shared_ptr<api::Channel> channel);
  // On the connection's strand: answers the upgrade request with an HTTP error instead.
  void Refuse(const HttpRequest& request, const core::Error& error);

  void Send(api::Frame frame) override;
  void Close(std::uint16_t code, std::string_view reason) override;
  void ResumeReading() override;
  void WhenDrained(std::function<void()> drained) override;

 private:
  // Strand-only from here on.
  void OnAccepted(const boost::system::error_code& ec);
  void ReadNext();
  void OnRead(const boost::system::error_code& ec);
  void End();
  void Enqueue(api::Frame frame);
  void WriteNext();
  void StartClose();
  void TellDrained();
  bool Drained() const;

  boost::beast::websocket::stream<boost::asio::ip::tcp::socket> ws_;
  const SessionContext& context_;
  Admission::Ticket ticket_;
  std::shared_ptr<api::Channel> channel_;  // from Start until the socket ends
  boost::beast::flat_buffer buffer_;        // the frame being read; emptied after each
  // The first frame (hello) must come within the read timeout; a write to a client that
  // stopped reading must end within it.
  boost::asio::steady_timer deadline_;

  // Touched only on the connection's strand.
  std::vector<api::Frame> queue_;  // unsent frames from queue_[head_] on; the first is in flight
  std::size_t head_ = 0;
  std::size_t queued_bytes_ = 0;
  std::vector<std::function<void()>> drained_;
  std::int64_t frames_read_ = 0;
  bool open_ = false;     // the handshake succeeded and no close began
  bool writing_ = false;  // an async_write is in flight
  bool close_pending_ = false;
  // Set while reading waits for ResumeReading: the session itself, as no read holds it then.
  std::shared_ptr<WebSocketSession> holding_;
  bool resume_requested_ = false;  // ResumeReading came before reading started to hold
  boost::beast::websocket::close_reason close_reason_;
};

}  // namespace uitweg::net
