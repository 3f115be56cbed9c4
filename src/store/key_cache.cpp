#include "store/key_cache.hpp"

#include <algorithm>
#include <iterator>
#include <utility>

namespace uitweg::store {

KeyCache::KeyCache(std::size_t capacity, std::chrono::milliseconds idle,
                   std::function<Clock::time_point()> now)
    : capacity_(std::max<std::size_t>(capacity, 1)), idle_(idle), now_(std::move(now)) {}

void KeyCache::Remove(Entries::iterator entry) {
  if (entry->second.closed_at != closed_.end()) closed_.erase(entry->second.closed_at);
  entries_.erase(entry);
}

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
  found->second.used_at = now_();
  return found->second.key;
}

std::uint64_t KeyCache::Epoch() const {
  const std::lock_guard lock(mutex_);
  return epoch_;
}

void KeyCache::Put(std::string_view id, DataKey key, std::uint64_t epoch, KeyUse use) {
  const std::lock_guard lock(mutex_);
  if (epoch != epoch_) return;
  const Clock::time_point now = now_();
  auto [entry, fresh] =
      entries_.try_emplace(std::string(id), Entry{std::nullopt, now, closed_.end()});
  entry->second.key = std::move(key);
  entry->second.used_at = now;
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
  if (found != entries_.end()) Remove(found);
}

void KeyCache::DropIdle() {
  const std::lock_guard lock(mutex_);
  const Clock::time_point now = now_();
  for (auto entry = entries_.begin(); entry != entries_.end();) {
    const auto next = std::next(entry);
    if (now - entry->second.used_at >= idle_) Remove(entry);
    entry = next;
  }
}

std::size_t KeyCache::Size() const {
  const std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace uitweg::store
