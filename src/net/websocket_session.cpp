#include "net/websocket_session.hpp"

#include <algorithm>
#include <array>
#include <exception>
#include <span>
#include <utility>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/write.hpp>

#include "core/log.hpp"
#include "net/io_errors.hpp"

namespace uitweg::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::ip::tcp;

namespace {

// A drained queue keeps this much room for the next burst; more is given back.
constexpr std::size_t kKeptQueueSlots = 16;
// One write takes at most this many queued frames, and past the first no more than kWriteBytes.
constexpr std::size_t kFramesPerWrite = 64;
constexpr std::size_t kWriteBytes = 64 * 1024;
// What one read takes from the socket at most; shared by the connections of a thread.
constexpr std::size_t kReadChunk = 64 * 1024;

api::Frame FixedErrorFrame(std::string_view code, std::string_view message) {
  std::string frame = R"({"type":"error","code":")";
  frame += code;
  frame += R"(","message":")";
  frame += message;  // fixed text from this file, nothing to escape
  frame += "\"}";
  return api::MakeFrame(std::move(frame));
}

}  // namespace

WebSocketSession::WebSocketSession(tcp::socket socket, const SessionContext& context,
                                   Admission::Ticket ticket)
    : stream_(std::move(socket)),
      context_(context),
      ticket_(std::move(ticket)),
      parser_(context.limits.frame_bytes) {}

WebSocketSession::WebSocketSession(TlsStream stream, const SessionContext& context,
                                   Admission::Ticket ticket)
    : stream_(std::move(stream)),
      context_(context),
      ticket_(std::move(ticket)),
      parser_(context.limits.frame_bytes) {}

tcp::socket& WebSocketSession::Socket() {
  if (auto* tls = std::get_if<TlsStream>(&stream_)) return beast::get_lowest_layer(*tls).socket();
  return std::get<tcp::socket>(stream_);
}

template <class Message, class Handler>
void WebSocketSession::WriteHttp(std::shared_ptr<Message> message, Handler handler) {
  // `written` stops a deadline whose handler was already queued when the write finished.
  struct Deadline {
    asio::steady_timer timer;
    bool written = false;
  };
  auto deadline = std::make_shared<Deadline>(
      Deadline{asio::steady_timer(Socket().get_executor(), context_.limits.read_timeout)});
  deadline->timer.async_wait([self = shared_from_this(), deadline](beast::error_code ec) {
    if (ec || deadline->written) return;
    beast::error_code ignored;
    self->Socket().close(ignored);
  });
  std::visit(
      [&](auto& stream) {
        beast::http::async_write(stream, *message,
                                 [message, deadline, handler = std::move(handler)](
                                     beast::error_code ec, std::size_t) mutable {
                                   deadline->written = true;
                                   deadline->timer.cancel();
                                   handler(ec);
                                 });
      },
      stream_);
}

void WebSocketSession::Refuse(const HttpRequest& request, const core::Error& error) {
  auto response = std::make_shared<HttpResponse>(ApiError(request, error, context_.tls));
  response->keep_alive(false);
  WriteHttp(std::move(response), [self = shared_from_this()](beast::error_code) {
    beast::error_code ignored;
    self->Socket().shutdown(tcp::socket::shutdown_send, ignored);
  });
}

void WebSocketSession::Start(UpgradeResponse response, std::shared_ptr<api::Channel> channel) {
  channel_ = std::move(channel);
  WriteHttp(std::make_shared<UpgradeResponse>(std::move(response)),
            [self = shared_from_this()](beast::error_code ec) {
              if (ec) {
                if (!IsNormalEnding(ec)) {
                  core::Log(core::LogLevel::debug, "ws.accept_failed", {{"error", ec.message()}});
                }
                self->End();
                return;
              }
              if (std::holds_alternative<tcp::socket>(self->stream_)) {
                beast::error_code ignored;
                self->Socket().non_blocking(true, ignored);
              }
              self->open_ = true;
              self->started_at_ = self->heard_at_ = Clock::now();
              self->context_.sockets.Add(self);
              if (auto asked = std::move(self->close_asked_early_)) {
                self->StartClose(asked->code, asked->reason);
              }
              self->ReadNext();
            });
}

