#include "api/send_window.hpp"

#include <algorithm>

namespace uitweg::api {

SendWindow::SendWindow(std::size_t limit) : limit_(std::max<std::size_t>(1, limit)) {}

void SendWindow::Acquire() {
  std::unique_lock lock(mu_);
  freed_.wait(lock, [this] { return taken_ < limit_; });
  ++taken_;
}

void SendWindow::Release() {
  {
    std::lock_guard lock(mu_);
    --taken_;
  }
  freed_.notify_one();
}

}  // namespace uitweg::api
