#include "store/sqlite/writer.hpp"

#include <algorithm>
#include <chrono>

#include "core/log.hpp"

namespace uitweg::store::sqlite {

Writer::Writer(std::unique_ptr<Connection> connection, std::size_t max_batch,
               std::chrono::microseconds linger, core::Post completions)
    : connection_(std::move(connection)),
      max_batch_(std::max<std::size_t>(1, max_batch)),
      linger_(linger),
      completions_(std::move(completions)),
      thread_([this] { Loop(); }) {}

Writer::~Writer() {
  Close();
}

void Writer::Close() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (!thread_.joinable()) return;
  thread_.join();
  const WriterStats stats = Stats();
  if (stats.batches == 0) return;
  core::Log(core::LogLevel::info, "store.writer_closed",
            {{"batches", stats.batches},
             {"units", stats.units},
             {"mean_batch", static_cast<double>(stats.units) / static_cast<double>(stats.batches)},
             {"mean_work_micros",
              static_cast<double>(stats.work_micros) / static_cast<double>(stats.batches)},
             {"mean_commit_micros",
              static_cast<double>(stats.commit_micros) / static_cast<double>(stats.batches)}});
}

void Writer::LogDoneThrew(const std::exception& e) {
  core::Log(core::LogLevel::error, "store.write_callback_threw", {{"error", e.what()}});
}

WriterStats Writer::Stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

std::size_t Writer::Pending() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void Writer::Queue(std::unique_ptr<Unit> unit) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back(std::move(unit));
      wake = queue_.size() == wanted_;
    }
  }
  if (unit) {
    unit->Finish(core::Fail(core::Errc::unavailable, "the store is closing"));
    return;
  }
  if (wake) wake_.notify_one();
}

void Writer::Loop() {
  Batch batch;
  batch.reserve(max_batch_);
  std::size_t last_batch = 0;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wanted_ = 1;
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      const std::size_t refill = std::min(last_batch, max_batch_);
      if (refill > 1 && queue_.size() < refill && linger_.count() > 0) {
        wanted_ = refill;
        wake_.wait_for(lock, linger_, [&] { return stopping_ || queue_.size() >= refill; });
      }
      const std::size_t take = std::min(max_batch_, queue_.size());
      for (std::size_t i = 0; i < take; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    last_batch = batch.size();
    RunBatch(batch);
    batch.clear();
  }
}

Status Writer::Control(const char* sql) {
  auto statement = connection_->Prepare(sql);
  if (!statement) return statement.error();
  return statement->Run();
}

void Writer::AnswerAll(Batch& batch, const std::optional<core::Error>& error) {
  auto later = std::make_shared<Batch>();
  for (auto& unit : batch) {
    if (unit->answer_on == AnswerOn::completions && completions_) {
      later->push_back(std::move(unit));
    } else {
      unit->Finish(error);
    }
  }
  if (later->empty()) return;
  completions_([later = std::move(later), error] {
    for (auto& unit : *later) unit->Finish(error);
  });
}

void Writer::RunBatch(Batch& batch) {
  auto fail_all = [&](const core::Error& error) {
    if (connection_->InTransaction()) (void)Control("ROLLBACK");
    AnswerAll(batch, error);
  };
  using SteadyClock = std::chrono::steady_clock;
  const auto started = SteadyClock::now();
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
  const auto worked = SteadyClock::now();
  if (auto committed = Control("COMMIT"); !committed) {
    core::Log(core::LogLevel::error, "store.commit_failed",
              {{"units", batch.size()}, {"code", core::ErrcName(committed.error().code)}});
    return fail_all(committed.error());
  }
  const auto committed_at = SteadyClock::now();
  auto micros = [](SteadyClock::duration d) {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(d).count());
  };
  {
    std::lock_guard lock(mutex_);
    ++stats_.batches;
    stats_.units += batch.size();
    stats_.work_micros += micros(worked - started);
    stats_.commit_micros += micros(committed_at - worked);
  }
  AnswerAll(batch, std::nullopt);
}

}  // namespace uitweg::store::sqlite
