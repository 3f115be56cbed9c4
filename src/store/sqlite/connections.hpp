#pragma once
// What the SQLite stores of one database share: the file in WAL mode with durable commits
// (synchronous=FULL), the writer thread with group commit (writer.hpp), a pool of read-only
// connections (reader_pool.hpp) and the checkpointer thread (checkpointer.hpp). The account and
// conversation stores each hold it; the last one to go closes it, after every queued write has
// been committed and answered.
//
// Thread safety: as its parts. Open creates the file (owner-only, in an owner-only folder) and
// migrates it; failed_precondition if the schema is newer than this binary knows.

#include <memory>

#include "core/executor.hpp"
#include "store/sqlite/checkpointer.hpp"
#include "store/sqlite/reader_pool.hpp"
#include "store/sqlite/sqlite_database.hpp"
#include "store/sqlite/writer.hpp"

namespace uitweg::store::sqlite {

class Connections {
 public:
  static Result<std::shared_ptr<Connections>> Open(const SqliteOptions& options);
  ~Connections();
  Connections(const Connections&) = delete;
  Connections& operator=(const Connections&) = delete;

  Writer& writer() { return *writer_; }
  ReaderPool& readers() { return *readers_; }
  std::uint64_t Checkpoints() const { return checkpointer_->Runs(); }
  // Something was shredded: the log is truncated soon (checkpointer.hpp).
  void ScrubLogSoon() { checkpointer_->ScrubSoon(); }

  // Runs `read` with a connection borrowed from the pool.
  template <class Read>
  auto WithReader(Read read) {
    auto lease = readers_->Acquire();
    return read(*lease);
  }

 private:
  Connections(std::unique_ptr<Writer> writer, std::unique_ptr<Checkpointer> checkpointer,
              std::unique_ptr<ReaderPool> readers)
      : writer_(std::move(writer)),
        checkpointer_(std::move(checkpointer)),
        readers_(std::move(readers)) {}

  // Destroyed bottom-up after the destructor has closed the writer: readers and checkpointer
  // first, the writer's connection last, so that SQLite's final checkpoint on closing the last
  // connection folds the log into the database file.
  std::unique_ptr<Writer> writer_;
  std::unique_ptr<Checkpointer> checkpointer_;  // nudged by the writer's commits
  std::unique_ptr<ReaderPool> readers_;
};

}  // namespace uitweg::store::sqlite
