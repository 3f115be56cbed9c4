#pragma once
// A map from conversation id to its unwrapped data key, so that EncryptingConversationStore
// unwraps a key once rather than on every read or write. Holds key material: it is never
// logged, and copies of a key are wiped when destroyed (crypto::Aead).
//
// Keys of open conversations (waiting or active) stay until they are closed: a send must find
// its key without reading the database. Keys of ended conversations are kept in a bounded
// least-recently-used list. A conversation may have no data key (it was shredded); that is
// cached too, as std::nullopt.
//
// Thread safety: every method may be called from any thread at once (one mutex).
//
// A key not used for `idle` is dropped by DropIdle, open or not, and read again when next needed.
// Another node may shred the conversation and nothing tells this one: the key must not stay in
// this process's memory for as long as the process runs.
//
// Erase and lookups race: a reader that fetched a key before a shred must not put it back after
// the shred erased it. So Put takes the Epoch() seen before the lookup started and is ignored if
// any Erase happened since.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "crypto/aead.hpp"

namespace uitweg::store {

// A conversation's data key, or none (shredded).
using DataKey = std::optional<crypto::Aead>;

enum class KeyUse { open, closed };

class KeyCache {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::milliseconds kDefaultIdle = std::chrono::minutes(10);

  // At most `capacity` (at least 1) keys of closed conversations are kept; the least recently
  // used goes first. Keys of open conversations do not count. DropIdle drops any key unused for
  // `idle` (`now` tells the time).
  explicit KeyCache(std::size_t capacity, std::chrono::milliseconds idle = kDefaultIdle,
                    std::function<Clock::time_point()> now = Clock::now);

  // The cached key of `id`, marking it most recently used; std::nullopt if it is not cached.
  std::optional<DataKey> Find(std::string_view id);
  // The current epoch, to pass to Put.
  std::uint64_t Epoch() const;
  // Caches `key` for `id` unless an Erase happened after `epoch` was read. A key put as closed
  // does not close a key that is cached as open; Close does.
  void Put(std::string_view id, DataKey key, std::uint64_t epoch, KeyUse use);
  // The conversation has ended: its key may now be evicted.
  void Close(std::string_view id);
  // Forgets `id` and starts a new epoch.
  void Erase(std::string_view id);
  // Drops every key unused for `idle`: call it now and then (the server does every minute), off
  // the path of a message, for it reads every entry.
  void DropIdle();
  std::size_t Size() const;

 private:
  struct Entry {
    DataKey key;
    Clock::time_point used_at;
    // In closed_ while the conversation is closed; closed_.end() while it is open.
    std::list<const std::string*>::iterator closed_at;
  };
  using Entries = std::unordered_map<std::string, Entry>;

  // Marks a closed entry most recently used. Caller holds mutex_.
  void Touch(Entries::iterator entry);
  // Makes a closed entry of an open one and evicts past capacity. Caller holds mutex_.
  void MakeClosed(Entries::iterator entry);
  // Forgets one entry. Caller holds mutex_.
  void Remove(Entries::iterator entry);

  const std::size_t capacity_;
  const Clock::duration idle_;
  const std::function<Clock::time_point()> now_;

  // Guarded by mutex_.
  mutable std::mutex mutex_;
  Entries entries_;
  std::list<const std::string*> closed_;  // ids (keys of entries_), most recently used first
  std::uint64_t epoch_ = 0;
};

}  // namespace uitweg::store
