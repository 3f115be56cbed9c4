#include "store/postgres/postgres_audit_store.hpp"

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "store/audit_rows.hpp"

namespace uitweg::store::postgres {
namespace {

// pg_advisory_xact_lock's key for appending to the audit chain ("uitweg", 3).
constexpr std::int64_t kAuditLock = 0x7569747765670003;

// Inside the writer's transaction: chains `entries` in order after the last entry and inserts
// them in one statement. The lock is held until the commit: another node's append waits, then
// sees these as the last. While the writer lets units do without waiting (WaitsForLocks false),
// a chain another node holds answers deadline_exceeded at once: the writer commits the rest of
// its batch (the messages these entries are about among them) instead of waiting for that
// node's commit, and runs this unit again in its next batch.
core::Result<std::vector<AuditEntry>> AppendIn(Connection& db,
                                               std::span<const NewAuditEntry> entries) {
  if (!db.WaitsForLocks()) {
    static const std::string try_chain =
        "SELECT pg_try_advisory_xact_lock(" + std::to_string(kAuditLock) + ")::INT";
    UITWEG_TRY_ASSIGN(Rows taken, db.Query(try_chain));
    if (taken.empty() || taken[0].Int(0) != 1) {
      return core::Fail(core::Errc::deadline_exceeded, "another node is appending to the chain");
    }
  } else {
    // The lock travels with the read of the last entry, in one round trip. Sent ahead like the
    // writer's own statements, the lock's failure (a deadlock, a cancelled statement) rolls the
    // whole batch back, not this unit alone: a deadlock runs the batch again, anything else
    // fails it.
    static const std::string take_chain =
        "SELECT pg_advisory_xact_lock(" + std::to_string(kAuditLock) + ")";
    db.Precede(take_chain);
  }
  // A statement reads what was committed when it starts, so this read, which starts once the
  // lock is held, sees the entries of whoever held it before.
  static const std::string last_sql =
      std::string("SELECT ") + kAuditColumns + " FROM audit_entry ORDER BY seq DESC LIMIT 1";
  UITWEG_TRY_ASSIGN(Rows rows, db.Query(last_sql));
  UITWEG_TRY_ASSIGN(std::vector<AuditEntry> last, ReadAll<AuditEntry>(rows, ReadAuditEntry<Row>));
  const std::vector<AuditEntry> chained =
      ChainedAll(entries, last.empty() ? std::nullopt : std::optional<AuditEntry>(last.front()));
  // One text array per column; an account of none is the empty string.
  std::vector<std::vector<std::string>> columns(10);
  for (const AuditEntry& e : chained) {
    const std::string values[] = {std::to_string(e.seq),
                                  std::to_string(e.at),
                                  e.node,
                                  e.account_id ? std::to_string(*e.account_id) : std::string(),
                                  e.role,
                                  e.action,
                                  e.conversation_id,
                                  e.detail,
                                  e.prev_hash,
                                  e.hash};
    for (std::size_t c = 0; c < columns.size(); ++c) columns[c].push_back(values[c]);
  }
  UITWEG_TRY(db.Query(
      "INSERT INTO audit_entry (seq, at, node, account_id, role, action, conversation_id, "
      "detail, prev_hash, hash) SELECT s::BIGINT, a::BIGINT, n, NULLIF(acc, '')::BIGINT, r, act, "
      "c, d, p, h FROM unnest($1::TEXT[], $2::TEXT[], $3::TEXT[], $4::TEXT[], $5::TEXT[], "
      "$6::TEXT[], $7::TEXT[], $8::TEXT[], $9::TEXT[], $10::TEXT[]) "
      "AS t(s, a, n, acc, r, act, c, d, p, h)",
      {TextArray(columns[0]), TextArray(columns[1]), TextArray(columns[2]), TextArray(columns[3]),
       TextArray(columns[4]), TextArray(columns[5]), TextArray(columns[6]), TextArray(columns[7]),
       TextArray(columns[8]), TextArray(columns[9])}));
  return chained;
}

}  // namespace

PostgresAuditStore::PostgresAuditStore(std::shared_ptr<Connections> connections)
    : connections_(std::move(connections)), appends_(AppendIn) {}

core::Result<AuditEntry> PostgresAuditStore::Append(const NewAuditEntry& entry) {
  return appends_.Append(connections_->writer(), entry);
}

void PostgresAuditStore::AppendLater(NewAuditEntry entry, std::function<void(core::Status)> done) {
  appends_.AppendLater(connections_->writer(), std::move(entry), std::move(done));
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
