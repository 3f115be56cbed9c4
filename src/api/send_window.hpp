#pragma once
// Bounds the sends of one socket that are written to the store but not yet answered. Sends are
// answered asynchronously (chat::Conversations::SendAsVisitorAsync), so without a bound a client
// that never waits for its acks could queue unbounded work at the store; with it, the worker
// handling that socket's next send waits, as a blocking send would, and net/ stops reading the
// socket meanwhile.
//
// Thread safety: Acquire and Release may be called from any thread at once.

#include <condition_variable>
#include <cstddef>
#include <mutex>

namespace uitweg::api {

// Unanswered sends per socket before the next one waits.
inline constexpr std::size_t kSendWindow = 64;

class SendWindow {
 public:
  explicit SendWindow(std::size_t limit);
  // Takes a slot, waiting while `limit` are taken.
  void Acquire();
  // Frees a slot taken by Acquire.
  void Release();

 private:
  const std::size_t limit_;
  std::mutex mu_;
  std::condition_variable freed_;
  std::size_t taken_ = 0;  // guarded by mu_
};

}  // namespace uitweg::api
