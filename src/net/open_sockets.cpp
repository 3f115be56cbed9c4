#include "net/open_sockets.hpp"

#include <vector>

namespace uitweg::net {

void OpenSockets::Add(const std::shared_ptr<api::FrameSink>& socket) {
  std::lock_guard lock(mu_);
  sockets_.emplace(socket.get(), socket);
}

void OpenSockets::Remove(const api::FrameSink* socket) {
  std::lock_guard lock(mu_);
  sockets_.erase(socket);
}

void OpenSockets::CloseAll(std::uint16_t code, std::string_view reason) {
  std::vector<std::shared_ptr<api::FrameSink>> open;
  {
    std::lock_guard lock(mu_);
    for (const auto& [key, weak] : sockets_) {
      if (auto socket = weak.lock()) open.push_back(std::move(socket));
    }
  }
  for (const auto& socket : open) socket->Close(code, reason);
}

std::size_t OpenSockets::size() {
  std::lock_guard lock(mu_);
  return sockets_.size();
}

}  // namespace uitweg::net
