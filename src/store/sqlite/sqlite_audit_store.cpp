#include "store/sqlite/sqlite_audit_store.hpp"

#include <optional>
#include <span>
#include <vector>

#include "store/audit_rows.hpp"
#include "store/sqlite/rows.hpp"

namespace uitweg::store::sqlite {

namespace {

// Inside the writer's transaction: chains `entries` in order after the last entry and inserts
// them.
core::Result<std::vector<AuditEntry>> AppendIn(Connection& db,
                                               std::span<const NewAuditEntry> entries) {
  static const std::string last_sql =
      std::string("SELECT ") + kAuditColumns + " FROM audit_entry ORDER BY seq DESC LIMIT 1";
  auto select = db.Prepare(last_sql);
  if (!select) return select.error();
  UITWEG_TRY_ASSIGN(std::vector<AuditEntry> last,
                    ReadAll<AuditEntry>(*select, ReadAuditEntry<Statement>));
  const std::vector<AuditEntry> chained =
      ChainedAll(entries, last.empty() ? std::nullopt : std::optional<AuditEntry>(last.front()));
  for (const AuditEntry& e : chained) {
    auto insert = db.Prepare(
        "INSERT INTO audit_entry (seq, at, node, account_id, role, action, conversation_id, "
        "detail, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    if (!insert) return insert.error();
    insert->Bind(1, e.seq)
        .Bind(2, e.at)
        .Bind(3, e.node)
        .Bind(4, e.account_id)
        .Bind(5, e.role)
        .Bind(6, e.action)
        .Bind(7, e.conversation_id)
        .Bind(8, e.detail)
        .Bind(9, e.prev_hash)
        .Bind(10, e.hash);
    UITWEG_TRY(insert->Run());
  }
  return chained;
}

}  // namespace

SqliteAuditStore::SqliteAuditStore(std::shared_ptr<Connections> connections)
    : connections_(std::move(connections)), appends_(AppendIn) {}

core::Result<AuditEntry> SqliteAuditStore::Append(const NewAuditEntry& entry) {
  return appends_.Append(connections_->writer(), entry);
}

void SqliteAuditStore::AppendLater(NewAuditEntry entry, std::function<void(core::Status)> done) {
  appends_.AppendLater(connections_->writer(), std::move(entry), std::move(done));
}

core::Result<std::vector<AuditEntry>> SqliteAuditStore::Find(const AuditQuery& query) {
  static const std::string sql =
      std::string("SELECT ") + kAuditColumns +
      " FROM audit_entry WHERE (?1 IS NULL OR account_id = ?1) AND (?2 = '' OR action = ?2)"
      " AND (?3 = '' OR conversation_id = ?3) AND at >= ?4 AND (?5 = 0 OR at < ?5)"
      " AND (?6 IS NULL OR seq < ?6) ORDER BY seq DESC LIMIT ?7";
  auto lease = connections_->readers().Acquire();
  auto select = lease->Prepare(sql);
  if (!select) return select.error();
  select->Bind(1, query.account_id)
      .Bind(2, query.action)
      .Bind(3, query.conversation_id)
      .Bind(4, query.since)
      .Bind(5, query.until)
      .Bind(6, query.before_seq)
      .Bind(7, static_cast<std::int64_t>(query.limit));
  return ReadAll<AuditEntry>(*select, ReadAuditEntry<Statement>);
}

core::Result<std::vector<AuditEntry>> SqliteAuditStore::After(std::int64_t after,
                                                              std::size_t limit) {
  static const std::string sql = std::string("SELECT ") + kAuditColumns +
                                 " FROM audit_entry WHERE seq > ?1 ORDER BY seq LIMIT ?2";
  auto lease = connections_->readers().Acquire();
  auto select = lease->Prepare(sql);
  if (!select) return select.error();
  select->Bind(1, after).Bind(2, static_cast<std::int64_t>(limit));
  return ReadAll<AuditEntry>(*select, ReadAuditEntry<Statement>);
}

}  // namespace uitweg::store::sqlite
