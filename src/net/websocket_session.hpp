#pragma once
// One WebSocket connection after the upgrade, with the frame layer of websocket_frames.hpp on
// the bare socket. Reads frames and hands each text message to its api::Channel on the
// connection's strand; holds further reads while the channel asks it to (ResumeReading).
// Answers pings, echoes a close, and writes outgoing frames, shared and never copied, through a
// bounded single-writer queue; frames queued while a write is in flight go out together in the
// next one (one system call for a burst). A client whose queue passes the limit is too slow and is
// closed with 1008; so is one that sends no first message within the read timeout.
//
// An idle plain connection holds this object and one pending wait for the socket to become
// readable: no read buffer, no timer. Over TLS the read is a pending read into a buffer of its
// own (kTlsReadChunk), as OpenSSL must decrypt whole records. Timeouts are checked by Sweep, which
// the server calls for every socket every few seconds: a socket silent for half the idle timeout is
// pinged, one silent for all of it (or stuck in a write or a close) is cut.
//
// Owned by shared_ptr: every pending operation holds it; channels hold it only weakly (as their
// FrameSink). The admission ticket of its connection lives as long.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "api/channel.hpp"
#include "net/admission.hpp"
#include "net/responses.hpp"
#include "net/session_context.hpp"
#include "net/tls.hpp"
#include "net/websocket_frames.hpp"
#include "net/websocket_handshake.hpp"

namespace uitweg::net {

class WebSocketSession final : public api::FrameSink,
                               public std::enable_shared_from_this<WebSocketSession> {
 public:
  static constexpr std::size_t kTlsReadChunk = 8 * 1024;

  WebSocketSession(boost::asio::ip::tcp::socket socket, const SessionContext& context,
                   Admission::Ticket ticket);
  // After the TLS handshake.
  WebSocketSession(TlsStream stream, const SessionContext& context, Admission::Ticket ticket);

  // On the connection's strand: writes the 101 response, then serves the socket until it
  // ends, and then tells the channel (OnClose).
  void Start(UpgradeResponse response, std::shared_ptr<api::Channel> channel);
  // On the connection's strand: answers the upgrade request with an HTTP error instead.
  void Refuse(const HttpRequest& request, const core::Error& error);
  // From any thread: checks this socket's timeouts (see above).
  void Sweep(std::chrono::steady_clock::time_point now);

  void Send(api::Frame frame) override;
  void Close(std::uint16_t code, std::string_view reason) override;
  void ResumeReading() override;
  void WhenDrained(std::function<void()> drained) override;

 private:
  using Clock = std::chrono::steady_clock;
  struct Outgoing {
    api::Frame payload;
    Opcode opcode;
  };

  // Strand-only from here on.
  boost::asio::ip::tcp::socket& Socket();
  void ReadNext();
  // Plain: the socket is readable; reads what is there without waiting.
  void OnReadable(const boost::system::error_code& ec);
  // TLS: a read into tls_read_ finished.
  void OnTlsRead(const boost::system::error_code& ec, std::size_t bytes);
  void OnReceived(std::string_view data);
  // Writes an HTTP message on whichever stream this is; `handler(ec)` runs after. A write that
  // takes longer than the read timeout cuts the connection (the sweep does not see it yet).
  template <class Message, class Handler>
  void WriteHttp(std::shared_ptr<Message> message, Handler handler);
  // Parses what was received, frame by frame, until it runs out or reading must hold.
  // `continues_frame`: the bytes begin with the start of a frame read before.
  void Process(std::string_view bytes, bool continues_frame = false);
  void Handle(Received received);
  void StartClose(std::uint16_t code, std::string_view reason);
  void Enqueue(api::Frame frame, Opcode opcode);
  void WriteNext();
  void OnWritten(const boost::system::error_code& ec);
  void TellDrained();
  bool Drained() const;
  void CheckTimeouts(Clock::time_point now);
  // Cuts the connection without a close handshake; the pending wait ends it (End).
  void Cut();
  // Once: forgets everything and tells the channel.
  void End();

  std::variant<boost::asio::ip::tcp::socket, TlsStream> stream_;
  std::unique_ptr<char[]> tls_read_;  // TLS only, from the first read on
  const SessionContext& context_;
  Admission::Ticket ticket_;
  std::shared_ptr<api::Channel> channel_;  // from Start until End
  FrameParser parser_;

  // Touched only on the connection's strand.
  std::string received_;         // bytes read but not yet parsed; usually empty
  std::vector<Outgoing> queue_;  // unsent from queue_[head_] on; the first in_flight_ are in flight
  std::size_t head_ = 0;
  std::size_t in_flight_ = 0;
  std::size_t queued_bytes_ = 0;
  // Where in queue_ a pong waits that is not yet in flight: a later ping's pong replaces it (as
  // RFC 6455 allows), so a flood of empty pings cannot queue frames that weigh nothing.
  std::size_t queued_pong_ = SIZE_MAX;
  // The write in flight: the frames' headers, and its buffers (header, payload, header, ...).
  // Rebuilt only between writes; given back when the queue runs empty.
  std::vector<unsigned char> headers_;
  std::vector<boost::asio::const_buffer> gather_;
  std::vector<std::function<void()>> drained_;
  struct AskedClose {
    std::uint16_t code;
    std::string reason;
  };
  std::unique_ptr<AskedClose> close_asked_early_;  // Close before the socket was open
  // Set while reading waits for ResumeReading: the session itself, as no read holds it then.
  std::shared_ptr<WebSocketSession> holding_;
  Clock::time_point started_at_{};
  Clock::time_point heard_at_{};        // when bytes last came in
  Clock::time_point written_at_{};      // when the write in flight started
  Clock::time_point close_sent_at_{};   // when our close frame went out
  Clock::time_point frame_begun_at_{};  // when received_ last began to hold a partial frame
  std::int64_t messages_ = 0;           // text messages received
  bool open_ = false;                   // the 101 went out and the socket has not ended
  bool waiting_ = false;                // a wait for readable data is pending
  bool writing_ = false;                // a write is in flight
  bool closing_ = false;                // our close frame is queued; nothing more is sent
  bool close_sent_ = false;             // and it went out
  bool peer_closed_ = false;            // the peer's close frame came
  bool pinged_ = false;                 // a ping went out since the peer was last heard
  bool resume_requested_ = false;       // ResumeReading came before reading started to hold
  bool ended_ = false;
};

}  // namespace uitweg::net
