#pragma once
// Socket.IO (protocol v5) over Engine.IO v4 on a plain WebSocket, the little of it the load
// generator needs to drive bench/peers/socketio_relay.mjs: join a namespace, wrap each protocol
// frame as the event `frame`, unwrap incoming ones, and recognise Engine.IO pings.
//
// Wire shapes: the server opens with `0{...}`; the client joins with `40/ns,` and the server
// answers `40/ns,{...}` (or `44/ns,{...}` to refuse). An event is `42/ns,["frame",<json>]`.
// Engine.IO ping `2` is answered with pong `3`. No acks, binary events or long-polling.
//
// Stateless functions; Join runs on the connection's io_context before its read loop starts.

#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "core/error.hpp"
#include "load/connection.hpp"

namespace uitweg::load::socketio {

// The request target of the WebSocket upgrade.
inline constexpr char kPath[] = "/socket.io/?EIO=4&transport=websocket";

// `42/ns,["frame",` for namespace "/ns": what every event frame of that namespace starts with.
std::string EventPrefix(std::string_view ns);

// `prefix + json + "]"` in one allocation.
std::string WrapEvent(std::string_view prefix, std::string_view json);

// An incoming packet: a `frame` event (with `json` the frame object's text inside the packet),
// an Engine.IO ping, or anything else (ignored).
struct Packet {
  enum class Kind { frame, ping, other };
  Kind kind = Kind::other;
  std::string_view json;
};
Packet Classify(std::string_view packet, std::string_view prefix);

// After the WebSocket handshake: reads the open packet, joins `ns` and waits for the server's
// connect packet, answering pings meanwhile. unavailable says why it failed.
boost::asio::awaitable<core::Status> Join(Connection::Stream& ws, std::string_view ns);

}  // namespace uitweg::load::socketio
