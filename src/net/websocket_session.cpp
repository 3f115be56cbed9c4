#include "net/websocket_session.hpp"

#include <exception>
#include <utility>

#include <boost/asio/dispatch.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/error.hpp>

#include "core/log.hpp"
#include "net/io_errors.hpp"

namespace uitweg::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

namespace {

// A drained queue keeps this much room for the next burst; more is given back.
constexpr std::size_t kKeptQueueSlots = 16;

api::Frame FixedErrorFrame(std::string_view code, std::string_view message) {
  std::string frame = R"({"type":"error","code":")";
  frame += code;
  frame += R"(","message":")";
  frame += message;  // fixed text from this file, nothing to escape
  frame += "\"}";
  return api::MakeFrame(std::move(frame));
}

}  // namespace

WebSocketSession::WebSocketSession(asio::ip::tcp::socket socket, const SessionContext& context,
                                   Admission::Ticket ticket)
    : ws_(std::move(socket)),
      context_(context),
      ticket_(std::move(ticket)),
      deadline_(ws_.get_executor()) {}

void WebSocketSession::Refuse(const HttpRequest& request, const core::Error& error) {
  auto response = std::make_shared<HttpResponse>(ApiError(request, error, context_.tls));
  response->keep_alive(false);
  beast::http::async_write(ws_.next_layer(), *response,
                           [self = shared_from_this(), response](beast::error_code, std::size_t) {
                             beast::error_code ignored;
                             self->ws_.next_layer().shutdown(asio::ip::tcp::socket::shutdown_send,
                                                             ignored);
                           });
}

void WebSocketSession::Start(HttpRequest request, std::shared_ptr<api::Channel> channel) {
  channel_ = std::move(channel);
  websocket::stream_base::timeout timeout =
      websocket::stream_base::timeout::suggested(beast::role_type::server);
  timeout.handshake_timeout = context_.limits.read_timeout;
  timeout.idle_timeout = context_.limits.socket_idle_timeout;
  timeout.keep_alive_pings = true;
  ws_.set_option(timeout);
  ws_.set_option(websocket::permessage_deflate{});
  ws_.read_message_max(context_.limits.frame_bytes);
  const bool tls = context_.tls;
  ws_.set_option(websocket::stream_base::decorator(
      [tls](websocket::response_type& response) { AddSecurityHeaders(response, tls); }));
  // The request must outlive the accept; its headers are dropped once it is done.
  auto upgrade = std::make_shared<HttpRequest>(std::move(request));
  ws_.async_accept(*upgrade, [self = shared_from_this(), upgrade](beast::error_code ec) {
    self->OnAccepted(ec);
  });
}

void WebSocketSession::OnAccepted(const boost::system::error_code& ec) {
  if (ec) {
    if (!IsNormalEnding(ec)) {
      core::Log(core::LogLevel::debug, "ws.accept_failed", {{"error", ec.message()}});
    }
    End();
    return;
  }
  open_ = true;
  ws_.text(true);
  context_.sockets.Add(shared_from_this());
  deadline_.expires_after(context_.limits.read_timeout);
  deadline_.async_wait([weak = weak_from_this()](const boost::system::error_code& waited) {
    auto self = weak.lock();
    if (waited || !self) return;
    core::Log(core::LogLevel::debug, "ws.no_first_frame", {});
    self->Close(static_cast<std::uint16_t>(websocket::close_code::policy_error), "no hello");
  });
  ReadNext();
}

void WebSocketSession::ReadNext() {
  ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    self->OnRead(ec);
  });
}

void WebSocketSession::OnRead(const boost::system::error_code& ec) {
  if (ec) {
    if (ec == websocket::error::message_too_big) {
      core::Log(core::LogLevel::info, "ws.frame_too_large", {});
    } else if (!IsNormalEnding(ec)) {
      core::Log(core::LogLevel::debug, "ws.read_failed", {{"error", ec.message()}});
    }
    End();
    return;
  }
  if (frames_read_++ == 0) deadline_.cancel();
  bool read_on = true;
  if (!ws_.got_text()) {
    Enqueue(FixedErrorFrame("invalid_argument", "only text frames are accepted"));
  } else {
    try {
      const auto data = buffer_.cdata();
      read_on = channel_->OnFrame(
          std::string_view(static_cast<const char*>(data.data()), data.size()));
    } catch (const std::exception& e) {
      core::Log(core::LogLevel::error, "ws.channel_threw", {{"error", e.what()}});
      Enqueue(FixedErrorFrame("internal", "the frame could not be handled"));
    }
  }
  // Idle sockets are the many: they keep no read buffer between frames.
  buffer_ = beast::flat_buffer();
  if (read_on || std::exchange(resume_requested_, false)) {
    ReadNext();
  } else {
    // No read is pending to keep this session alive while it waits.
    holding_ = shared_from_this();
  }
}

