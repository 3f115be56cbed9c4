#include "store/transfer/sqlite_to_postgres.hpp"

#include <array>
#include <filesystem>

#include "crypto/random.hpp"
#include "store/postgres/connection.hpp"
#include "store/postgres/migrations.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/migrations.hpp"

namespace uitweg::store {
namespace {

enum class Kind { text, integer, bytes };

struct Column {
  const char* name;
  Kind kind;
};

struct Table {
  const char* name;
  std::vector<Column> columns;
  // A unique key, so that both sides list rows in one order: bytewise, which is SQLite's BINARY
  // collation and PostgreSQL's "C".
  const char* sqlite_order;
  const char* postgres_order;
};

const std::vector<Table>& Tables() {
  static const std::vector<Table> tables{
      {"staff_account",
       {{"id", Kind::integer},
        {"username", Kind::text},
        {"role", Kind::text},
        {"display_name", Kind::text},
        {"password_hash", Kind::text},
        {"disabled", Kind::integer},
        {"created_at", Kind::integer},
        {"totp_secret", Kind::bytes},
        {"totp_last_step", Kind::integer},
        {"last_sign_in_at", Kind::integer},
        {"capacity", Kind::integer},
        {"availability", Kind::text}},
       "id",
       "id"},
      {"account_setup",
       {{"token_hash", Kind::text},
        {"account_id", Kind::integer},
        {"purpose", Kind::text},
        {"expires_at", Kind::integer}},
       "token_hash",
       "token_hash COLLATE \"C\""},
      {"staff_recovery_code",
       {{"account_id", Kind::integer}, {"code_hash", Kind::text}},
       "account_id, code_hash",
       "account_id, code_hash COLLATE \"C\""},
      {"staff_session",
       {{"token_hash", Kind::text},
        {"account_id", Kind::integer},
        {"csrf_token", Kind::text},
        {"created_at", Kind::integer},
        {"last_seen_at", Kind::integer}},
       "token_hash",
       "token_hash COLLATE \"C\""},
      {"conversation",
       {{"id", Kind::text},
        {"resume_token_hash", Kind::text},
        {"status", Kind::text},
        {"subject", Kind::text},
        {"nickname", Kind::bytes},
        {"counsellor_id", Kind::integer},
        {"urgency", Kind::integer},
        {"last_seq", Kind::integer},
        {"created_at", Kind::integer},
        {"accepted_at", Kind::integer},
        {"ended_at", Kind::integer},
        {"data_key", Kind::bytes},
        {"end_reason", Kind::text},
        {"visitor_seen_at", Kind::integer},
        {"shredded_at", Kind::integer},
        {"forget_requested", Kind::integer},
        {"urgency_marked_by", Kind::integer},
        {"feedback_given", Kind::integer},
        {"offline", Kind::integer},
        {"pickup_code_hash", Kind::text},
        {"offered_to", Kind::integer},
        {"offered_at", Kind::integer},
        {"language", Kind::text},
        {"campaign", Kind::text},
        {"region", Kind::text},
        {"registered", Kind::integer},
        {"referred", Kind::integer},
        {"referral_completed", Kind::integer},
        {"request_hash", Kind::text},
        {"request_try", Kind::integer}},
       "id",
       "id COLLATE \"C\""},
      {"message",
       {{"conversation_id", Kind::text},
        {"seq", Kind::integer},
        {"kind", Kind::text},
        {"sender", Kind::text},
        {"author_id", Kind::integer},
        {"client_id", Kind::text},
        {"body", Kind::bytes},
        {"created_at", Kind::integer},
        {"body_shredded", Kind::integer}},
       "conversation_id, seq",
       "conversation_id COLLATE \"C\", seq"},
      {"visitor_feedback",
       {{"id", Kind::integer},
        {"day", Kind::integer},
        {"helped", Kind::text},
        {"would_return", Kind::text}},
       "id",
       "id"},
      {"registration",
       {{"conversation_id", Kind::text},
        {"counsellor_id", Kind::integer},
        {"complete", Kind::integer},
        {"form_version", Kind::integer},
        {"updated_at", Kind::integer}},
       "conversation_id",
       "conversation_id COLLATE \"C\""},
      {"registration_answer",
       {{"conversation_id", Kind::text},
        {"field", Kind::text},
        {"value", Kind::text},
        {"started_at", Kind::integer},
        {"campaign", Kind::text},
        {"region", Kind::text}},
       "conversation_id, field, value",
       "conversation_id COLLATE \"C\", field COLLATE \"C\", value COLLATE \"C\""},
      {"review_sample",
       {{"id", Kind::text},
        {"supervisor_id", Kind::integer},
        {"period_from", Kind::integer},
        {"period_to", Kind::integer},
        {"only_unreviewed", Kind::integer},
        {"candidates", Kind::integer},
        {"created_at", Kind::integer}},
       "id",
       "id COLLATE \"C\""},
      {"review_sample_item",
       {{"sample_id", Kind::text}, {"position", Kind::integer}, {"conversation_id", Kind::text}},
       "sample_id, position",
       "sample_id COLLATE \"C\", position"},
      {"review",
       {{"conversation_id", Kind::text},
        {"sample_id", Kind::text},
        {"reviewer_id", Kind::integer},
        {"rubric_version", Kind::integer},
        {"comment", Kind::bytes},
        {"ended_at", Kind::integer},
        {"reviewed_at", Kind::integer}},
       "conversation_id",
       "conversation_id COLLATE \"C\""},
      {"review_score",
       {{"conversation_id", Kind::text}, {"criterion", Kind::text}, {"score", Kind::integer}},
       "conversation_id, criterion",
       "conversation_id COLLATE \"C\", criterion COLLATE \"C\""},
      {"organisation",
       {{"id", Kind::integer},
        {"name", Kind::text},
        {"description", Kind::text},
        {"region", Kind::text},
        {"contact_person", Kind::text},
        {"contact_phone", Kind::text},
        {"contact_email", Kind::text},
        {"active", Kind::integer},
        {"updated_at", Kind::integer}},
       "id",
       "id"},
      {"referral",
       {{"id", Kind::integer},
        {"conversation_id", Kind::text},
        {"organisation_id", Kind::integer},
        {"counsellor_id", Kind::integer},
        {"status", Kind::text},
        {"details_seq", Kind::integer},
        {"created_at", Kind::integer},
        {"updated_at", Kind::integer},
        {"updated_by", Kind::integer}},
       "id",
       "id"},
      {"setting",
       {{"name", Kind::text}, {"value", Kind::text}, {"updated_at", Kind::integer}},
       "name",
       "name COLLATE \"C\""},
      {"content_version",
       {{"slug", Kind::text},
        {"language", Kind::text},
        {"version", Kind::integer},
        {"body", Kind::text},
        {"author_id", Kind::integer},
        {"created_at", Kind::integer}},
       "slug, language, version",
       "slug COLLATE \"C\", language COLLATE \"C\", version"},
      {"campaign",
       {{"code", Kind::text},
        {"label", Kind::text},
        {"created_by", Kind::integer},
        {"created_at", Kind::integer},
        {"retired_at", Kind::integer}},
       "code",
       "code COLLATE \"C\""},
      {"campaign_count",
       {{"day", Kind::text},
        {"code", Kind::text},
        {"metric", Kind::text},
        {"count", Kind::integer}},
       "day, code, metric",
       "day COLLATE \"C\", code COLLATE \"C\", metric COLLATE \"C\""},
      // The insights counts, copied as they are while the triggers that keep them are off
      // (kCountedTables).
      {"conversation_count",
       {{"hour", Kind::integer},
        {"campaign", Kind::text},
        {"offline", Kind::integer},
        {"started", Kind::integer},
        {"held", Kind::integer},
        {"abandoned", Kind::integer},
        {"registered", Kind::integer},
        {"referred", Kind::integer},
        {"referral_completed", Kind::integer}},
       "hour, campaign, offline",
       "hour, campaign COLLATE \"C\", offline"},
      {"shift_count",
       {{"bucket", Kind::integer},
        {"counsellor_id", Kind::integer},
        {"campaign", Kind::text},
        {"offline", Kind::integer},
        {"held", Kind::integer}},
       "bucket, counsellor_id, campaign, offline",
       "bucket, counsellor_id, campaign COLLATE \"C\", offline"},
      {"answer_count",
       {{"bucket", Kind::integer},
        {"offline", Kind::integer},
        {"field", Kind::text},
        {"value", Kind::text},
        {"n", Kind::integer}},
       "bucket, offline, field, value",
       "bucket, offline, field COLLATE \"C\", value COLLATE \"C\""},
      {"answer_count_by_campaign",
       {{"campaign", Kind::text},
        {"bucket", Kind::integer},
        {"offline", Kind::integer},
        {"field", Kind::text},
        {"value", Kind::text},
        {"n", Kind::integer}},
       "campaign, bucket, offline, field, value",
       "campaign COLLATE \"C\", bucket, offline, field COLLATE \"C\", value COLLATE \"C\""},
      {"answer_count_by_region",
       {{"region", Kind::text},
        {"bucket", Kind::integer},
        {"campaign", Kind::text},
        {"offline", Kind::integer},
        {"field", Kind::text},
        {"value", Kind::text},
        {"n", Kind::integer}},
       "region, bucket, campaign, offline, field, value",
       "region COLLATE \"C\", bucket, campaign COLLATE \"C\", offline, field COLLATE \"C\","
       " value COLLATE \"C\""},
      {"scan",
       {{"id", Kind::integer},
        {"created_by", Kind::integer},
        {"created_at", Kind::integer},
        {"source_name", Kind::text},
        {"status", Kind::text},
        {"error", Kind::text},
        {"bytes_total", Kind::integer},
        {"bytes_done", Kind::integer},
        {"posts", Kind::integer},
        {"flagged", Kind::integer},
        {"clusters", Kind::integer},
        {"lexicon_version", Kind::text},
        {"model_version", Kind::text},
        {"finished_at", Kind::integer}},
       "id",
       "id"},
      {"finding",
       {{"id", Kind::integer},
        {"scan_id", Kind::integer},
        {"source", Kind::text},
        {"channel", Kind::text},
        {"author", Kind::text},
        {"message_id", Kind::integer},
        {"date_unix", Kind::integer},
        {"text", Kind::text},
        {"score", Kind::integer},
        {"lexicon_score", Kind::integer},
        {"model_score", Kind::integer},
        {"categories", Kind::text},
        {"matches", Kind::text},
        {"cluster", Kind::integer},
        {"cluster_channels", Kind::integer},
        {"purged", Kind::integer},
        {"post", Kind::text}},
       "id",
       "id"},
      {"finding_term",
       {{"finding_id", Kind::integer}, {"term", Kind::text}},
       "finding_id, term",
       "finding_id, term COLLATE \"C\""},
      {"finding_verdict",
       {{"finding_id", Kind::integer},
        {"verdict", Kind::text},
        {"account_id", Kind::integer},
        {"at", Kind::integer}},
       "finding_id",
       "finding_id"},
      {"finding_week",
       {{"finding_id", Kind::integer}, {"week", Kind::text}, {"category", Kind::text}},
       "finding_id, category",
       "finding_id, category COLLATE \"C\""},
      {"lexicon_version",
       {{"version", Kind::integer},
        {"toml", Kind::text},
        {"created_by", Kind::integer},
        {"created_at", Kind::integer},
        {"note", Kind::text}},
       "version",
       "version"},
      {"canned_response",
       {{"id", Kind::integer},
        {"title", Kind::text},
        {"body", Kind::text},
        {"language", Kind::text},
        {"tags", Kind::text},
        {"updated_at", Kind::integer}},
       "id",
       "id"},
      {"audit_entry",
       {{"seq", Kind::integer},
        {"at", Kind::integer},
        {"node", Kind::text},
        {"account_id", Kind::integer},
        {"role", Kind::text},
        {"action", Kind::text},
        {"conversation_id", Kind::text},
        {"detail", Kind::text},
        {"prev_hash", Kind::text},
        {"hash", Kind::text}},
       "seq",
       "seq"},
  };
  return tables;
}

// The tables whose triggers keep the insights counts (migration 0024_insights_counts): the
// counts come over as they are, so these triggers are off while the rows go in.
constexpr std::array<const char*, 4> kCountedTables = {"conversation", "registration",
                                                       "registration_answer", "referral"};

std::string ColumnList(const Table& table) {
  std::string list;
  for (const Column& column : table.columns) {
    if (!list.empty()) list += ", ";
    list += column.name;
  }
  return list;
}

// The running checksum: each row, in a form both databases give alike, folded into the last.
class Checksum {
 public:
  template <class Row>
  void Add(const Row& row, const std::vector<Column>& columns) {
    std::string canonical = digest_;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const int index = static_cast<int>(i);
      if (row.IsNull(index)) {
        canonical += "\x01";
      } else {
        canonical += "\x02";
        switch (columns[i].kind) {
          case Kind::text: canonical += row.Text(index); break;
          case Kind::integer: canonical += std::to_string(row.Int(index)); break;
          case Kind::bytes: canonical += row.Blob(index); break;
        }
      }
      canonical += "\x1f";
    }
    digest_ = crypto::KeyedHash("uitweg table checksum", canonical);
  }
  const std::string& digest() const { return digest_; }

