#include "store/sqlite/checkpointer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

#include "core/log.hpp"

namespace uitweg::store::sqlite {
namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

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

void Checkpointer::ScrubSoon() {
  {
    std::lock_guard lock(mutex_);
    ++scrubs_asked_;
    // Not hurried: a retention run that shreds many one after another costs one scrub per gap
    // between runs, not one each.
    due_ = true;
  }
  wake_.notify_one();
}

void Checkpointer::Scrub(bool last_chance) {
  std::uint64_t asked = 0;
  {
    std::lock_guard lock(mutex_);
    if (scrubs_done_ == scrubs_asked_) return;
    if (!last_chance && Clock::now() < scrub_not_before_) return;
    asked = scrubs_asked_;
  }
  const Status done = connection_->CheckpointTruncate();
  std::lock_guard lock(mutex_);
  if (done) {
    scrubs_done_ = std::max(scrubs_done_, asked);
    scrub_backoff_ = kFirstScrubBackoff;
    return;
  }
  // Each try holds up commits for a moment: under steady reads and writes, try less often.
  scrub_not_before_ = Clock::now() + scrub_backoff_;
  scrub_backoff_ = std::min(2 * scrub_backoff_, kLastScrubBackoff);
  if (done.error().code != core::Errc::unavailable) {
    core::Log(core::LogLevel::warn, "store.scrub_failed",
              {{"code", core::ErrcName(done.error().code)}});
  }
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
      // A scrub still to be done tries again when its back-off is over, commits or none.
      auto wait = idle_interval_;
      if (scrubs_done_ < scrubs_asked_) {
        wait = std::min(wait, std::chrono::ceil<std::chrono::milliseconds>(
                                  std::max(scrub_not_before_ - Clock::now(), Clock::duration{})));
      }
      wake_.wait_for(lock, wait, [this] { return stopping_ || due_; });
      if (stopping_) {
        lock.unlock();
        Scrub(true);
        return;
      }
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
    Scrub(false);
    std::unique_lock lock(mutex_);
    ++runs_;
    // Each run ends with a write-back of the database file; spacing them out lets one run copy
    // many commits' worth of pages. A writer waiting to restart the log does not wait that out.
    wake_.wait_for(lock, min_gap_, [this] { return stopping_ || hurry_; });
  }
}

}  // namespace uitweg::store::sqlite
