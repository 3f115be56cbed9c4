#include "store/sqlite/checkpointer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include "core/log.hpp"

namespace uitweg::store::sqlite {

Checkpointer::Checkpointer(std::unique_ptr<Connection> connection, const std::string& database_path,
                           int threshold_pages, int restart_pages,
                           std::chrono::milliseconds min_gap,
                           std::chrono::milliseconds idle_interval)
    : connection_(std::move(connection)),
      database_fd_(::open(database_path.c_str(), O_RDONLY | O_CLOEXEC)),
      threshold_pages_(threshold_pages),
      restart_pages_(restart_pages),
      min_gap_(min_gap),
      idle_interval_(idle_interval),
      thread_([this] { Loop(); }) {}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  if (database_fd_ >= 0) ::close(database_fd_);
}

void Checkpointer::WriteBack() {
  if (database_fd_ < 0) return;
  (void)::sync_file_range(
      database_fd_, 0, 0,
      SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);
}

bool Checkpointer::Nudge(int wal_pages) {
  bool wake;
  {
    std::lock_guard lock(mutex_);
    // A log that started over by itself (a run copied all of it at a quiet moment) withdraws the
    // writer's wait: the next time past restart_pages waits for a run of its own.
    if (wal_pages < restart_pages_) restart_after_.reset();
    if (wal_pages < threshold_pages_) return false;
    if (wal_pages >= 2 * restart_pages_ ||
        (wal_pages >= restart_pages_ && restart_after_ && runs_ > *restart_after_)) {
      restart_after_.reset();
      return true;
    }
    wake = !due_;
    due_ = true;
    if (wal_pages >= restart_pages_ && !restart_after_) {
      restart_after_ = started_;
      wake = wake || !hurry_;
      hurry_ = true;
    }
  }
  if (wake) wake_.notify_one();
  return false;
}

std::uint64_t Checkpointer::Runs() const {
  std::lock_guard lock(mutex_);
  return runs_;
}

void Checkpointer::Loop() {
  // A fresh connection learns that the database is in WAL mode only when it first reads it;
  // until then a checkpoint request is silently a no-op.
  if (auto opened = connection_->QueryText("SELECT COUNT(*) FROM sqlite_master"); !opened) {
    core::Log(core::LogLevel::warn, "store.checkpointer_open_failed",
              {{"code", core::ErrcName(opened.error().code)}});
  }
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, idle_interval_, [this] { return stopping_ || due_; });
      if (stopping_) return;
      due_ = false;
      hurry_ = false;
      ++started_;
    }
    // Busy means the writer is checkpointing itself right now; nothing to report.
    if (auto done = connection_->CheckpointPassive();
        !done && done.error().code != core::Errc::unavailable) {
      core::Log(core::LogLevel::warn, "store.checkpoint_failed",
                {{"code", core::ErrcName(done.error().code)}});
    }
    WriteBack();
    std::unique_lock lock(mutex_);
    ++runs_;
    // Each run ends with a write-back of the database file; spacing them out lets one run copy
    // many commits' worth of pages. A writer waiting to restart the log does not wait that out.
    wake_.wait_for(lock, min_gap_, [this] { return stopping_ || hurry_; });
  }
}

}  // namespace uitweg::store::sqlite
