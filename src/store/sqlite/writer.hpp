#pragma once
// The one thread that writes to an SQLite database, with group commit.
//
// Callers hand in a unit of work: Submit returns at once and answers later, Run blocks until the
// answer. The writer takes up to `max_batch` pending units, runs them all in one
// BEGIN IMMEDIATE ... COMMIT, each inside its own SAVEPOINT so that a unit that fails (a unique
// clash, a wrong state) is rolled back alone and the others still commit. Only after the COMMIT
// has succeeded does any caller get its result; if the COMMIT fails, every unit of the batch
// gets that error instead. One fsync is shared by the whole batch, which is where the
// throughput comes from. After a batch of n > 1 units the writer lingers up to `linger` for n
// units to be queued again before it starts the next one, so that callers woken by a commit get
// into the next batch rather than the one after it.
//
// The writer thread only commits. The answers of a batch's submitted units are handed to the
// `completions` executor in one task, which runs them in commit order; answers to Run go
// straight to the thread waiting for them. Without a completions executor, submitted units are
// answered on the writer thread.
//
// Thread safety: Run and Submit may be called from any number of threads at once. A unit of
// work runs on the writer thread and must only use the Connection it is given. Destruction
// finishes every unit already queued, then joins the thread (see Close); Run and Submit after
// that answer unavailable.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "core/executor.hpp"
#include "store/sqlite/connection.hpp"

namespace uitweg::store::sqlite {

struct WriterStats {
  std::uint64_t batches = 0;        // committed transactions
  std::uint64_t units = 0;          // units of work in them
  std::uint64_t work_micros = 0;    // time spent running units (BEGIN to before COMMIT)
  std::uint64_t commit_micros = 0;  // time spent in COMMIT, i.e. mostly waiting for fsync
};

class Writer {
 public:
  Writer(std::unique_ptr<Connection> connection, std::size_t max_batch,
         std::chrono::microseconds linger = std::chrono::microseconds(0),
         core::Post completions = {});
  ~Writer();
  Writer(const Writer&) = delete;

  // Finishes every unit already queued, then stops the thread; later Runs return unavailable.
  // The connection stays open until destruction. Idempotent; called by the destructor.
  void Close();

  Writer& operator=(const Writer&) = delete;

  // Runs `work` on the writer thread inside the next batch and returns its result once the
  // batch is committed. An error result rolls back only what `work` did.
  template <class T>
  Result<T> Run(std::function<Result<T>(Connection&)> work) {
    auto promise = std::make_shared<std::promise<Result<T>>>();
    auto future = promise->get_future();
    Queue(std::make_unique<TypedUnit<T>>(
        std::move(work), [promise](Result<T> result) { promise->set_value(std::move(result)); },
        AnswerOn::writer));
    return future.get();
  }

  // Like Run, but returns at once: `done` gets the result once the batch is committed (or the
  // batch's error), on the completions executor, in the order the units were submitted. If the
  // writer is closing, `done` gets unavailable at once on the calling thread. `done` must not
  // block and must not call Run; an exception from it is logged.
  template <class T>
  void Submit(std::function<Result<T>(Connection&)> work, std::function<void(Result<T>)> done) {
    Queue(std::make_unique<TypedUnit<T>>(std::move(work), std::move(done), AnswerOn::completions));
  }

  WriterStats Stats() const;
  // Units waiting for the next batch (not counting the one being written).
  std::size_t Pending() const;

 private:
  enum class AnswerOn { writer, completions };

  class Unit {
   public:
    explicit Unit(AnswerOn answer_on) : answer_on(answer_on) {}
    virtual ~Unit() = default;
    const AnswerOn answer_on;
    // Runs the work; false if it failed and its savepoint must be rolled back.
    virtual bool Execute(Connection& connection) = 0;
    // Hands the caller the result of Execute (after COMMIT) or `error` (the batch failed).
    virtual void Finish(const std::optional<core::Error>& error) = 0;
  };

  template <class T>
  class TypedUnit final : public Unit {
   public:
    TypedUnit(std::function<Result<T>(Connection&)> work, std::function<void(Result<T>)> done,
              AnswerOn answer_on)
        : Unit(answer_on), work_(std::move(work)), done_(std::move(done)) {}
    bool Execute(Connection& connection) override {
      try {
        result_.emplace(work_(connection));
      } catch (const std::exception&) {
        result_.emplace(core::Fail(core::Errc::internal, "a write failed unexpectedly"));
      }
      return result_->has_value();
    }
    void Finish(const std::optional<core::Error>& error) override {
      Result<T> result = core::Fail(core::Errc::internal, "write not run");
      if (error) {
        result = *error;
      } else if (result_) {
        result = std::move(*result_);
      }
      try {
        done_(std::move(result));
      } catch (const std::exception& e) {
        LogDoneThrew(e);
      }
    }

   private:
    std::function<Result<T>(Connection&)> work_;
    std::function<void(Result<T>)> done_;
    std::optional<Result<T>> result_;
  };

  using Batch = std::vector<std::unique_ptr<Unit>>;

  static void LogDoneThrew(const std::exception& e);
  // Queues `unit`, or answers it unavailable at once when the writer is closing.
  void Queue(std::unique_ptr<Unit> unit);
  void Loop();
  void RunBatch(Batch& batch);
  // Answers every unit of a committed (or failed) batch: on_writer ones here, the others in one
  // task on the completions executor.
  void AnswerAll(Batch& batch, const std::optional<core::Error>& error);
  Status Control(const char* sql);

  std::unique_ptr<Connection> connection_;  // used by the writer thread only
  const std::size_t max_batch_;
  const std::chrono::microseconds linger_;
  const core::Post completions_;

  // Guarded by mutex_:
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::unique_ptr<Unit>> queue_;
  bool stopping_ = false;
  std::size_t wanted_ = 1;  // the queue length at which Enqueue wakes the writer
  WriterStats stats_;

  std::thread thread_;  // last: starts after everything above exists
};

}  // namespace uitweg::store::sqlite