 private:
  std::string digest_;
};

constexpr std::size_t kCopyChunk = 1 << 20;
constexpr int kFetchRows = 10'000;

// Every table the copy fills: a row in any of them (a node started on the target once, an
// earlier copy) would clash with the copy, or be mixed into it.
core::Status CheckEmpty(postgres::Connection& target) {
  std::string sql = "SELECT ";
  for (std::size_t i = 0; i < Tables().size(); ++i) {
    if (i > 0) sql += " + ";
    sql += std::string("(SELECT COUNT(*) FROM ") + Tables()[i].name + ")";
  }
  UITWEG_TRY_ASSIGN(postgres::Rows counted, target.Query(sql));
  if (counted[0].Int(0) != 0) {
    return core::Fail(core::Errc::failed_precondition,
                      "the target database is not empty; migrate-data copies only into an empty "
                      "database");
  }
  return {};
}

// Copies one table; returns its row count and checksum as read from SQLite.
core::Result<TableCopied> CopyTable(sqlite::Connection& source, postgres::Connection& target,
                                    const Table& table,
                                    const std::function<void(const CopyProgress&)>& progress) {
  const std::string columns = ColumnList(table);
  UITWEG_TRY_ASSIGN(std::string total_text,
                    source.QueryText(std::string("SELECT COUNT(*) FROM ") + table.name));
  const std::int64_t total = std::stoll(total_text);
  UITWEG_TRY_ASSIGN(auto select, source.Prepare("SELECT " + columns + " FROM " + table.name +
                                                " ORDER BY " + table.sqlite_order));
  UITWEG_TRY(target.BeginCopy(std::string("COPY ") + table.name + " (" + columns + ") FROM STDIN"));
  Checksum checksum;
  std::string chunk;
  std::int64_t copied = 0;
  for (;;) {
    UITWEG_TRY_ASSIGN(const bool has_row, select.Step());
    if (!has_row) break;
    checksum.Add(select, table.columns);
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
      if (i > 0) chunk += '\t';
      const int index = static_cast<int>(i);
      if (select.IsNull(index)) {
        chunk += "\\N";
        continue;
      }
      switch (table.columns[i].kind) {
        case Kind::text: postgres::AppendCopyText(chunk, select.Text(index)); break;
        case Kind::integer: chunk += std::to_string(select.Int(index)); break;
        case Kind::bytes: postgres::AppendCopyBytes(chunk, select.Blob(index)); break;
      }
    }
    chunk += '\n';
    ++copied;
    if (chunk.size() >= kCopyChunk) {
      UITWEG_TRY(target.CopyRows(chunk));
      chunk.clear();
      progress(CopyProgress{table.name, copied, total});
    }
  }
  if (!chunk.empty()) UITWEG_TRY(target.CopyRows(chunk));
  UITWEG_TRY(target.EndCopy());
  if (copied != total) {
    return core::Fail(core::Errc::internal, std::string("table ") + table.name + ": counted " +
                                                std::to_string(total) + " rows, read " +
                                                std::to_string(copied));
  }
  progress(CopyProgress{table.name, copied, total});
  return TableCopied{table.name, copied, checksum.digest()};
}

