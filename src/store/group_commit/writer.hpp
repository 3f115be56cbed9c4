#pragma once
// The one thread that writes to a database, with group commit; the same for every backend.
//
// Callers hand in a unit of work: Submit returns at once and answers later, Run blocks until the
// answer. The writer takes up to `max_batch` pending units and runs them all in one transaction,
// each inside its own SAVEPOINT so that a unit that fails (a unique clash, a wrong state) is
// rolled back alone and the others still commit (but for the units of its key after it in the
// batch, when it failed unexpectedly, Errc::internal: they fail with it, so that a conversation's
// entries, sent again, stay in their order; a later batch cannot know). Only after the COMMIT
// has succeeded does any
// caller get its result; if the COMMIT fails, every unit of the batch gets that error instead.
// One flush to disk is shared by the whole batch, which is where the throughput comes from.
// After a batch of n > 1 units the writer lingers up to `linger` for n units to be queued again
// before it starts the next one, so that callers woken by a commit get into the next batch
// rather than the one after it.
//
// Units carry a lock key (for the stores: the conversation they write, or none). Within a
// batch, units run ordered by key (stably, so one key's units keep their order), so that two
// writers on one database (several nodes on PostgreSQL) take row locks in the same order and
// never deadlock over them. A unit that also locks a row its key does not name (an accept locks
// its counsellor's account) must not wait for it while WaitsForLocks() is false (see below).
// Should the database still abort the transaction for a conflict
// (Errc::aborted from a unit), the whole batch is rolled back and run again, a few times. So is
// a batch whose connection turns out to be gone before its COMMIT (Connection::Lost, or a new
// session since the batch began, where the database is a server that may drop the connection):
// it runs again on a new connection.
//
// A row another writer holds need not stall the batch: a unit whose row is locked by another
// open transaction may say so instead of waiting for that commit, by answering
// Errc::deadline_exceeded while its connection's WaitsForLocks() is false. The writer rolls it
// back and sets it aside together with the units of its key behind it in the batch, commits the
// rest, and queues the set-aside units first for the next batch, in their order. A unit set aside
// kSetAsideLimit times runs next with WaitsForLocks() true, so that it waits like any other and
// cannot starve. Units without a lock key are never set aside, and always run with
// WaitsForLocks() true.
//
// The writer thread only commits. The answers of a batch's submitted units are handed to the
// `completions` executor in one task, which runs them in the order they ran; answers to Run go
// straight to the thread waiting for them. Without a completions executor, submitted units are
// answered on the writer thread.
//
// What a Connection must offer (see WriteConnection): Control for the transaction's own
// statements (BEGIN, SAVEPOINT, ...; prepared once where the database allows), InTransaction,
// kBeginWrite (the statement that begins a write transaction), kDefersControl, and Ready, called
// before each batch, which may reconnect a connection that broke, and WaitForLocks (see above;
// where only one writer ever writes, a no-op). Where every call is a round
// trip to a server (kDefersControl), the transaction's own statements go to Precede instead of
// Control and travel with the next statement the connection runs: a unit whose work is one
// statement then costs one round trip (the previous unit's RELEASE, its SAVEPOINT and the
// statement together), and the last RELEASE goes with the COMMIT. Such a connection rolls the
// whole transaction back when a kept statement fails, so that a unit's ROLLBACK TO never lands on
// another unit's savepoint.
//
// Where every call is a round trip and the connection can pipeline (PipelineConnection), units
// whose common case is one statement (SubmitStatement) go further: consecutive ones of a batch
// send their statements together, each behind a savepoint of its own, in one round trip. Their
// results are read in order; the first unit whose result was not all it needed (a row another
// writer holds, a refusal, a resend), and every unit after it, is rolled back to its savepoint,
// and that unit runs its whole work the usual way; the units after it are sent again.
//
// Thread safety: Run, Submit and SubmitStatement may be called from any number of threads at once.
// A unit of work runs on the writer thread and must only use the Connection it is given.
// Destruction finishes every unit already queued, then joins the thread (see Close); Run and Submit
// after that answer unavailable.

#include <algorithm>
#include <chrono>
#include <concepts>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include "core/error.hpp"
#include "core/executor.hpp"