void WebSocketSession::ReadNext() {
  if (waiting_ || ended_) return;
  waiting_ = true;
  if (auto* tls = std::get_if<TlsStream>(&stream_)) {
    if (!tls_read_) tls_read_ = std::make_unique<char[]>(kTlsReadChunk);
    tls->async_read_some(asio::buffer(tls_read_.get(), kTlsReadChunk),
                         [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
                           self->waiting_ = false;
                           self->OnTlsRead(ec, bytes);
                         });
    return;
  }
  Socket().async_wait(tcp::socket::wait_read, [self = shared_from_this()](beast::error_code ec) {
    self->waiting_ = false;
    self->OnReadable(ec);
  });
}

void WebSocketSession::OnTlsRead(const boost::system::error_code& ec, std::size_t bytes) {
  if (ec) {
    if (!IsNormalEnding(ec)) {
      core::Log(core::LogLevel::debug, "ws.read_failed", {{"error", ec.message()}});
    }
    Cut();
    return;
  }
  OnReceived(std::string_view(tls_read_.get(), bytes));
  if (!holding_) ReadNext();
}

void WebSocketSession::OnReceived(std::string_view data) {
  heard_at_ = Clock::now();
  pinged_ = false;
  if (received_.empty()) {
    Process(data);
    return;
  }
  std::string bytes;
  bytes.swap(received_);
  bytes.append(data);
  Process(bytes, true);
}

void WebSocketSession::OnReadable(const boost::system::error_code& ec) {
  if (ec) {
    if (!IsNormalEnding(ec)) {
      core::Log(core::LogLevel::debug, "ws.read_failed", {{"error", ec.message()}});
    }
    Cut();
    return;
  }
  thread_local std::array<char, kReadChunk> chunk;
  bool peer_gone = false;
  for (;;) {
    boost::system::error_code read_ec;
    const std::size_t n = Socket().read_some(asio::buffer(chunk), read_ec);
    if (read_ec == asio::error::would_block) break;
    if (read_ec) {
      peer_gone = true;
      break;
    }
    OnReceived(std::string_view(chunk.data(), n));
    if (holding_ || ended_ || n < chunk.size()) break;
  }
  if (peer_gone) {
    // Closed, not only ended: a peer that shut its sending side may never read what is in
    // flight, and that write would hold the session (and its places) with nothing to time it out.
    Cut();
    return;
  }
  if (!holding_) ReadNext();
}

void WebSocketSession::Process(std::string_view bytes, bool continues_frame) {
  const std::size_t given = bytes.size();
  while (!holding_ && !ended_) {
    std::optional<Received> received;
    const std::size_t used = parser_.Parse(bytes, received);
    bytes.remove_prefix(used);
    if (received) Handle(std::move(*received));
    if (used == 0 || (received && received->kind == Received::Kind::violation)) break;
  }
  // What is left is the start of a frame, or frames held back while the channel works.
  // Dropped once closing: after a violation the same bytes would fail again at every read.
  if (!ended_ && !closing_) {
    // A frame must be whole within the read timeout of its start (CheckTimeouts): one begun in
    // these bytes starts the clock, the rest of one begun before keeps it going.
    if (!bytes.empty() && (!continues_frame || bytes.size() != given)) {
      frame_begun_at_ = Clock::now();
    }
    received_.assign(bytes.data(), bytes.size());
  }
  if (received_.empty() && received_.capacity() > 0) std::string().swap(received_);
}

void WebSocketSession::Handle(Received received) {
  switch (received.kind) {
    case Received::Kind::text: {
      if (closing_) return;
      ++messages_;
      bool read_on = true;
      try {
        read_on = channel_->OnFrame(received.payload);
      } catch (const std::exception& e) {
        core::Log(core::LogLevel::error, "ws.channel_threw", {{"error", e.what()}});
        Enqueue(FixedErrorFrame("internal", "the frame could not be handled"), Opcode::text);
      }
      if (!read_on && !std::exchange(resume_requested_, false)) holding_ = shared_from_this();
      return;
    }
    case Received::Kind::binary:
      Enqueue(FixedErrorFrame("invalid_argument", "only text frames are accepted"), Opcode::text);
      return;
    case Received::Kind::ping:
      if (queued_pong_ < queue_.size() && queued_pong_ >= head_ + in_flight_ &&
          queue_[queued_pong_].opcode == Opcode::pong) {
        Outgoing& pong = queue_[queued_pong_];
        queued_bytes_ -= pong.payload->size();
        pong.payload = api::MakeFrame(std::move(received.payload));
        queued_bytes_ += pong.payload->size();
        return;
      }
      Enqueue(api::MakeFrame(std::move(received.payload)), Opcode::pong);
      if (!queue_.empty() && queue_.back().opcode == Opcode::pong) queued_pong_ = queue_.size() - 1;
      return;
    case Received::Kind::pong: return;
    case Received::Kind::close:
      peer_closed_ = true;
      if (close_sent_) {
        Cut();
        return;
      }
      StartClose(received.code == close_code::no_status ? close_code::normal : received.code, {});
      return;
    case Received::Kind::violation:
      if (received.code == close_code::too_big) {
        core::Log(core::LogLevel::info, "ws.frame_too_large", {});
      }
      StartClose(received.code, {});
      return;
  }
}