// Reads the table back from PostgreSQL (inside the copying transaction) and compares.
core::Status Verify(postgres::Connection& target, const Table& table, const TableCopied& copied) {
  UITWEG_TRY(target.Exec("DECLARE verify NO SCROLL CURSOR FOR SELECT " + ColumnList(table) +
                         " FROM " + table.name + " ORDER BY " + table.postgres_order));
  Checksum checksum;
  std::int64_t rows = 0;
  for (;;) {
    UITWEG_TRY_ASSIGN(postgres::Rows fetched,
                      target.Query("FETCH " + std::to_string(kFetchRows) + " FROM verify"));
    for (int i = 0; i < fetched.size(); ++i) checksum.Add(fetched[i], table.columns);
    rows += fetched.size();
    if (fetched.size() < kFetchRows) break;
  }
  UITWEG_TRY(target.Exec("CLOSE verify"));
  if (rows != copied.rows || checksum.digest() != copied.checksum) {
    return core::Fail(core::Errc::internal, std::string("the copy of ") + table.name +
                                                " does not match the original (" +
                                                std::to_string(rows) + " rows read back of " +
                                                std::to_string(copied.rows) + ")");
  }
  return {};
}

core::Result<std::vector<TableCopied>> CopyAll(
    sqlite::Connection& source, postgres::Connection& target,
    const std::function<void(const CopyProgress&)>& progress) {
  for (const char* counted : kCountedTables) {
    UITWEG_TRY(target.Exec(std::string("ALTER TABLE ") + counted + " DISABLE TRIGGER USER"));
  }
  std::vector<TableCopied> copied;
  for (const Table& table : Tables()) {
    UITWEG_TRY_ASSIGN(TableCopied done, CopyTable(source, target, table, progress));
    copied.push_back(std::move(done));
  }
  for (const char* counted : kCountedTables) {
    UITWEG_TRY(target.Exec(std::string("ALTER TABLE ") + counted + " ENABLE TRIGGER USER"));
  }
  // New rows continue after the copied ids, in every table numbered by its own id.
  for (const Table& table : Tables()) {
    const bool numbered =
        std::string_view(table.sqlite_order) == "id" && table.columns.front().kind == Kind::integer;
    if (!numbered) continue;
    const std::string name = table.name;
    UITWEG_TRY(target.Exec("SELECT setval(pg_get_serial_sequence('" + name +
                           "', 'id'),"
                           " COALESCE((SELECT MAX(id) FROM " +
                           name + "), 0) + 1, false)"));
  }
  for (std::size_t i = 0; i < Tables().size(); ++i) {
    UITWEG_TRY(Verify(target, Tables()[i], copied[i]));
  }
  return copied;
}

}  // namespace

