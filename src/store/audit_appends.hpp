#pragma once
// AuditStore's appends through the group-commit writer, for every backend. Append waits for its
// entry. AppendLater's entries gather while one writer unit for them waits in the queue, and that
// unit appends all that gathered, in the order they were handed in: a counsellor's every message
// is audited, and one unit per batch (on PostgreSQL: one lock, one read of the last entry, one
// insert) costs far less than one unit per entry.
//
// The backend gives the appending itself: `append_all(connection, entries)` runs inside the
// writer's transaction and chains `entries` in order after the last entry. Every gathered entry's
// `done` gets its unit's outcome: once its batch is committed, or the batch's error.
//
// Thread safety: Append and AppendLater may be called from any number of threads at once.

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "store/audit_store.hpp"
#include "store/group_commit/writer.hpp"

namespace uitweg::store {

template <WriteConnection Connection>
class AuditAppends {
 public:
  using AppendAll = std::function<core::Result<std::vector<AuditEntry>>(
      Connection&, std::span<const NewAuditEntry> entries)>;

  explicit AuditAppends(AppendAll append_all)
      : state_(std::make_shared<State>(std::move(append_all))) {}

  core::Result<AuditEntry> Append(GroupCommitWriter<Connection>& writer,
                                  const NewAuditEntry& entry) {
    return writer.template Run<AuditEntry>(
        [&](Connection& db) -> core::Result<AuditEntry> {
          UITWEG_TRY_ASSIGN(std::vector<AuditEntry> chained, state_->append_all(db, {&entry, 1}));
          return std::move(chained.front());
        },
        kAuditLockKey);
  }

  void AppendLater(GroupCommitWriter<Connection>& writer, NewAuditEntry entry,
                   std::function<void(core::Status)> done) {
    {
      std::lock_guard lock(state_->mutex);
      state_->gathering.entries.push_back(std::move(entry));
      state_->gathering.done.push_back(std::move(done));
      if (state_->unit_waiting) return;
      state_->unit_waiting = true;
    }
    // What the unit took, kept across a batch that runs again.
    auto taken = std::make_shared<std::optional<Gathered>>();
    writer.template Submit<void>(
        [state = state_, taken](Connection& db) -> core::Status {
          if (!*taken) *taken = state->Take();
          UITWEG_TRY(state->append_all(db, (*taken)->entries));
          return {};
        },
        [state = state_, taken](core::Status status) {
          // A writer that is closing answers without running the unit.
          if (!*taken) *taken = state->Take();
          for (auto& answer : (*taken)->done) answer(status);
        },
        kAuditLockKey);
  }

 private:
  struct Gathered {
    std::vector<NewAuditEntry> entries;
    std::vector<std::function<void(core::Status)>> done;
  };
  // Shared with the units in the writer's queue, which may outlive the store.
  struct State {
    explicit State(AppendAll append_all) : append_all(std::move(append_all)) {}
    // What gathered so far; entries handed in from now on wait for the next unit.
    Gathered Take() {
      std::lock_guard lock(mutex);
      unit_waiting = false;
      return std::exchange(gathering, {});
    }
    const AppendAll append_all;
    std::mutex mutex;
    Gathered gathering;         // guarded by mutex
    bool unit_waiting = false;  // guarded by mutex
  };
  std::shared_ptr<State> state_;
};

}  // namespace uitweg::store
