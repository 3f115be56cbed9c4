#include "store/postgres/postgres_audit_store.hpp"

#include <string>

#include "store/audit_rows.hpp"

namespace uitweg::store::postgres {
namespace {

// pg_advisory_xact_lock's key for appending to the audit chain ("uitweg", 3).
constexpr std::int64_t kAuditLock = 0x7569747765670003;

}  // namespace

namespace {

// Inside the writer's transaction: chains `entry` to the last one and inserts it. The lock is
// held until the commit: another node's append waits, then sees this one as the last.
core::Result<AuditEntry> AppendIn(Connection& db, const NewAuditEntry& entry) {
  UITWEG_TRY(db.Query("SELECT pg_advisory_xact_lock($1)", {kAuditLock}));
  static const std::string last_sql =
      std::string("SELECT ") + kAuditColumns + " FROM audit_entry ORDER BY seq DESC LIMIT 1";
  UITWEG_TRY_ASSIGN(Rows rows, db.Query(last_sql));
  UITWEG_TRY_ASSIGN(std::vector<AuditEntry> last, ReadAll<AuditEntry>(rows, ReadAuditEntry<Row>));
  const AuditEntry chained =
      Chained(entry, last.empty() ? std::nullopt : std::optional<AuditEntry>(last.front()));
  UITWEG_TRY(db.Query(
      "INSERT INTO audit_entry (seq, at, node, account_id, role, action, conversation_id, "
      "detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
      {chained.seq, chained.at, chained.node, chained.account_id, chained.role, chained.action,
       chained.conversation_id, chained.detail, chained.prev_hash, chained.hash}));
  return chained;
}

}  // namespace

core::Result<AuditEntry> PostgresAuditStore::Append(const NewAuditEntry& entry) {
  return connections_->writer().Run<AuditEntry>([&](Connection& db) { return AppendIn(db, entry); },
                                                kAuditLockKey);
}

void PostgresAuditStore::AppendLater(NewAuditEntry entry, std::function<void(core::Status)> done) {
  connections_->writer().Submit<void>(
      [entry = std::move(entry)](Connection& db) -> core::Status {
        UITWEG_TRY(AppendIn(db, entry));
        return {};
      },
      std::move(done), kAuditLockKey);
}

core::Result<std::vector<AuditEntry>> PostgresAuditStore::Find(const AuditQuery& query) {
  static const std::string sql =
      std::string("SELECT ") + kAuditColumns +
      " FROM audit_entry WHERE ($1::BIGINT IS NULL OR account_id = $1) AND ($2 = '' OR action = "
      "$2) AND ($3 = '' OR conversation_id = $3) AND at >= $4::BIGINT AND ($5::BIGINT = 0 OR at < "
      "$5)"
      " AND ($6::BIGINT IS NULL OR seq < $6) ORDER BY seq DESC LIMIT $7";
  return connections_->WithReader([&](Connection& db) -> core::Result<std::vector<AuditEntry>> {
    UITWEG_TRY_ASSIGN(
        Rows rows,
        db.Query(sql, {query.account_id, query.action, query.conversation_id, query.since,
                       query.until, query.before_seq, static_cast<std::int64_t>(query.limit)}));
    return ReadAll<AuditEntry>(rows, ReadAuditEntry<Row>);
  });
}

core::Result<std::vector<AuditEntry>> PostgresAuditStore::After(std::int64_t after,
                                                                std::size_t limit) {
  static const std::string sql = std::string("SELECT ") + kAuditColumns +
                                 " FROM audit_entry WHERE seq > $1 ORDER BY seq LIMIT $2";
  return connections_->WithReader([&](Connection& db) -> core::Result<std::vector<AuditEntry>> {
    UITWEG_TRY_ASSIGN(Rows rows, db.Query(sql, {after, static_cast<std::int64_t>(limit)}));
    return ReadAll<AuditEntry>(rows, ReadAuditEntry<Row>);
  });
}

}  // namespace uitweg::store::postgres