void WebSocketSession::StartClose(std::uint16_t code, std::string_view reason) {
  if (closing_ || ended_) return;
  // The frames still queued go out first; then the close, after which nothing is sent.
  queue_.push_back(Outgoing{api::MakeFrame(ClosePayload(code, reason)), Opcode::close});
  closing_ = true;
  drained_.clear();
  if (!writing_) WriteNext();
}

void WebSocketSession::Send(api::Frame frame) {
  asio::dispatch(Socket().get_executor(),
                 [self = shared_from_this(), frame = std::move(frame)]() mutable {
                   self->Enqueue(std::move(frame), Opcode::text);
                 });
}

void WebSocketSession::Close(std::uint16_t code, std::string_view reason) {
  asio::dispatch(Socket().get_executor(), [self = shared_from_this(), code,
                                           reason = std::string(reason)]() mutable {
    if (self->open_) return self->StartClose(code, reason);
    // Asked before the 101 went out (a session ended while its console connected): the close
    // follows it.
    if (!self->ended_) {
      self->close_asked_early_ = std::make_unique<AskedClose>(AskedClose{code, std::move(reason)});
    }
  });
}

void WebSocketSession::ResumeReading() {
  asio::dispatch(Socket().get_executor(), [self = shared_from_this()] {
    if (!self->holding_) {
      self->resume_requested_ = true;
      return;
    }
    self->holding_.reset();
    std::string held;
    held.swap(self->received_);
    self->Process(held);
    if (!self->holding_) self->ReadNext();
  });
}

void WebSocketSession::WhenDrained(std::function<void()> drained) {
  // Posted, never run inside this call: the caller may hold a lock that `drained` takes.
  asio::post(Socket().get_executor(),
             [self = shared_from_this(), drained = std::move(drained)]() mutable {
               if (!self->open_ || self->closing_) return;
               if (self->Drained()) {
                 drained();
               } else {
                 self->drained_.push_back(std::move(drained));
               }
             });
}

void WebSocketSession::Sweep(Clock::time_point now) {
  asio::dispatch(Socket().get_executor(),
                 [self = shared_from_this(), now] { self->CheckTimeouts(now); });
}

void WebSocketSession::CheckTimeouts(Clock::time_point now) {
  if (!open_ || ended_) return;
  const auto read_timeout = context_.limits.read_timeout;
  const auto idle_timeout = context_.limits.socket_idle_timeout;
  // A frame begun long ago and still not whole: a peer trickling bytes to hold the socket and
  // its buffer. Frames held back while the channel works are whole, and wait for it.
  const bool frame_stalled =
      !received_.empty() && !holding_ && now - frame_begun_at_ > read_timeout;
  if ((writing_ && now - written_at_ > read_timeout) ||
      (close_sent_ && now - close_sent_at_ > read_timeout) || now - heard_at_ > idle_timeout ||
      frame_stalled) {
    Cut();
    return;
  }
  if (messages_ == 0 && now - started_at_ > read_timeout) {
    core::Log(core::LogLevel::debug, "ws.no_first_frame", {});
    StartClose(close_code::policy_violation, "no hello");
    return;
  }
  if (!pinged_ && now - heard_at_ > idle_timeout / 2) {
    pinged_ = true;
    Enqueue(api::MakeFrame(std::string()), Opcode::ping);
  }
}

bool WebSocketSession::Drained() const {
  return queued_bytes_ <= context_.limits.send_queue_bytes / 4;
}

void WebSocketSession::TellDrained() {
  if (drained_.empty() || !Drained()) return;
  std::vector<std::function<void()>> waiting;
  waiting.swap(drained_);
  for (auto& drained : waiting) drained();
}

