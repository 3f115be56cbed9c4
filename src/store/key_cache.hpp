#pragma once
// A bounded least-recently-used map from conversation id to its unwrapped data key, so that
// EncryptingStore unwraps a key once rather than on every read. Holds key material: it is never
// logged, and copies of a key are wiped when destroyed (crypto::Aead).
//
// A conversation may have no data key (it was shredded); that is cached too, as std::nullopt.
//
// Thread safety: every method may be called from any thread at once (one mutex).
//
// Erase and lookups race: a reader that fetched a key before a shred must not put it back after
// the shred erased it. So Put takes the Epoch() seen before the lookup started and is ignored if
// any Erase happened since.

#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "crypto/aead.hpp"

namespace uitweg::store {

// A conversation's data key, or none (shredded).
using DataKey = std::optional<crypto::Aead>;

class KeyCache {
 public:
  // At most `capacity` (at least 1) conversations are kept; the least recently used goes first.
  explicit KeyCache(std::size_t capacity);

  // The cached key of `id`, marking it most recently used; std::nullopt if it is not cached.
  std::optional<DataKey> Find(std::string_view id);
  // The current epoch, to pass to Put.
  std::uint64_t Epoch() const;
  // Caches `key` for `id` unless an Erase happened after `epoch` was read.
  void Put(std::string_view id, DataKey key, std::uint64_t epoch);
  // Forgets `id` and starts a new epoch.
  void Erase(std::string_view id);
  std::size_t Size() const;

 private:
  using Entry = std::pair<std::string, DataKey>;

  const std::size_t capacity_;

  // Guarded by mutex_.
  mutable std::mutex mutex_;
  std::list<Entry> order_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  std::uint64_t epoch_ = 0;
};

}  // namespace uitweg::store
