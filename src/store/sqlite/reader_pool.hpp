#pragma once
// A fixed set of read-only connections shared by the threads that read. In WAL mode readers
// never block the writer or each other, and each statement sees the last committed state.
//
// Thread safety: Acquire may be called from any thread; it waits while every connection is
// lent out. A Lease gives one thread the connection until the Lease is destroyed. The pool
// must outlive its leases.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "store/sqlite/connection.hpp"

namespace uitweg::store::sqlite {

class ReaderPool {
 public:
  // A connection on loan; returned to the pool on destruction. Move-only.
  class Lease {
   public:
    Lease(ReaderPool& pool, std::unique_ptr<Connection> connection)
        : pool_(&pool), connection_(std::move(connection)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Connection& operator*() const { return *connection_; }
    Connection* operator->() const { return connection_.get(); }

   private:
    ReaderPool* pool_;
    std::unique_ptr<Connection> connection_;
  };

  explicit ReaderPool(std::vector<std::unique_ptr<Connection>> connections);
  ReaderPool(const ReaderPool&) = delete;
  ReaderPool& operator=(const ReaderPool&) = delete;

  Lease Acquire();

 private:
  void Return(std::unique_ptr<Connection> connection);

  // Guarded by mutex_:
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace uitweg::store::sqlite