void WebSocketSession::End() {
  deadline_.cancel();
  context_.sockets.Remove(this);
  core::Log(core::LogLevel::debug, "ws.closed", {{"frames", frames_read_}});
  open_ = false;
  queue_.clear();
  head_ = 0;
  queued_bytes_ = 0;
  drained_.clear();
  if (channel_) channel_->OnClose();
  channel_.reset();
}

void WebSocketSession::Send(api::Frame frame) {
  asio::dispatch(ws_.get_executor(),
                 [self = shared_from_this(), frame = std::move(frame)]() mutable {
                   self->Enqueue(std::move(frame));
                 });
}

void WebSocketSession::Close(std::uint16_t code, std::string_view reason) {
  asio::dispatch(ws_.get_executor(), [self = shared_from_this(), code, reason = std::string(reason)] {
    if (!self->open_ || self->close_pending_) return;
    self->close_pending_ = true;
    self->close_reason_ = websocket::close_reason(static_cast<websocket::close_code>(code), reason);
    if (!self->writing_) self->StartClose();
  });
}

void WebSocketSession::ResumeReading() {
  asio::dispatch(ws_.get_executor(), [self = shared_from_this()] {
    if (!self->holding_) {
      self->resume_requested_ = true;
      return;
    }
    self->holding_.reset();
    self->ReadNext();
  });
}

void WebSocketSession::WhenDrained(std::function<void()> drained) {
  asio::dispatch(ws_.get_executor(),
                 [self = shared_from_this(), drained = std::move(drained)]() mutable {
                   if (!self->open_ || self->close_pending_) return;
                   if (self->Drained()) {
                     drained();
                   } else {
                     self->drained_.push_back(std::move(drained));
                   }
                 });
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

void WebSocketSession::Enqueue(api::Frame frame) {
  if (!open_ || close_pending_) return;
  if (queued_bytes_ + frame->size() > context_.limits.send_queue_bytes) {
    core::Log(core::LogLevel::info, "ws.client_too_slow",
              {{"queued_bytes", static_cast<std::int64_t>(queued_bytes_)}});
    drained_.clear();
    // Frames still waiting will never be sent; the one in flight must finish first.
    if (writing_) {
      queue_.resize(head_ + 1);
      queued_bytes_ = queue_[head_]->size();
      // A consumer that stopped reading may never finish that write: give it a deadline.
      deadline_.expires_after(context_.limits.read_timeout);
      deadline_.async_wait([weak = weak_from_this()](const boost::system::error_code& waited) {
        auto self = weak.lock();
        if (waited || !self) return;
        beast::error_code ignored;
        self->ws_.next_layer().close(ignored);
      });
    } else {
      queue_.clear();
      head_ = 0;
      queued_bytes_ = 0;
    }
    close_pending_ = true;
    close_reason_ = websocket::close_reason(websocket::close_code::policy_error, "too slow");
    if (!writing_) StartClose();
    return;
  }
  queued_bytes_ += frame->size();
  queue_.push_back(std::move(frame));
  if (!writing_) WriteNext();
}

void WebSocketSession::WriteNext() {
  if (head_ == queue_.size()) {
    queue_.clear();
    head_ = 0;
    if (queue_.capacity() > kKeptQueueSlots) std::vector<api::Frame>().swap(queue_);
    if (close_pending_) StartClose();
    return;
  }
  writing_ = true;
  const api::Frame& frame = queue_[head_];
  ws_.async_write(asio::buffer(*frame), [self = shared_from_this()](beast::error_code ec,
                                                                    std::size_t) {
    self->writing_ = false;
    if (self->head_ < self->queue_.size()) {
      self->queued_bytes_ -= self->queue_[self->head_]->size();
      self->queue_[self->head_++].reset();
    }
    if (ec) {
      if (!IsNormalEnding(ec)) {
        core::Log(core::LogLevel::debug, "ws.write_failed", {{"error", ec.message()}});
      }
      self->open_ = false;
      self->queue_.clear();
      self->head_ = 0;
      self->queued_bytes_ = 0;
      self->drained_.clear();
      return;
    }
    self->TellDrained();
    self->WriteNext();
  });
}

void WebSocketSession::StartClose() {
  if (!open_) return;
  open_ = false;
  writing_ = true;
  ws_.async_close(close_reason_, [self = shared_from_this()](beast::error_code ec) {
    self->writing_ = false;
    if (ec && !IsNormalEnding(ec)) {
      core::Log(core::LogLevel::debug, "ws.close_failed", {{"error", ec.message()}});
    }
  });
}

}  // namespace uitweg::net
