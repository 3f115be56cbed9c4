#pragma once
// A fixed set of connections shared by the threads that read (SQLite's read-only connections,
// PostgreSQL's connections for reads).
//
// Thread safety: Acquire may be called from any thread; it waits while every connection is
// lent out. A Lease gives one thread the connection until the Lease is destroyed. The pool
// must outlive its leases.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace uitweg::store {

template <class Connection>
class ConnectionPool {
 public:
  // A connection on loan; returned to the pool on destruction. Move-only.
  class Lease {
   public:
    Lease(ConnectionPool& pool, std::unique_ptr<Connection> connection)
        : pool_(&pool), connection_(std::move(connection)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (connection_) pool_->Return(std::move(connection_));
    }
    Connection& operator*() const { return *connection_; }
    Connection* operator->() const { return connection_.get(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Connection> connection_;
  };

  explicit ConnectionPool(std::vector<std::unique_ptr<Connection>> connections)
      : idle_(std::move(connections)) {}
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  Lease Acquire() {
    std::unique_lock lock(mutex_);
    available_.wait(lock, [this] { return !idle_.empty(); });
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(connection));
  }

 private:
  void Return(std::unique_ptr<Connection> connection) {
    {
      std::lock_guard lock(mutex_);
      idle_.push_back(std::move(connection));
    }
    available_.notify_one();
  }

  // Guarded by mutex_:
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace uitweg::store
