#include "store/sqlite/sqlite_audit_store.hpp"

#include "store/audit_rows.hpp"
#include "store/sqlite/rows.hpp"

namespace uitweg::store::sqlite {

namespace {

// Inside the writer's transaction: chains `entry` to the last one and inserts it.
core::Result<AuditEntry> AppendIn(Connection& db, const NewAuditEntry& entry) {
  static const std::string last_sql =
      std::string("SELECT ") + kAuditColumns + " FROM audit_entry ORDER BY seq DESC LIMIT 1";
  auto select = db.Prepare(last_sql);
  if (!select) return select.error();
  UITWEG_TRY_ASSIGN(std::vector<AuditEntry> last,
                    ReadAll<AuditEntry>(*select, ReadAuditEntry<Statement>));
  const AuditEntry chained =
      Chained(entry, last.empty() ? std::nullopt : std::optional<AuditEntry>(last.front()));
  auto insert = db.Prepare(
      "INSERT INTO audit_entry (seq, at, node, account_id, role, action, conversation_id, "
      "detail, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  if (!insert) return insert.error();
  insert->Bind(1, chained.seq)
      .Bind(2, chained.at)
      .Bind(3, chained.node)
      .Bind(4, chained.account_id)
      .Bind(5, chained.role)
      .Bind(6, chained.action)
      .Bind(7, chained.conversation_id)
      .Bind(8, chained.detail)
      .Bind(9, chained.prev_hash)
      .Bind(10, chained.hash);
  UITWEG_TRY(insert->Run());
  return chained;
}

}  // namespace

core::Result<AuditEntry> SqliteAuditStore::Append(const NewAuditEntry& entry) {
  return connections_->writer().Run<AuditEntry>([&](Connection& db) { return AppendIn(db, entry); },
                                                kAuditLockKey);
}

void SqliteAuditStore::AppendLater(NewAuditEntry entry, std::function<void(core::Status)> done) {
  connections_->writer().Submit<void>(
      [entry = std::move(entry)](Connection& db) -> core::Status {
        UITWEG_TRY(AppendIn(db, entry));
        return {};
      },
      std::move(done), kAuditLockKey);
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
