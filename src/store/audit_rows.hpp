#pragma once
// The audit trail's columns and the reading of a row of them, shared by every backend (as
// rows.hpp for the other aggregates).

#include <optional>
#include <span>
#include <vector>

#include "store/audit_store.hpp"
#include "store/rows.hpp"

namespace uitweg::store {

// SELECT <kAuditColumns> FROM audit_entry ...
inline constexpr const char* kAuditColumns =
    "seq, at, node, account_id, role, action, conversation_id, detail, prev_hash, hash";

template <StoredRow Row>
core::Result<AuditEntry> ReadAuditEntry(const Row& row) {
  AuditEntry entry;
  entry.seq = row.Int(0);
  entry.at = row.Int(1);
  entry.node = row.Text(2);
  entry.account_id = row.OptionalInt(3);
  entry.role = row.Text(4);
  entry.action = row.Text(5);
  entry.conversation_id = row.Text(6);
  entry.detail = row.Text(7);
  entry.prev_hash = row.Text(8);
  entry.hash = row.Text(9);
  return entry;
}

// The entry that follows `last` (nullopt: the chain is empty) in the chain.
inline AuditEntry Chained(const NewAuditEntry& entry, const std::optional<AuditEntry>& last) {
  AuditEntry chained;
  static_cast<NewAuditEntry&>(chained) = entry;
  chained.seq = last ? last->seq + 1 : 1;
  chained.prev_hash = last ? last->hash : std::string(kAuditGenesis);
  chained.hash = AuditHash(chained);
  return chained;
}

// `entries` chained in order after `last` (nullopt: the chain is empty).
inline std::vector<AuditEntry> ChainedAll(std::span<const NewAuditEntry> entries,
                                          std::optional<AuditEntry> last) {
  std::vector<AuditEntry> chained;
  chained.reserve(entries.size());
  for (const NewAuditEntry& entry : entries) {
    last = Chained(entry, last);
    chained.push_back(*last);
  }
  return chained;
}

}  // namespace uitweg::store
