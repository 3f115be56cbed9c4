#pragma once
// Copies committed pages from the write-ahead log back into the database file, on its own
// thread and connection, so that the writer rarely pays for it. Left to SQLite, a checkpoint
// runs inside whichever commit pushes the log past 1000 pages, adding two fsyncs and a burst
// of page writes to that commit's latency; under group commit that is every few batches.
//
// The writer calls Nudge after each commit with the log's size; past `threshold_pages` the
// checkpointer runs a PASSIVE checkpoint (at most one per `min_gap`), which never blocks the
// writer or readers. While writes keep coming such a checkpoint never quite catches up, and the
// log only starts over after a checkpoint that copied everything; so past a hard cap the writer
// itself checkpoints in its commit hook (see SqliteStore), which is cheap by then because this
// thread has already copied nearly all of it. Idle databases are checkpointed every
// `idle_interval`.
//
// Thread safety: Nudge may be called from any thread. Destruction stops and joins the thread.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "store/sqlite/connection.hpp"

namespace uitweg::store::sqlite {

class Checkpointer {
 public:
  // `database_path`: the file whose copied pages each run writes back to the disk.
  Checkpointer(std::unique_ptr<Connection> connection, const std::string& database_path,
               int threshold_pages,
               std::chrono::milliseconds min_gap = std::chrono::milliseconds(100),
               std::chrono::milliseconds idle_interval = std::chrono::seconds(5));
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  void Nudge(int wal_pages);

  // Checkpoints run so far.
  std::uint64_t Runs() const;

 private:
  void Loop();

  // Starts writing the pages a run copied into the database file out to the disk and waits
  // for that, without a cache flush: the fsync that completes the log's restart then finds
  // little left to write, instead of the whole log's worth in the writer's commit.
  void WriteBack();

  std::unique_ptr<Connection> connection_;  // used by the checkpointer thread only
  int database_fd_;                         // read-only; -1 if it could not be opened
  const int threshold_pages_;
  const std::chrono::milliseconds min_gap_;
  const std::chrono::milliseconds idle_interval_;

  // Guarded by mutex_:
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool due_ = false;
  bool stopping_ = false;
  std::uint64_t runs_ = 0;

  std::thread thread_;  // last: starts after everything above exists
};

}  // namespace uitweg::store::sqlite
