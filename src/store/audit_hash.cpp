#include <string>

#include "crypto/random.hpp"
#include "store/audit_store.hpp"

namespace uitweg::store {

std::string AuditHash(const AuditEntry& entry) {
  // Each field with its length in front, so that no two entries encode alike.
  std::string canonical;
  const auto field = [&canonical](std::string_view value) {
    canonical += std::to_string(value.size());
    canonical += ':';
    canonical += value;
  };
  field(std::to_string(entry.seq));
  field(std::to_string(entry.at));
  field(entry.node);
  field(entry.account_id ? std::to_string(*entry.account_id) : std::string());
  field(entry.role);
  field(entry.action);
  field(entry.conversation_id);
  field(entry.detail);
  field(entry.prev_hash);
  return crypto::HashToken(canonical);
}

}  // namespace uitweg::store
