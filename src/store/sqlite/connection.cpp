#include "store/sqlite/connection.hpp"

#include <sqlite3.h>

#include <utility>

#include "core/log.hpp"

namespace uitweg::store::sqlite {

Statement::Statement(Connection& connection, sqlite3_stmt* statement)
    : connection_(&connection), statement_(statement) {}

Statement::Statement(Statement&& other) noexcept
    : connection_(other.connection_), statement_(other.statement_) {
  other.statement_ = nullptr;
}

Statement::~Statement() {
  if (statement_ == nullptr) return;
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

Statement& Statement::Bind(int index, std::int64_t value) {
  sqlite3_bind_int64(statement_, index, value);
  return *this;
}

Statement& Statement::Bind(int index, std::string_view text) {
  sqlite3_bind_text64(statement_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}

Statement& Statement::Bind(int index, const std::optional<std::int64_t>& value) {
  return value ? Bind(index, *value) : BindNull(index);
}

Statement& Statement::BindBlob(int index, std::string_view bytes) {
  // A zero-length blob, not NULL, for an empty body.
  sqlite3_bind_blob64(statement_, index, bytes.empty() ? "" : bytes.data(), bytes.size(),
                      SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::BindNull(int index) {
  sqlite3_bind_null(statement_, index);
  return *this;
}

Result<bool> Statement::Step() {
  const int rc = sqlite3_step(statement_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return connection_->ErrorFrom(rc, "statement");
}

Status Statement::Run() {
  for (;;) {
    auto row = Step();
    if (!row) return row.error();
    if (!*row) return {};
  }
}

std::int64_t Statement::Int(int column) const {
  return sqlite3_column_int64(statement_, column);
}

std::optional<std::int64_t> Statement::OptionalInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

std::string Statement::Text(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
  if (text == nullptr) return {};
  return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)));
}

std::string Statement::Blob(int column) const {
  const auto* bytes = static_cast<const char*>(sqlite3_column_blob(statement_, column));
  if (bytes == nullptr) return {};
  return std::string(bytes, static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)));
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, Mode mode,
                                                     int busy_timeout_ms) {
  const int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE |
                    (mode == Mode::read_write ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                                              : SQLITE_OPEN_READONLY);
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    const std::string reason = sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return core::Fail(core::Errc::unavailable, "cannot open database " + path + ": " + reason);
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, busy_timeout_ms);
  return std::unique_ptr<Connection>(new Connection(db, busy_timeout_ms));
}

Connection::~Connection() {
  for (auto& [sql, statement] : cache_) sqlite3_finalize(statement);
  sqlite3_close_v2(db_);
}

Result<int> Connection::BackupTo(Connection& target) {
  sqlite3_backup* backup = sqlite3_backup_init(target.db_, "main", db_, "main");
  if (backup == nullptr) {
    return core::Fail(core::Errc::unavailable,
                      std::string("cannot start the backup: ") + sqlite3_errmsg(target.db_));
  }
  // One step for all pages: a reader's snapshot, which in WAL mode never blocks the writer.
  const int stepped = sqlite3_backup_step(backup, -1);
  const int pages = sqlite3_backup_pagecount(backup);
  const int finished = sqlite3_backup_finish(backup);
  if (stepped != SQLITE_DONE || finished != SQLITE_OK) {
    return core::Fail(core::Errc::unavailable,
                      std::string("the backup failed: ") +
                          sqlite3_errstr(finished != SQLITE_OK ? finished : stepped));
  }
  return pages;
}

Status Connection::Control(std::string_view sql) {
  UITWEG_TRY_ASSIGN(auto statement, Prepare(sql));
  return statement.Run();
}

Status Connection::Exec(std::string_view sql) {
  const std::string terminated(sql);
  const int rc = sqlite3_exec(db_, terminated.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return ErrorFrom(rc, "exec");
  return {};
}

Result<std::string> Connection::QueryText(std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
  if (rc != SQLITE_OK) return ErrorFrom(rc, "prepare");
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> owned(raw, sqlite3_finalize);
  const int step = sqlite3_step(raw);
  if (step == SQLITE_DONE) return std::string();
  if (step != SQLITE_ROW) return ErrorFrom(step, "query");
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(raw, 0));
  return text == nullptr ? std::string() : std::string(text);
}

Result<Statement> Connection::Prepare(std::string_view sql) {
  auto found = cache_.find(std::string(sql));
  if (found != cache_.end()) return Statement(*this, found->second);
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  if (rc != SQLITE_OK) return ErrorFrom(rc, "prepare");
  cache_.emplace(std::string(sql), raw);
  return Statement(*this, raw);
}

std::int64_t Connection::Changes() const {
  return sqlite3_changes64(db_);
}

std::int64_t Connection::LastInsertRowId() const {
  return sqlite3_last_insert_rowid(db_);
}

bool Connection::InTransaction() const {
  return sqlite3_get_autocommit(db_) == 0;
}

void Connection::OnCommit(std::function<void(int wal_pages)> hook) {
  commit_hook_ = std::move(hook);
  sqlite3_wal_hook(
      db_,
      [](void* self, sqlite3*, const char*, int pages) {
        static_cast<Connection*>(self)->wal_pages_ = pages;
        return SQLITE_OK;
      },
      this);
}

void Connection::AfterAnswers() {
  if (wal_pages_ < 0 || !commit_hook_) return;
  const int pages = std::exchange(wal_pages_, -1);
  commit_hook_(pages);
}

Status Connection::CheckpointPassive() {
  const int rc =
      sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  // Another connection checkpointing at the same moment is normal, not worth a log line.
  if (rc == SQLITE_BUSY) return core::Fail(core::Errc::unavailable, "checkpoint: busy");
  if (rc != SQLITE_OK) return ErrorFrom(rc, "checkpoint");
  return {};
}

Status Connection::CheckpointTruncate() {
  // Without the busy handler: holding the write lock while it waits would hold up every commit.
  sqlite3_busy_timeout(db_, 0);
  int log_frames = -1;
  const int rc =
      sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_TRUNCATE, &log_frames, nullptr);
  sqlite3_busy_timeout(db_, busy_timeout_ms_);
  if (rc == SQLITE_BUSY) return core::Fail(core::Errc::unavailable, "checkpoint: busy");
  if (rc != SQLITE_OK) return ErrorFrom(rc, "checkpoint");
  // A log that is not empty afterwards was not truncated (a reader came between).
  if (log_frames != 0) return core::Fail(core::Errc::unavailable, "checkpoint: log in use");
  return {};
}

core::Error Connection::ErrorFrom(int code, std::string_view what) const {
  const std::string reason = std::string(what) + ": " + sqlite3_errstr(code);
  switch (code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY: return core::Fail(core::Errc::already_exists, reason);
    case SQLITE_CONSTRAINT_FOREIGNKEY: return core::Fail(core::Errc::not_found, reason);
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_NOTNULL: return core::Fail(core::Errc::invalid_argument, reason);
    default: break;
  }
  // sqlite3_errmsg names tables and columns, never values, so it is safe to log.
  core::Log(core::LogLevel::warn, "store.sqlite.error",
            {{"what", what}, {"code", code}, {"detail", std::string_view(sqlite3_errmsg(db_))}});
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PROTOCOL: return core::Fail(core::Errc::unavailable, reason);
    default: return core::Fail(core::Errc::internal, reason);
  }
}

}  // namespace uitweg::store::sqlite
