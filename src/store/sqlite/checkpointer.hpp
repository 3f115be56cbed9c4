#pragma once
// Copies committed pages from the write-ahead log back into the database file, on its own
// thread and connection, so that the writer rarely pays for it. Left to SQLite, a checkpoint
// runs inside whichever commit pushes the log past 1000 pages, adding two fsyncs and a burst
// of page writes to that commit's latency; under group commit that is every few batches.
//
// The writer calls Nudge after its commits with the log's size; past `threshold_pages` the
// checkpointer runs a PASSIVE checkpoint (at most one per `min_gap`), which never blocks the
// writer or readers. While writes keep coming such a checkpoint never quite catches up, and the
// log only starts over after a checkpoint that copied everything; so past `restart_pages` the
// writer checkpoints itself, between two batches (see Connections). That holds up its next batch,
// so it waits for a run of this thread that began after the log passed `restart_pages`: then the
// writer has only the commits since that run to copy (a median of 1.0-1.4 ms on the development
// machine, against 2.6-4.3 ms when the last run could be 100 ms old). Idle databases are
// checkpointed every `idle_interval`.
//
// The log keeps earlier versions of pages until the space is written over, and a shred leaves
// the conversation's key and texts there; after one (ScrubSoon) the log is truncated as soon as
// no writer or reader is in the way, which holds up commits for the short copy of what the last
// run left.
//
// Thread safety: Nudge may be called from any thread. Destruction stops and joins the thread.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "store/sqlite/connection.hpp"

namespace uitweg::store::sqlite {

class Checkpointer {
 public:
  // `database_path`: the file whose copied pages each run writes back to the disk.
  Checkpointer(std::unique_ptr<Connection> connection, const std::string& database_path,
               int threshold_pages, int restart_pages,
               std::chrono::milliseconds min_gap = std::chrono::milliseconds(100),
               std::chrono::milliseconds idle_interval = std::chrono::seconds(5));
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Called by the writer after commits, with the log's size. Answers true when the writer is to
  // checkpoint itself now: the log is past `restart_pages` and a run that began after it last got
  // there has finished, or the log is past twice `restart_pages` (should this thread fall behind).
  // Past `restart_pages` without such a run, it starts one at once, whatever `min_gap` says.
  bool Nudge(int wal_pages);

  // Something was shredded: earlier versions of its pages are still in the log. The next run
  // (within min_gap) truncates the log after copying it; while a writer or reader is in its way
  // it tries again, at most every 100 ms at first and every 5 s at last, and once more on
  // destruction.
  void ScrubSoon();

  // Checkpoints run so far.
  std::uint64_t Runs() const;

 private:
  void Loop();

  // Starts writing the pages a run copied into the database file out to the disk and waits
  // for that, without a cache flush: the fsync that completes the log's restart then finds
  // little left to write, instead of the whole log's worth in the writer's commit.
  void WriteBack();
  // Truncates the log if a scrub is pending and its back-off is over (or `last_chance`, on
  // stopping); logs only what is not "busy".
  void Scrub(bool last_chance);

  // How long a scrub that found the log in use waits before it tries again: doubling from the
  // first to the last.
  static constexpr std::chrono::milliseconds kFirstScrubBackoff{100};
  static constexpr std::chrono::milliseconds kLastScrubBackoff{5000};

  std::unique_ptr<Connection> connection_;  // used by the checkpointer thread only
  int database_fd_;                         // read-only; -1 if it could not be opened
  const int threshold_pages_;
  const int restart_pages_;
  const std::chrono::milliseconds min_gap_;
  const std::chrono::milliseconds idle_interval_;

  // Guarded by mutex_:
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool due_ = false;
  bool hurry_ = false;  // a run is wanted now, without waiting out min_gap
  bool stopping_ = false;
  std::uint64_t started_ = 0;  // runs begun
  std::uint64_t runs_ = 0;     // runs finished
  std::uint64_t scrubs_asked_ = 0;
  std::uint64_t scrubs_done_ = 0;  // of those asked, how many a truncation has covered
  // A scrub that found the log in use tries again from then, after a back-off that grows.
  std::chrono::steady_clock::time_point scrub_not_before_{};
  std::chrono::milliseconds scrub_backoff_ = kFirstScrubBackoff;
  // Runs begun when the log passed restart_pages, while the writer waits for the next one.
  std::optional<std::uint64_t> restart_after_;

  std::thread thread_;  // last: starts after everything above exists
};

}  // namespace uitweg::store::sqlite