namespace uitweg::store {

template <class C>
concept WriteConnection = requires(C& connection, std::string_view sql) {
  { connection.Control(sql) } -> std::same_as<core::Status>;
  { connection.InTransaction() } -> std::same_as<bool>;
  { connection.Ready() } -> std::same_as<core::Status>;
  { connection.WaitForLocks(true) } -> std::same_as<void>;
  { C::kBeginWrite } -> std::convertible_to<std::string_view>;
  { C::kDefersControl } -> std::convertible_to<bool>;
};

// A connection that can send several statements in one round trip (see Connection::OpenPipeline
// of the PostgreSQL store): Send them (SendControl: a statement not worth preparing),
// SyncPipeline, read each one's answer with Next in order.
template <class C>
concept PipelineConnection = WriteConnection<C> && C::kPipelines &&
    requires(C& connection, std::string_view sql) {
  { connection.OpenPipeline() } -> std::same_as<core::Status>;
  connection.Send(sql);
  connection.SendControl(sql);
  { connection.SyncPipeline() } -> std::same_as<core::Status>;
  { connection.Next().has_value() } -> std::convertible_to<bool>;
  { connection.ClosePipeline() } -> std::same_as<core::Status>;
};

// What a pipelined statement answers (the connection's Next), for SubmitStatement's `accept`;
// nothing where the connection does not pipeline.
template <class C>
struct PipelinedAnswerOf {
  using type = std::monostate;
};
template <PipelineConnection C>
struct PipelinedAnswerOf<C> {
  using type = decltype(std::declval<C&>().Next());
};

struct WriterStats {
  std::uint64_t batches = 0;        // committed transactions
  std::uint64_t units = 0;          // units of work in them
  std::uint64_t work_micros = 0;    // time spent running units (BEGIN to before COMMIT)
  std::uint64_t commit_micros = 0;  // time spent in COMMIT, i.e. mostly waiting for the flush
  std::uint64_t retries = 0;        // batches run again: aborted, or their connection lost
  std::uint64_t set_aside = 0;      // units put off to the next batch: their row was held
  std::uint64_t pipelined = 0;      // units that one statement in a pipeline finished
};

namespace group_commit {
// The non-template parts, in writer.cpp.
void LogDoneThrew(const std::exception& e);
void LogClosed(const WriterStats& stats);
void LogCommitFailed(std::size_t units, const core::Error& error);
}  // namespace group_commit

template <WriteConnection Connection>
class GroupCommitWriter {
 public:
  // How often a batch the database aborted (deadlock, serialization), or whose connection was
  // lost before its COMMIT, is tried.
  static constexpr int kAttempts = 5;
  // How often a unit whose row another writer holds is set aside before it waits for the row.
  static constexpr int kSetAsideLimit = 4;
  // How many times its number of units a batch may send in pipelines: a pipeline that stops at a
  // unit needing more than its statement sends the units after it again, and past this the rest
  // of the batch goes one unit at a time, so that a batch costs at most a few times its
  // statements.
  static constexpr std::size_t kPipelineSends = 4;

  GroupCommitWriter(std::unique_ptr<Connection> connection, std::size_t max_batch,
                    std::chrono::microseconds linger = std::chrono::microseconds(0),
                    core::Post completions = {})
      : connection_(std::move(connection)),
        max_batch_(std::max<std::size_t>(1, max_batch)),
        linger_(linger),
        completions_(std::move(completions)),
        thread_([this] { Loop(); }) {}
  ~GroupCommitWriter() { Close(); }
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

  // Finishes every unit already queued, then stops the thread; later Runs return unavailable.
  // The connection stays open until destruction. Idempotent; called by the destructor.
  void Close() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    if (!thread_.joinable()) return;
    thread_.join();
    group_commit::LogClosed(Stats());
  }

  // Runs `work` on the writer thread inside the next batch and returns its result once the
  // batch is committed. An error result rolls back only what `work` did.
  template <class T>
  core::Result<T> Run(std::function<core::Result<T>(Connection&)> work, std::string lock_key = {}) {
    auto promise = std::make_shared<std::promise<core::Result<T>>>();
    auto future = promise->get_future();
    Queue(std::make_unique<TypedUnit<T>>(
        std::move(work),
        [promise](core::Result<T> result) { promise->set_value(std::move(result)); },
        AnswerOn::writer, std::move(lock_key)));
    return future.get();
  }

