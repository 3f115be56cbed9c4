#pragma once
// A synchronous WebSocket client for tests, speaking JSON text frames to 127.0.0.1.
// A read is always pending underneath, so frames that arrive while the test is busy elsewhere
// are queued in arrival order; Next() takes the oldest, Take(type) the oldest of one type and
// leaves the others in place. Every wait is bounded by a timeout.
// Not thread-safe: one test thread drives one client. Movable, not copyable.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "core/error.hpp"
#include "support/http_client.hpp"

namespace uitweg::support {

using namespace std::chrono_literals;

class WsClient {
 public:
  WsClient();
  ~WsClient();
  WsClient(WsClient&&) noexcept;
  WsClient& operator=(WsClient&&) noexcept;

  // Connects and upgrades. When the server refuses the upgrade the error is
  // permission_denied / unauthenticated / invalid_argument after its HTTP status (kept in
  // upgrade_status()).
  core::Status Connect(std::uint16_t port, std::string_view target, const Headers& headers = {},
                       std::chrono::milliseconds timeout = 5s);
  int upgrade_status() const;

  core::Status Send(const boost::json::object& frame);
  // Sends any text, valid JSON or not.
  core::Status SendText(std::string_view text);

  // The oldest frame not yet taken. deadline_exceeded when nothing arrives in time;
  // unavailable once the connection has ended and nothing is left.
  core::Result<boost::json::object> Next(std::chrono::milliseconds timeout = 5s);
  // The oldest frame whose "type" is `type`; other frames stay queued.
  core::Result<boost::json::object> Take(std::string_view type,
                                         std::chrono::milliseconds timeout = 5s);
  // Frames received and not yet taken, without waiting.
  std::size_t Pending() const;
  // Lets the client read whatever arrives during `how_long`.
  void Pump(std::chrono::milliseconds how_long);

  // Waits for the server to end the connection; returns the close code it sent
  // (1006 when the TCP connection ended without a close frame).
  core::Result<int> WaitClosed(std::chrono::milliseconds timeout);
  bool closed() const;

  // Drops the TCP connection without a close frame, like a phone losing its signal.
  void Abort();
  // A polite close handshake (1000).
  void Close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The "type" of a frame, or empty.
std::string_view FrameType(const boost::json::object& frame);

}  // namespace uitweg::support
