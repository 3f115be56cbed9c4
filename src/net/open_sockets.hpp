#pragma once
// The WebSockets that are open right now: so that a stopping server can tell every client to
// reconnect elsewhere (close code 1001) instead of dropping it, and so that their timeouts are
// checked every few seconds (WebSocketSession::Sweep). Holds sockets weakly.
//
// Thread-safe.

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace uitweg::net {

class WebSocketSession;

class OpenSockets {
 public:
  void Add(const std::shared_ptr<WebSocketSession>& socket);
  void Remove(const WebSocketSession* socket);
  // Asks every open socket to close; each finishes what it has queued first.
  void CloseAll(std::uint16_t code, std::string_view reason);
  // Has every open socket check its timeouts.
  void SweepAll(std::chrono::steady_clock::time_point now);
  std::size_t size();

 private:
  std::vector<std::shared_ptr<WebSocketSession>> Live();

  // Guarded by mu_.
  std::mutex mu_;
  std::unordered_map<const WebSocketSession*, std::weak_ptr<WebSocketSession>> sockets_;
};

}  // namespace uitweg::net
