#include "store/sqlite/reader_pool.hpp"

namespace uitweg::store::sqlite {

ReaderPool::Lease::~Lease() {
  if (connection_) pool_->Return(std::move(connection_));
}

ReaderPool::ReaderPool(std::vector<std::unique_ptr<Connection>> connections)
    : idle_(std::move(connections)) {}

ReaderPool::Lease ReaderPool::Acquire() {
  std::unique_lock lock(mutex_);
  available_.wait(lock, [this] { return !idle_.empty(); });
  auto connection = std::move(idle_.back());
  idle_.pop_back();
  return Lease(*this, std::move(connection));
}

void ReaderPool::Return(std::unique_ptr<Connection> connection) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(connection));
  }
  available_.notify_one();
}

}  // namespace uitweg::store::sqlite