core::Result<std::vector<TableCopied>> CopySqliteToPostgres(
    const std::string& sqlite_path, const std::string& postgres_url,
    const std::function<void(const CopyProgress&)>& progress) {
  if (!std::filesystem::exists(sqlite_path)) {
    return core::Fail(core::Errc::not_found, "no database at " + sqlite_path);
  }
  UITWEG_TRY_ASSIGN(auto source, sqlite::Connection::Open(
                                     sqlite_path, sqlite::Connection::Mode::read_write, 5000));
  // A deployment from before the latest version: bring it up to date first.
  UITWEG_TRY(sqlite::Migrate(*source, sqlite::Migrations()));
  UITWEG_TRY_ASSIGN(auto target, postgres::Connection::Open(postgres_url));
  UITWEG_TRY(postgres::Migrate(*target, postgres::Migrations()));
  UITWEG_TRY(CheckEmpty(*target));
  // One read transaction: every table as of one moment, even if a server still writes (a message
  // written between two tables would otherwise be copied without its conversation's last_seq).
  UITWEG_TRY(source->Exec("BEGIN"));
  UITWEG_TRY(target->Exec("BEGIN"));
  auto copied = CopyAll(*source, *target, progress);
  (void)source->Exec("COMMIT");
  if (!copied) {
    (void)target->Exec("ROLLBACK");
    return copied.error();
  }
  UITWEG_TRY(target->Exec("COMMIT"));
  return copied;
}

}  // namespace uitweg::store
