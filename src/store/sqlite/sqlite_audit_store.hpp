#pragma once
// The SQLite AuditStore. Appends go through the one writer, so the chain's order is the
// writer's. Appends that do not wait gather into one unit (AuditAppends). Thread safety
// and errors: as AuditStore.

#include <memory>

#include "store/audit_appends.hpp"
#include "store/audit_store.hpp"
#include "store/sqlite/connections.hpp"

namespace uitweg::store::sqlite {

class SqliteAuditStore final : public AuditStore {
 public:
  explicit SqliteAuditStore(std::shared_ptr<Connections> connections);

  core::Result<AuditEntry> Append(const NewAuditEntry& entry) override;
  void AppendLater(NewAuditEntry entry, std::function<void(core::Status)> done) override;
  core::Result<std::vector<AuditEntry>> Find(const AuditQuery& query) override;
  core::Result<std::vector<AuditEntry>> After(std::int64_t after, std::size_t limit) override;

 private:
  std::shared_ptr<Connections> connections_;
  AuditAppends<Connection> appends_;
};

}  // namespace uitweg::store::sqlite
