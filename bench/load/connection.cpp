#include "load/connection.hpp"

#include <boost/asio/buffer.hpp>

#include "load/socketio.hpp"

namespace uitweg::load {

void Connection::StartReading(OnFrame on_frame, OnEnd on_end) {
  on_frame_ = std::move(on_frame);
  on_end_ = std::move(on_end);
  ws_.text(true);
  ReadNext();
}

void Connection::ReadNext() {
  ws_.async_read(buffer_, [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
    if (ec) {
      if (!self->ended_) {
        self->ended_ = true;
        if (self->on_end_) self->on_end_(ec);
      }
      return;
    }
    const auto data = self->buffer_.cdata();
    const std::string_view text(static_cast<const char*>(data.data()), n);
    if (self->event_prefix_.empty()) {
      self->on_frame_(text);
    } else {
      self->OnSocketIoPacket(text);
    }
    self->buffer_.consume(n);
    self->ReadNext();
  });
}

void Connection::UseSocketIo(std::string_view ns) {
  event_prefix_ = socketio::EventPrefix(ns);
}

void Connection::OnSocketIoPacket(std::string_view packet) {
  const socketio::Packet p = socketio::Classify(packet, event_prefix_);
  if (p.kind == socketio::Packet::Kind::frame) {
    on_frame_(p.json);
  } else if (p.kind == socketio::Packet::Kind::ping) {
    Queue("3");
  }
}

void Connection::Send(std::string text) {
  if (ended_) return;
  if (event_prefix_.empty()) {
    Queue(std::move(text));
  } else {
    Queue(socketio::WrapEvent(event_prefix_, text));
  }
}

void Connection::Queue(std::string text) {
  if (ended_) return;
  outbox_.push_back(std::move(text));
  if (!writing_) WriteNext();
}

void Connection::WriteNext() {
  if (outbox_.empty()) {
    writing_ = false;
    return;
  }
  writing_ = true;
  ws_.async_write(boost::asio::buffer(outbox_.front()),
                  [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                    self->outbox_.pop_front();
                    if (ec) {
                      self->outbox_.clear();
                      self->writing_ = false;
                      return;
                    }
                    self->WriteNext();
                  });
}

}  // namespace uitweg::load