  // Like Run, but returns at once: `done` gets the result once the batch is committed (or the
  // batch's error), on the completions executor, in the order the units ran. If the writer is
  // closing, `done` gets unavailable at once on the calling thread. `done` must not block and
  // must not call Run; an exception from it is logged.
  template <class T>
  void Submit(std::function<core::Result<T>(Connection&)> work,
              std::function<void(core::Result<T>)> done, std::string lock_key = {}) {
    Queue(std::make_unique<TypedUnit<T>>(std::move(work), std::move(done), AnswerOn::completions,
                                         std::move(lock_key)));
  }

  using PipelinedAnswer = typename PipelinedAnswerOf<Connection>::type;

  // Like Submit, for work whose common case is one statement: `send` sends that statement into
  // the connection's open pipeline (exactly one), and `accept` gets its answer and returns the
  // unit's value when the statement was all the unit needed, or nullopt otherwise (a failure
  // included); then the statement is rolled back and `work`, the whole unit as for Submit, runs.
  // Where the connection does not pipeline, `work` runs.
  template <class T>
  void SubmitStatement(std::function<void(Connection&)> send,
                       std::function<std::optional<T>(PipelinedAnswer&)> accept,
                       std::function<core::Result<T>(Connection&)> work,
                       std::function<void(core::Result<T>)> done, std::string lock_key = {}) {
    Queue(std::make_unique<StatementUnit<T>>(std::move(send), std::move(accept), std::move(work),
                                             std::move(done), std::move(lock_key)));
  }

  WriterStats Stats() const {
    std::lock_guard lock(mutex_);
    return stats_;
  }
  // Units waiting for the next batch (not counting the one being written).
  std::size_t Pending() const {
    std::lock_guard lock(mutex_);
    return queue_.size();
  }

 private:
  enum class AnswerOn { writer, completions };

  class Unit {
   public:
    Unit(AnswerOn answer_on, std::string lock_key)
        : answer_on(answer_on), lock_key(std::move(lock_key)) {}
    virtual ~Unit() = default;
    const AnswerOn answer_on;
    const std::string lock_key;
    // Used by the writer thread only: how often this unit was set aside, and whether the
    // current attempt at its batch set it aside.
    int times_set_aside = 0;
    bool set_aside = false;
    // Runs the work (again, if the batch is retried); its error, if it failed and its
    // savepoint must be rolled back.
    virtual std::optional<core::Error> Execute(Connection& connection) = 0;
    // Hands the caller the result of Execute (after COMMIT) or `error` (the batch failed).
    virtual void Finish(const std::optional<core::Error>& error) = 0;
    // Makes `error` the unit's result without running it (a unit of its key before it failed
    // unexpectedly).
    virtual void Refuse(const core::Error& error) = 0;
    // For units of SubmitStatement where the connection pipelines: sends the unit's statement,
    // and takes its answer (true: that finished the unit).
    // Send answers false when it sent nothing (its `send` threw).
    virtual bool Pipelined() const { return false; }
    virtual bool Send(Connection&) { return false; }
    virtual bool Accept(PipelinedAnswer&) { return false; }
  };

  template <class T>
  class TypedUnit : public Unit {
   public:
    TypedUnit(std::function<core::Result<T>(Connection&)> work,
              std::function<void(core::Result<T>)> done, AnswerOn answer_on, std::string lock_key)
        : Unit(answer_on, std::move(lock_key)), work_(std::move(work)), done_(std::move(done)) {}
    std::optional<core::Error> Execute(Connection& connection) override {
      try {
        result_.emplace(work_(connection));
      } catch (const std::exception&) {
        result_.emplace(core::Fail(core::Errc::internal, "a write failed unexpectedly"));
      }
      if (result_->has_value()) return std::nullopt;
      return result_->error();
    }
    void Refuse(const core::Error& error) override { result_.emplace(error); }
    void Finish(const std::optional<core::Error>& error) override {
      core::Result<T> result = core::Fail(core::Errc::internal, "write not run");
      if (error) {
        result = *error;
      } else if (result_) {
        result = std::move(*result_);
      }
      try {
        done_(std::move(result));
      } catch (const std::exception& e) {
        group_commit::LogDoneThrew(e);
      }
    }

