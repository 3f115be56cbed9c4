#include "store/sqlite/checkpointer.hpp"

#include "core/log.hpp"

namespace uitweg::store::sqlite {

Checkpointer::Checkpointer(std::unique_ptr<Connection> connection, int threshold_pages,
                           std::chrono::milliseconds idle_interval)
    : connection_(std::move(connection)),
      threshold_pages_(threshold_pages),
      idle_interval_(idle_interval),
      thread_([this] { Loop(); }) {}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void Checkpointer::Nudge(int wal_pages) {
  if (wal_pages < threshold_pages_) return;
  bool wake;
  {
    std::lock_guard lock(mutex_);
    wake = !due_;
    due_ = true;
  }
  if (wake) wake_.notify_one();
}

std::uint64_t Checkpointer::Runs() const {
  std::lock_guard lock(mutex_);
  return runs_;
}

void Checkpointer::Loop() {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, idle_interval_, [this] { return stopping_ || due_; });
      if (stopping_) return;
      due_ = false;
    }
    auto checkpoint = connection_->Prepare("PRAGMA wal_checkpoint(PASSIVE)");
    Status done = checkpoint ? checkpoint->Run() : Status(checkpoint.error());
    if (!done) {
      // Not fatal: the log only grows until the next try.
      core::Log(core::LogLevel::warn, "store.checkpoint_failed",
                {{"code", core::ErrcName(done.error().code)}});
    }
    std::lock_guard lock(mutex_);
    ++runs_;
  }
}

}  // namespace uitweg::store::sqlite
