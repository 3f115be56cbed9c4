#include "store/key_cache.hpp"

#include <algorithm>

namespace uitweg::store {

KeyCache::KeyCache(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 1)) {}

void KeyCache::Touch(Entries::iterator entry) {
  if (entry->second.closed_at != closed_.end()) {
    closed_.splice(closed_.begin(), closed_, entry->second.closed_at);
  }
}

void KeyCache::MakeClosed(Entries::iterator entry) {
  if (entry->second.closed_at != closed_.end()) return;
  closed_.push_front(&entry->first);
  entry->second.closed_at = closed_.begin();
  while (closed_.size() > capacity_) {
    entries_.erase(*closed_.back());
    closed_.pop_back();
  }
}

std::optional<DataKey> KeyCache::Find(std::string_view id) {
  const std::lock_guard lock(mutex_);
  const auto found = entries_.find(std::string(id));
  if (found == entries_.end()) return std::nullopt;
  Touch(found);
  return found->second.key;
}

std::uint64_t KeyCache::Epoch() const {
  const std::lock_guard lock(mutex_);
  return epoch_;
}

void KeyCache::Put(std::string_view id, DataKey key, std::uint64_t epoch, KeyUse use) {
  const std::lock_guard lock(mutex_);
  if (epoch != epoch_) return;
  auto [entry, fresh] = entries_.try_emplace(std::string(id), Entry{std::nullopt, closed_.end()});
  entry->second.key = std::move(key);
  if (fresh && use == KeyUse::closed) {
    MakeClosed(entry);
  } else if (use == KeyUse::open && entry->second.closed_at != closed_.end()) {
    closed_.erase(entry->second.closed_at);
    entry->second.closed_at = closed_.end();
  } else {
    Touch(entry);
  }
}

void KeyCache::Close(std::string_view id) {
  const std::lock_guard lock(mutex_);
  if (const auto found = entries_.find(std::string(id)); found != entries_.end()) {
    MakeClosed(found);
  }
}

void KeyCache::Erase(std::string_view id) {
  const std::lock_guard lock(mutex_);
  ++epoch_;
  const auto found = entries_.find(std::string(id));
  if (found == entries_.end()) return;
  if (found->second.closed_at != closed_.end()) closed_.erase(found->second.closed_at);
  entries_.erase(found);
}

std::size_t KeyCache::Size() const {
  const std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace uitweg::store
