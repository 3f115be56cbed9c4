#pragma once
// The WebSockets that are open right now, so that a stopping server can tell every client to
// reconnect elsewhere (close code 1001) instead of dropping it. Holds sockets weakly.
//
// Thread-safe.

#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_map>

#include "api/channel.hpp"

namespace uitweg::net {

class OpenSockets {
 public:
  void Add(const std::shared_ptr<api::FrameSink>& socket);
  void Remove(const api::FrameSink* socket);
  // Asks every open socket to close; each finishes what it has queued first.
  void CloseAll(std::uint16_t code, std::string_view reason);
  std::size_t size();

 private:
  // Guarded by mu_.
  std::mutex mu_;
  std::unordered_map<const api::FrameSink*, std::weak_ptr<api::FrameSink>> sockets_;
};

}  // namespace uitweg::net
