#include "support/ws_client.hpp"

#include <deque>
#include <optional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

namespace uitweg::support {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using SteadyClock = std::chrono::steady_clock;

constexpr int kAbnormalClosure = 1006;

core::Errc ErrcForStatus(int status) {
  switch (status) {
    case 400: return core::Errc::invalid_argument;
    case 401: return core::Errc::unauthenticated;
    case 403: return core::Errc::permission_denied;
    case 404: return core::Errc::not_found;
    default: return core::Errc::unavailable;
  }
}

}  // namespace

struct WsClient::Impl {
  asio::io_context ioc;
  websocket::stream<beast::tcp_stream> ws{ioc};
  beast::flat_buffer buffer;
  std::deque<boost::json::object> frames;
  bool open = false;
  bool ended = false;
  int close_code = 0;
  int upgrade_status = 0;

  // Runs handlers until `done()` holds or the deadline passes; returns done().
  template <class Pred>
  bool RunUntil(Pred done, SteadyClock::time_point deadline) {
    while (!done()) {
      if (ioc.stopped()) ioc.restart();
      if (ioc.run_one_until(deadline) == 0) return done();
    }
    return true;
  }

  void ReadLoop() {
    ws.async_read(buffer, [this](error_code ec, std::size_t) {
      if (ec) {
        ended = true;
        open = false;
        close_code = ec == websocket::error::closed ? ws.reason().code : kAbnormalClosure;
        return;
      }
      const std::string text = beast::buffers_to_string(buffer.data());
      buffer.consume(buffer.size());
      error_code parse_ec;
      boost::json::value v = boost::json::parse(text, parse_ec);
      if (!parse_ec && v.is_object()) {
        frames.push_back(std::move(v.get_object()));
      } else {
        frames.push_back(boost::json::object{{"type", "<not-json-object>"}, {"raw", text}});
      }
      ReadLoop();
    });
  }

  core::Status Write(std::string_view text) {
    if (!open) return core::Fail(core::Errc::failed_precondition, "not connected");
    bool done = false;
    error_code result;
    ws.text(true);
    ws.async_write(asio::buffer(text.data(), text.size()), [&](error_code ec, std::size_t) {
      result = ec;
      done = true;
    });
    if (!RunUntil([&] { return done; }, SteadyClock::now() + 5s)) {
      return core::Fail(core::Errc::deadline_exceeded, "write timed out");
    }
    if (result) return core::Fail(core::Errc::unavailable, "write: " + result.message());
    return {};
  }
};

WsClient::WsClient() : impl_(std::make_unique<Impl>()) {}
WsClient::~WsClient() = default;
WsClient::WsClient(WsClient&&) noexcept = default;
WsClient& WsClient::operator=(WsClient&&) noexcept = default;

core::Status WsClient::Connect(std::uint16_t port, std::string_view target, const Headers& headers,
                               std::chrono::milliseconds timeout) {
  Impl& s = *impl_;
  const auto deadline = SteadyClock::now() + timeout;
  auto& tcp_layer = beast::get_lowest_layer(s.ws);
  tcp_layer.expires_after(timeout);

  bool done = false;
  error_code result;
  tcp_layer.async_connect(tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), port),
                          [&](error_code ec) {
                            result = ec;
                            done = true;
                          });
  if (!s.RunUntil([&] { return done; }, deadline)) {
    return core::Fail(core::Errc::deadline_exceeded, "connect timed out");
  }
  if (result) return core::Fail(core::Errc::unavailable, "connect: " + result.message());

  s.ws.set_option(websocket::stream_base::decorator([headers](websocket::request_type& req) {
    for (const auto& [k, v] : headers) req.set(k, v);
  }));
  s.ws.read_message_max(64 * 1024 * 1024);
  websocket::response_type response;
  done = false;
  s.ws.async_handshake(response, "127.0.0.1:" + std::to_string(port), target, [&](error_code ec) {
    result = ec;
    done = true;
  });
  if (!s.RunUntil([&] { return done; }, deadline)) {
    return core::Fail(core::Errc::deadline_exceeded, "handshake timed out");
  }
  s.upgrade_status = static_cast<int>(response.result_int());
  if (result) {
    const core::Errc code = result == websocket::error::upgrade_declined
                                ? ErrcForStatus(s.upgrade_status)
                                : core::Errc::unavailable;
    return core::Fail(code, "upgrade refused with HTTP " + std::to_string(s.upgrade_status));
  }
  tcp_layer.expires_never();
  s.open = true;
  s.ReadLoop();
  return {};
}

