#include "load/socketio.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>

namespace uitweg::load::socketio {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;

constexpr std::string_view kEventName = R"(["frame",)";

core::Error Refused(std::string why) {
  return core::Fail(core::Errc::unavailable, "socket.io: " + why);
}

}  // namespace

std::string EventPrefix(std::string_view ns) {
  std::string prefix = "42";
  prefix += ns;
  prefix += ',';
  prefix += kEventName;
  return prefix;
}

std::string WrapEvent(std::string_view prefix, std::string_view json) {
  std::string out;
  out.reserve(prefix.size() + json.size() + 1);
  out += prefix;
  out += json;
  out += ']';
  return out;
}

Packet Classify(std::string_view packet, std::string_view prefix) {
  if (packet.size() > prefix.size() && packet.starts_with(prefix) && packet.back() == ']') {
    return {Packet::Kind::frame, packet.substr(prefix.size(), packet.size() - prefix.size() - 1)};
  }
  if (packet == "2") return {Packet::Kind::ping, {}};
  return {};
}

asio::awaitable<core::Status> Join(Connection::Stream& ws, std::string_view ns) {
  error_code ec;
  auto token = asio::redirect_error(asio::use_awaitable, ec);
  boost::beast::flat_buffer buffer;
  auto text = [&buffer] {
    const auto data = buffer.cdata();
    return std::string_view(static_cast<const char*>(data.data()), data.size());
  };
  co_await ws.async_read(buffer, token);
  if (ec) co_return Refused("open packet: " + ec.message());
  if (!text().starts_with("0{"))
    co_return Refused("expected an open packet, got " + std::string(text()));
  buffer.consume(buffer.size());

  ws.text(true);
  const std::string connect = "40" + std::string(ns) + ",";
  const std::string refused = "44" + std::string(ns) + ",";
  co_await ws.async_write(asio::buffer(connect), token);
  if (ec) co_return Refused("connect " + std::string(ns) + ": " + ec.message());
  for (;;) {
    co_await ws.async_read(buffer, token);
    if (ec) co_return Refused("connect " + std::string(ns) + ": " + ec.message());
    const std::string_view packet = text();
    if (packet.starts_with(connect)) co_return core::Status{};
    if (packet.starts_with(refused))
      co_return Refused(std::string(ns) + " refused: " + std::string(packet));
    if (packet == "2") {
      co_await ws.async_write(asio::buffer(std::string_view("3")), token);
      if (ec) co_return Refused("pong: " + ec.message());
    }
    buffer.consume(buffer.size());
  }
}

}  // namespace uitweg::load::socketio
