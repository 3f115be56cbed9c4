#include "store/sqlite/writer.hpp"

#include <algorithm>

#include "core/log.hpp"

namespace uitweg::store::sqlite {

Writer::Writer(std::unique_ptr<Connection> connection, std::size_t max_batch)
    : connection_(std::move(connection)),
      max_batch_(std::max<std::size_t>(1, max_batch)),
      thread_([this] { Loop(); }) {}

Writer::~Writer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

WriterStats Writer::Stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

std::size_t Writer::Pending() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

bool Writer::Enqueue(std::shared_ptr<Unit> unit) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    queue_.push_back(std::move(unit));
  }
  wake_.notify_one();
  return true;
}

void Writer::Loop() {
  std::vector<std::shared_ptr<Unit>> batch;
  batch.reserve(max_batch_);
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      const std::size_t take = std::min(max_batch_, queue_.size());
      for (std::size_t i = 0; i < take; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    RunBatch(batch);
    batch.clear();
  }
}

Status Writer::Control(const char* sql) {
  auto statement = connection_->Prepare(sql);
  if (!statement) return statement.error();
  return statement->Run();
}

void Writer::RunBatch(std::vector<std::shared_ptr<Unit>>& batch) {
  auto fail_all = [&](const core::Error& error) {
    if (connection_->InTransaction()) (void)Control("ROLLBACK");
    for (auto& unit : batch) unit->Finish(error);
  };
  if (auto begun = Control("BEGIN IMMEDIATE"); !begun) return fail_all(begun.error());
  for (auto& unit : batch) {
    if (auto saved = Control("SAVEPOINT unit"); !saved) return fail_all(saved.error());
    if (!unit->Execute(*connection_)) {
      // A failed statement may already have ended the whole transaction (I/O error, disk
      // full); then nothing of the batch can commit.
      if (!connection_->InTransaction()) {
        return fail_all(core::Fail(core::Errc::unavailable, "the write transaction was lost"));
      }
      if (auto undone = Control("ROLLBACK TO unit"); !undone) return fail_all(undone.error());
    }
    if (auto released = Control("RELEASE unit"); !released) return fail_all(released.error());
  }
  if (auto committed = Control("COMMIT"); !committed) {
    core::Log(core::LogLevel::error, "store.commit_failed",
              {{"units", batch.size()}, {"code", core::ErrcName(committed.error().code)}});
    return fail_all(committed.error());
  }
  {
    std::lock_guard lock(mutex_);
    ++stats_.batches;
    stats_.units += batch.size();
  }
  for (auto& unit : batch) unit->Finish(std::nullopt);
}

}  // namespace uitweg::store::sqlite