int WsClient::upgrade_status() const {
  return impl_->upgrade_status;
}

core::Status WsClient::Send(const boost::json::object& frame) {
  return impl_->Write(boost::json::serialize(frame));
}

core::Status WsClient::SendText(std::string_view text) {
  return impl_->Write(text);
}

core::Result<boost::json::object> WsClient::Next(std::chrono::milliseconds timeout) {
  Impl& s = *impl_;
  s.RunUntil([&] { return !s.frames.empty() || s.ended; }, SteadyClock::now() + timeout);
  if (s.frames.empty()) {
    return s.ended ? core::Fail(core::Errc::unavailable,
                                "connection closed (" + std::to_string(s.close_code) + ")")
                   : core::Fail(core::Errc::deadline_exceeded, "no frame in time");
  }
  boost::json::object frame = std::move(s.frames.front());
  s.frames.pop_front();
  return frame;
}

core::Result<boost::json::object> WsClient::Take(std::string_view type,
                                                 std::chrono::milliseconds timeout) {
  Impl& s = *impl_;
  std::size_t checked = 0;
  std::optional<std::size_t> found;
  auto have_it = [&] {
    for (; checked < s.frames.size(); ++checked) {
      if (FrameType(s.frames[checked]) == type) {
        found = checked;
        return true;
      }
    }
    return s.ended;
  };
  s.RunUntil(have_it, SteadyClock::now() + timeout);
  if (!found) {
    return s.ended ? core::Fail(core::Errc::unavailable,
                                "connection closed (" + std::to_string(s.close_code) +
                                    ") before a " + std::string(type) + " frame")
                   : core::Fail(core::Errc::deadline_exceeded,
                                "no " + std::string(type) + " frame in time");
  }
  const auto at = s.frames.begin() + static_cast<std::ptrdiff_t>(*found);
  boost::json::object frame = std::move(*at);
  s.frames.erase(at);
  return frame;
}

std::size_t WsClient::Pending() const {
  return impl_->frames.size();
}

void WsClient::Pump(std::chrono::milliseconds how_long) {
  impl_->RunUntil([] { return false; }, SteadyClock::now() + how_long);
}

core::Result<int> WsClient::WaitClosed(std::chrono::milliseconds timeout) {
  Impl& s = *impl_;
  if (!s.RunUntil([&] { return s.ended; }, SteadyClock::now() + timeout)) {
    return core::Fail(core::Errc::deadline_exceeded, "server kept the connection open");
  }
  return s.close_code;
}

bool WsClient::closed() const {
  return impl_->ended;
}

void WsClient::Abort() {
  Impl& s = *impl_;
  auto& socket = beast::get_lowest_layer(s.ws).socket();
  error_code ec;
  socket.set_option(asio::socket_base::linger(true, 0), ec);
  socket.close(ec);
  s.open = false;
  s.RunUntil([&] { return s.ended; }, SteadyClock::now() + 1s);
}

void WsClient::Close() {
  Impl& s = *impl_;
  if (!s.open) return;
  bool done = false;
  s.ws.async_close(websocket::close_code::normal, [&](error_code) { done = true; });
  s.RunUntil([&] { return done && s.ended; }, SteadyClock::now() + 2s);
  s.open = false;
}

std::string_view FrameType(const boost::json::object& frame) {
  const auto* type = frame.if_contains("type");
  if (!type || !type->is_string()) return {};
  return type->get_string();
}

}  // namespace uitweg::support