   protected:
    std::optional<core::Result<T>> result_;

   private:
    std::function<core::Result<T>(Connection&)> work_;
    std::function<void(core::Result<T>)> done_;
  };

  template <class T>
  class StatementUnit final : public TypedUnit<T> {
   public:
    StatementUnit(std::function<void(Connection&)> send,
                  std::function<std::optional<T>(PipelinedAnswer&)> accept,
                  std::function<core::Result<T>(Connection&)> work,
                  std::function<void(core::Result<T>)> done, std::string lock_key)
        : TypedUnit<T>(std::move(work), std::move(done), AnswerOn::completions,
                       std::move(lock_key)),
          send_(std::move(send)),
          accept_(std::move(accept)) {}
    bool Pipelined() const override { return PipelineConnection<Connection>; }
    bool Send(Connection& connection) override {
      try {
        send_(connection);
        return true;
      } catch (const std::exception&) {
        return false;
      }
    }
    bool Accept(PipelinedAnswer& answer) override {
      std::optional<T> value;
      try {
        value = accept_(answer);
      } catch (const std::exception&) {
        return false;
      }
      if (!value) return false;
      this->result_.emplace(std::move(*value));
      return true;
    }

   private:
    std::function<void(Connection&)> send_;
    std::function<std::optional<T>(PipelinedAnswer&)> accept_;
  };

  using Batch = std::vector<std::unique_ptr<Unit>>;
  // What one attempt at a batch came to.
  enum class Outcome { committed, failed, retry };

  // Queues `unit`, or answers it unavailable at once when the writer is closing.
  void Queue(std::unique_ptr<Unit> unit) {
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

  void Loop() {
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
      std::stable_sort(batch.begin(), batch.end(),
                       [](const auto& a, const auto& b) { return a->lock_key < b->lock_key; });
      RunBatch(batch);
      batch.clear();
    }
  }

