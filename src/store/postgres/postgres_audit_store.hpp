#pragma once
// The PostgreSQL AuditStore. Nodes append under one transaction-scoped advisory lock, so the
// chain has one order however many nodes write to it. Appends that do not wait gather into one
// unit (AuditAppends). Thread safety and errors: as AuditStore.

#include <memory>

#include "store/audit_appends.hpp"
#include "store/audit_store.hpp"
#include "store/postgres/connections.hpp"

namespace uitweg::store::postgres {

class PostgresAuditStore final : public AuditStore {
 public:
  explicit PostgresAuditStore(std::shared_ptr<Connections> connections);

  core::Result<AuditEntry> Append(const NewAuditEntry& entry) override;
  void AppendLater(NewAuditEntry entry, std::function<void(core::Status)> done) override;
  core::Result<std::vector<AuditEntry>> Find(const AuditQuery& query) override;
  core::Result<std::vector<AuditEntry>> After(std::int64_t after, std::size_t limit) override;

 private:
  std::shared_ptr<Connections> connections_;
  AuditAppends<Connection> appends_;
};

}  // namespace uitweg::store::postgres
