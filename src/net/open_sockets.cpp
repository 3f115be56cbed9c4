#include "net/open_sockets.hpp"

#include "net/websocket_session.hpp"

namespace uitweg::net {

void OpenSockets::Add(const std::shared_ptr<WebSocketSession>& socket) {
  std::lock_guard lock(mu_);
  sockets_.emplace(socket.get(), socket);
}

void OpenSockets::Remove(const WebSocketSession* socket) {
  std::lock_guard lock(mu_);
  sockets_.erase(socket);
}

std::vector<std::shared_ptr<WebSocketSession>> OpenSockets::Live() {
  std::vector<std::shared_ptr<WebSocketSession>> open;
  std::lock_guard lock(mu_);
  open.reserve(sockets_.size());
  for (const auto& [key, weak] : sockets_) {
    if (auto socket = weak.lock()) open.push_back(std::move(socket));
  }
  return open;
}

void OpenSockets::CloseAll(std::uint16_t code, std::string_view reason) {
  for (const auto& socket : Live()) socket->Close(code, reason);
}

void OpenSockets::SweepAll(std::chrono::steady_clock::time_point now) {
  for (const auto& socket : Live()) socket->Sweep(now);
}

std::size_t OpenSockets::size() {
  std::lock_guard lock(mu_);
  return sockets_.size();
}

}  // namespace uitweg::net