  // Answers every unit of a committed (or failed) batch: on_writer ones here, the others in
  // one task on the completions executor.
  void AnswerAll(Batch& batch, const std::optional<core::Error>& error) {
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

  void RunBatch(Batch& batch) {
    for (int attempt = 1;; ++attempt) {
      std::optional<core::Error> error;
      const Outcome outcome = Attempt(batch, error);
      if (outcome == Outcome::retry && attempt < kAttempts) {
        std::lock_guard lock(mutex_);
        ++stats_.retries;
        continue;
      }
      if (outcome == Outcome::retry) {
        error =
            core::Fail(core::Errc::unavailable, error && error->code == core::Errc::aborted
                                                    ? "the write kept conflicting with another"
                                                    : "the database kept dropping the connection");
      }
      if (outcome == Outcome::committed) QueueSetAsideFirst(batch);
      AnswerAll(batch, outcome == Outcome::committed ? std::nullopt : error);
      if constexpr (requires { connection_->AfterAnswers(); }) connection_->AfterAnswers();
      return;
    }
  }

  // Moves the units a committed batch set aside to the front of the queue, in their order.
  void QueueSetAsideFirst(Batch& batch) {
    const auto set_aside = std::stable_partition(batch.begin(), batch.end(),
                                                 [](const auto& unit) { return !unit->set_aside; });
    if (set_aside == batch.end()) return;
    {
      std::lock_guard lock(mutex_);
      stats_.set_aside += static_cast<std::uint64_t>(batch.end() - set_aside);
      queue_.insert(queue_.begin(), std::make_move_iterator(set_aside),
                    std::make_move_iterator(batch.end()));
    }
    batch.erase(set_aside, batch.end());
  }

  // Whether `unit`, which answered `failed`, is to be set aside for the next batch.
  static bool SetsAside(const Unit& unit, const core::Error& failed) {
    return failed.code == core::Errc::deadline_exceeded && !unit.lock_key.empty() &&
           unit.times_set_aside < kSetAsideLimit;
  }

  // How many sessions the connection has had with its server, and whether the current one is gone
  // (where the database is a server; one session for ever where it is not).
  std::uint64_t Session() {
    if constexpr (requires { connection_->Sessions(); }) {
      return connection_->Sessions();
    } else {
      return 0;
    }
  }
  bool SessionLost() {
    if constexpr (requires { connection_->Lost(); }) {
      return connection_->Lost();
    } else {
      return false;
    }
  }

  Outcome Attempt(Batch& batch, std::optional<core::Error>& error) {
    // A connection the server dropped since the last batch (it restarted) only says so when the
    // batch uses it; nothing of the batch has committed then, so the batch runs again on a new
    // connection. Not so once COMMIT was sent: that may have committed.
    bool committing = false;
    std::uint64_t session = 0;
    auto fail = [&](const core::Error& failure) {
      const bool lost = !committing && (SessionLost() || Session() != session);
      if (!lost && connection_->InTransaction()) (void)connection_->Control("ROLLBACK");
      error = failure;
      return failure.code == core::Errc::aborted || lost ? Outcome::retry : Outcome::failed;
    };
    using SteadyClock = std::chrono::steady_clock;
    const auto started = SteadyClock::now();
    if (auto ready = connection_->Ready(); !ready) {
      error = ready.error();
      return Outcome::failed;
    }
    session = Session();
    const auto control = [&](std::string_view sql) -> core::Status {
      if constexpr (Connection::kDefersControl) {
        connection_->Precede(sql);
        return {};
      } else {
        return connection_->Control(sql);
      }
    };
    if (auto begun = control(Connection::kBeginWrite); !begun) return fail(begun.error());
    const Unit* set_aside_before = nullptr;  // the last unit set aside, if it was the one before
    // The unit before, if it failed unexpectedly, and how: its key's units after it fail too.
    const Unit* failed_before = nullptr;
    core::Error failed_how;
    bool piped_before = false;  // whether the unit before ended a pipeline (so this one is slow)
    std::uint64_t pipelined = 0;
    std::size_t piped_sent = 0;  // statements sent in pipelines, for kPipelineSends
    for (std::size_t i = 0; i < batch.size(); ++i) {
      auto& unit = batch[i];
      unit->set_aside = set_aside_before && set_aside_before->lock_key == unit->lock_key;
      if (unit->set_aside) {
        set_aside_before = unit.get();
        continue;
      }
      set_aside_before = nullptr;
      if (failed_before && failed_before->lock_key == unit->lock_key) {
        unit->Refuse(failed_how);
        failed_before = unit.get();
        continue;
      }
      failed_before = nullptr;
      if constexpr (PipelineConnection<Connection>) {
        if (unit->Pipelined() && !piped_before && piped_sent < kPipelineSends * batch.size()) {
          const core::Result<std::size_t> finished = RunPipelined(batch, i, piped_sent);
          if (!finished) return fail(finished.error());
          if (*finished > 0) {
            pipelined += *finished;
            i += *finished - 1;
            piped_before = true;
            continue;
          }
        }
        piped_before = false;
      }
      if (auto saved = control("SAVEPOINT unit"); !saved) return fail(saved.error());
      connection_->WaitForLocks(unit->lock_key.empty() || unit->times_set_aside >= kSetAsideLimit);
      if (std::optional<core::Error> failed = unit->Execute(*connection_)) {
        if (failed->code == core::Errc::aborted) return fail(*failed);
        // The database could not write (I/O error, disk full, busy). Should it have undone no
        // more than the statement, the units after this one would still commit, a later message
        // of the same conversation then taking the seq of the one its sender sends again: the
        // order of the conversation would change. Nothing of the batch commits.
        if (failed->code == core::Errc::unavailable) return fail(*failed);
        // A failed statement may already have ended the whole transaction; then nothing of the
        // batch can commit either.
        if (!connection_->InTransaction()) {
          return fail(core::Fail(core::Errc::unavailable, "the write transaction was lost"));
        }
        if (auto undone = control("ROLLBACK TO unit"); !undone) return fail(undone.error());
        if (SetsAside(*unit, *failed)) {
          ++unit->times_set_aside;
          unit->set_aside = true;
          set_aside_before = unit.get();
        } else if (failed->code == core::Errc::internal && !unit->lock_key.empty()) {
          // Sent again, a message would come after the ones of its conversation that followed
          // it and committed: they fail with it, to be sent again in their order.
          failed_before = unit.get();
          failed_how = core::Fail(failed->code,
                                  "an earlier write of its key in the same batch "
                                  "failed unexpectedly: " +
                                      failed->message);
        }
      }
      if (auto released = control("RELEASE unit"); !released) return fail(released.error());
    }
    const auto worked = SteadyClock::now();
    committing = true;
    if (auto committed = connection_->Control("COMMIT"); !committed) {
      group_commit::LogCommitFailed(batch.size(), committed.error());
      return fail(committed.error());
    }
    const auto committed_at = SteadyClock::now();
    auto micros = [](SteadyClock::duration d) {
      return static_cast<std::uint64_t>(
          std::chrono::duration_cast<std::chrono::microseconds>(d).count());
    };
    std::lock_guard lock(mutex_);
    ++stats_.batches;
    stats_.units += static_cast<std::uint64_t>(std::count_if(
        batch.begin(), batch.end(), [](const auto& unit) { return !unit->set_aside; }));
    stats_.pipelined += pipelined;
    stats_.work_micros += micros(worked - started);
    stats_.commit_micros += micros(committed_at - worked);
    return Outcome::committed;
  }

  // Sends the statements of the pipelined units from `first` on in one round trip, each behind
  // a savepoint of its own (counted in `sent`), and takes their answers in order. Returns how many
  // of them their statement finished. The first one it did not finish, and all after it, are rolled
  // back; that one is to run the usual way next.
  core::Result<std::size_t> RunPipelined(
      Batch& batch, std::size_t first, std::size_t& sent) requires PipelineConnection<Connection> {
    // A unit that waits for its row ends the pipeline: were an earlier unit to fall back, the
    // wait would be for an answer that is thrown away.
    const auto waits = [](const Unit& unit) {
      return unit.lock_key.empty() || unit.times_set_aside >= kSetAsideLimit;
    };
    std::size_t end = first;
    while (end < batch.size() && batch[end]->Pipelined() && (end == first || !waits(*batch[end]))) {
      ++end;
    }
    auto savepoint = [](std::size_t index) { return "p" + std::to_string(index); };
    UITWEG_TRY(connection_->OpenPipeline());
    for (std::size_t i = first; i < end; ++i) {
      connection_->SendControl("SAVEPOINT " + savepoint(i));
      connection_->WaitForLocks(waits(*batch[i]));
      // A unit that sent nothing ends the pipeline there; it runs the usual way next.
      if (!batch[i]->Send(*connection_)) {
        end = i;
        break;
      }
    }
    sent += end - first;
    if (auto synced = connection_->SyncPipeline(); !synced) {
      (void)connection_->ClosePipeline();
      return synced.error();
    }
    std::size_t finished = 0;
    bool saved = true;
    for (std::size_t i = first; i < end; ++i) {
      saved = connection_->Next().has_value();
      if (!saved) break;
      PipelinedAnswer answer = connection_->Next();
      if (!batch[i]->Accept(answer)) break;
      batch[i]->set_aside = false;
      ++finished;
    }
    UITWEG_TRY(connection_->ClosePipeline());
    if (!saved) return core::Fail(core::Errc::internal, "a unit's savepoint could not be made");
    if (first + finished < end) connection_->Precede("ROLLBACK TO " + savepoint(first + finished));
    connection_->Precede("RELEASE " + savepoint(first));
    return finished;
  }

  std::unique_ptr<Connection> connection_;  // used by the writer thread only
  const std::size_t max_batch_;
  const std::chrono::microseconds linger_;
  const core::Post completions_;

  // Guarded by mutex_:
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::unique_ptr<Unit>> queue_;
  bool stopping_ = false;
  std::size_t wanted_ = 1;  // the queue length at which Queue wakes the writer
  WriterStats stats_;

  std::thread thread_;  // last: starts after everything above exists
};

}  // namespace uitweg::store