void WebSocketSession::Enqueue(api::Frame frame, Opcode opcode) {
  if (!open_ || closing_) return;
  if (queued_bytes_ + frame->size() > context_.limits.send_queue_bytes) {
    core::Log(core::LogLevel::info, "ws.client_too_slow",
              {{"queued_bytes", static_cast<std::int64_t>(queued_bytes_)}});
    // Frames still waiting will never be sent; the one in flight must finish first (a sweep
    // cuts it if it never does).
    queue_.resize(head_ + in_flight_);
    queued_bytes_ = 0;
    for (std::size_t i = head_; i < queue_.size(); ++i) {
      if (queue_[i].opcode != Opcode::close) queued_bytes_ += queue_[i].payload->size();
    }
    StartClose(close_code::policy_violation, "too slow");
    return;
  }
  queued_bytes_ += frame->size();
  queue_.push_back(Outgoing{std::move(frame), opcode});
  if (!writing_) WriteNext();
}

void WebSocketSession::WriteNext() {
  // A drained callback may have queued (and so started) the next write already.
  if (writing_) return;
  if (head_ == queue_.size()) {
    queue_.clear();
    head_ = 0;
    if (queue_.capacity() > kKeptQueueSlots) std::vector<Outgoing>().swap(queue_);
    std::vector<unsigned char>().swap(headers_);
    std::vector<asio::const_buffer>().swap(gather_);
    return;
  }
  writing_ = true;
  written_at_ = Clock::now();
  std::size_t frames = 0;
  std::size_t bytes = 0;
  while (head_ + frames < queue_.size() && frames < kFramesPerWrite &&
         (frames == 0 || bytes + queue_[head_ + frames].payload->size() <= kWriteBytes)) {
    const Outgoing& out = queue_[head_ + frames];
    bytes += out.payload->size();
    ++frames;
    if (out.opcode == Opcode::close) break;
  }
  in_flight_ = frames;
  // Sized before the first header is written, so the buffers below never move.
  headers_.resize(frames * kMaxHeaderBytes);
  gather_.clear();
  gather_.reserve(frames * 2);
  for (std::size_t i = 0; i < frames; ++i) {
    const Outgoing& out = queue_[head_ + i];
    std::array<unsigned char, kMaxHeaderBytes> header{};
    const std::size_t size = EncodeHeader(out.opcode, out.payload->size(), header);
    unsigned char* slot = headers_.data() + i * kMaxHeaderBytes;
    std::copy_n(header.data(), size, slot);
    gather_.emplace_back(slot, size);
    gather_.emplace_back(asio::buffer(*out.payload));
  }
  // The queue keeps the frames in flight alive until the handler runs, even after End.
  std::visit(
      [this](auto& stream) {
        asio::async_write(stream, std::span<const asio::const_buffer>(gather_),
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                            self->OnWritten(ec);
                          });
      },
      stream_);
}

void WebSocketSession::OnWritten(const boost::system::error_code& ec) {
  writing_ = false;
  if (ended_) return;
  bool was_close = false;
  for (std::size_t i = 0; i < in_flight_; ++i) {
    Outgoing& out = queue_[head_ + i];
    was_close = out.opcode == Opcode::close;
    if (!was_close) queued_bytes_ -= out.payload->size();
    out.payload.reset();
  }
  head_ += in_flight_;
  in_flight_ = 0;
  if (ec) {
    if (!IsNormalEnding(ec)) {
      core::Log(core::LogLevel::debug, "ws.write_failed", {{"error", ec.message()}});
    }
    Cut();
    return;
  }
  if (was_close) {
    close_sent_ = true;
    close_sent_at_ = Clock::now();
    // Both closes are said; or the peer is told and may answer within the read timeout.
    if (peer_closed_) Cut();
    return;
  }
  TellDrained();
  WriteNext();
}

void WebSocketSession::Cut() {
  beast::error_code ignored;
  Socket().shutdown(tcp::socket::shutdown_both, ignored);
  Socket().close(ignored);
  if (!waiting_) End();
}

void WebSocketSession::End() {
  if (ended_) return;
  ended_ = true;
  holding_.reset();
  if (open_) context_.sockets.Remove(this);
  core::Log(core::LogLevel::debug, "ws.closed", {{"messages", messages_}});
  open_ = false;
  // Frames in flight stay until their write's handler has run.
  queue_.resize(writing_ ? head_ + in_flight_ : 0);
  if (!writing_) head_ = 0;
  queued_bytes_ = 0;
  drained_.clear();
  std::string().swap(received_);
  if (channel_) channel_->OnClose();
  channel_.reset();
}

}  // namespace uitweg::net
