#include "store/key_cache.hpp"

#include <algorithm>

namespace uitweg::store {

KeyCache::KeyCache(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 1)) {}

std::optional<DataKey> KeyCache::Find(std::string_view id) {
  const std::lock_guard lock(mutex_);
  const auto found = index_.find(std::string(id));
  if (found == index_.end()) return std::nullopt;
  order_.splice(order_.begin(), order_, found->second);
  return found->second->second;
}

std::uint64_t KeyCache::Epoch() const {
  const std::lock_guard lock(mutex_);
  return epoch_;
}

void KeyCache::Put(std::string_view id, DataKey key, std::uint64_t epoch) {
  const std::lock_guard lock(mutex_);
  if (epoch != epoch_) return;
  std::string name(id);
  if (const auto found = index_.find(name); found != index_.end()) {
    found->second->second = std::move(key);
    order_.splice(order_.begin(), order_, found->second);
    return;
  }
  order_.emplace_front(name, std::move(key));
  index_.emplace(std::move(name), order_.begin());
  if (order_.size() > capacity_) {
    index_.erase(order_.back().first);
    order_.pop_back();
  }
}

void KeyCache::Erase(std::string_view id) {
  const std::lock_guard lock(mutex_);
  ++epoch_;
  const auto found = index_.find(std::string(id));
  if (found == index_.end()) return;
  order_.erase(found->second);
  index_.erase(found);
}

std::size_t KeyCache::Size() const {
  const std::lock_guard lock(mutex_);
  return order_.size();
}

}  // namespace uitweg::store
