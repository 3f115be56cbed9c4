#include "load/connection.hpp"

#include <boost/asio/buffer.hpp>

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
    self->on_frame_(std::string_view(static_cast<const char*>(data.data()), n));
    self->buffer_.consume(n);
    self->ReadNext();
  });
}

void Connection::Send(std::string text) {
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
