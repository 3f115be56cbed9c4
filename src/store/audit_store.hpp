#pragma once
// The audit trail's persistence: an append-only chain of who did what, when, from which node
// (NEN 7513-style). Every entry carries the hash of the one before it, so that an entry changed
// or removed breaks the chain at that point (auth/audit_trail.hpp verifies it). Entries hold
// ids and actions, never conversation content. Every backend passes audit_store_contract_test;
// the database refuses to change or delete an entry.
//
// Thread safety and errors as AccountStore: methods may be called from any thread and block
// until done (Append: until committed), so call them from worker threads.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace uitweg::store {

struct NewAuditEntry {
  core::UnixMillis at = 0;
  std::string node = {};                        // which server (or "terminal" for the command line)
  std::optional<std::int64_t> account_id = {};  // who; none for a visitor or an unknown name
  std::string role = {};                        // their role then; empty when none
  std::string action = {};                      // what: "sign_in", "read", "accept", ...
  std::string conversation_id = {};             // which conversation, if any
  std::string detail = {};                      // a few words more (a new role, a keyed hash)
};

struct AuditEntry : NewAuditEntry {
  std::int64_t seq = 0;        // 1, 2, 3, ... without gaps, in chain order
  std::string prev_hash = {};  // the hash of entry seq - 1 (kAuditGenesis for the first)
  std::string hash = {};       // AuditHash of this entry
};

inline constexpr std::string_view kAuditGenesis =
    "0000000000000000000000000000000000000000000000000000000000000000";

// BLAKE2b over the entry's fields (seq, at, node, account, role, action, conversation, detail)
// and prev_hash, in one unambiguous encoding; 64 hex characters.
std::string AuditHash(const AuditEntry& entry);

struct AuditQuery {
  std::optional<std::int64_t> account_id = {};
  std::string action = {};           // empty: any
  std::string conversation_id = {};  // empty: any
  core::UnixMillis since = 0;
  core::UnixMillis until = 0;                   // 0: no end
  std::optional<std::int64_t> before_seq = {};  // paging back: only entries older than this
  std::size_t limit = 100;
};

// The group-commit writer's lock key for appending to the chain. It sorts after every
// conversation id ("c_..."), so a batch comes to the chain last: on PostgreSQL its lock, which
// every node's appends wait for, is then held from the last units to the commit, not through the
// whole batch.
inline constexpr char kAuditLockKey[] = "~audit";

class AuditStore {
 public:
  virtual ~AuditStore() = default;

  // Appends `entry` at the end of the chain and returns it with its seq and hashes. Appenders on
  // several nodes are ordered by the database: seq stays gap-free and each entry chains to the
  // one committed before it.
  virtual core::Result<AuditEntry> Append(const NewAuditEntry& entry) = 0;
  // Append without waiting: for the hot path (a counsellor's every message), where a worker
  // blocked on each commit would cost more than the message. `done` gets the outcome later, on
  // the store's completions executor; it must not block.
  virtual void AppendLater(NewAuditEntry entry, std::function<void(core::Status)> done) = 0;
  // Matching entries, newest first, at most query.limit.
  virtual core::Result<std::vector<AuditEntry>> Find(const AuditQuery& query) = 0;
  // Entries with seq > after, oldest first, at most `limit`: for walking the whole chain.
  virtual core::Result<std::vector<AuditEntry>> After(std::int64_t after, std::size_t limit) = 0;
};

}  // namespace uitweg::store
