#include "store/sqlite/sqlite_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "core/files.hpp"
#include "core/log.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/sqlite/rows.hpp"

namespace uitweg::store {

Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options) {
  auto opened = sqlite::SqliteStore::Open(options);
  if (!opened) return opened.error();
  return std::unique_ptr<Store>(std::move(*opened));
}

}  // namespace uitweg::store

namespace uitweg::store::sqlite {
namespace {

constexpr int kBusyTimeoutMs = 5000;
// Log size (in pages, 4 KiB each) past which the background checkpointer copies it back, and
// the hard cap past which the writer finishes the job itself so that the log can start over
// (see checkpointer.hpp). The cap bounds the log at about 64 MiB, journal_size_limit below.
constexpr int kCheckpointPages = 1000;
constexpr int kRestartPages = 16000;

Status Configure(Connection& writer) {
  auto mode = writer.QueryText("PRAGMA journal_mode = WAL");
  if (!mode) return mode.error();
  if (*mode != "wal") {
    return core::Fail(core::Errc::failed_precondition,
                      "the database cannot use write-ahead logging (journal mode " + *mode + ")");
  }
  return writer.Exec(
      "PRAGMA synchronous = FULL;"
      "PRAGMA foreign_keys = ON;"
      "PRAGMA journal_size_limit = 67108864;"
      // Space that an update or delete frees is zeroed, so a shredded conversation's key
      // does not linger in the database file once the page is checkpointed. Set here rather
      // than trusting the library's compile-time default.
      "PRAGMA secure_delete = ON;");
}

// The database holds confidential data: a folder we create is owner-only (0700), and a new
// database file is created owner-only (0600) before SQLite opens it, so that its -wal and -shm
// files, which SQLite creates with the database file's mode, are owner-only too.
Status PrepareFiles(const std::string& path) {
  if (auto created = core::CreatePrivateFolder(std::filesystem::path(path).parent_path());
      !created) {
    return created;
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::close(fd);
  } else if (errno != EEXIST) {
    return core::Fail(core::Errc::unavailable,
                      "cannot create database " + path + ": " + std::strerror(errno));
  }
  return {};
}

// Runs `read` with a connection from the pool.
template <class T, class Read>
Result<T> WithReader(ReaderPool& readers, Read read) {
  auto lease = readers.Acquire();
  return read(*lease);
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const SqliteOptions& options) {
  if (options.path.empty()) {
    return core::Fail(core::Errc::invalid_argument, "the database path is empty");
  }
  UITWEG_TRY(PrepareFiles(options.path));
  auto writer = Connection::Open(options.path, Connection::Mode::read_write, kBusyTimeoutMs);
  if (!writer) return writer.error();
  UITWEG_TRY(Configure(**writer));
  UITWEG_TRY(Migrate(**writer, Migrations()));

  auto checkpointing = Connection::Open(options.path, Connection::Mode::read_write, kBusyTimeoutMs);
  if (!checkpointing) return checkpointing.error();
  auto checkpointer = std::make_unique<Checkpointer>(std::move(*checkpointing), kCheckpointPages);
  (*writer)->OnCommit([target = checkpointer.get(), self = writer->get()](int wal_pages) {
    if (wal_pages >= kRestartPages) {
      (void)self->CheckpointPassive();
    } else {
      target->Nudge(wal_pages);
    }
  });

  std::vector<std::unique_ptr<Connection>> readers;
  for (std::size_t i = 0; i < std::max<std::size_t>(1, options.reader_count); ++i) {
    auto reader = Connection::Open(options.path, Connection::Mode::read_only, kBusyTimeoutMs);
    if (!reader) return reader.error();
    readers.push_back(std::move(*reader));
  }
  core::Log(core::LogLevel::info, "store.opened",
            {{"backend", "sqlite"}, {"readers", readers.size()}, {"max_batch", options.max_batch}});
  return std::unique_ptr<SqliteStore>(
      new SqliteStore(std::make_unique<Writer>(
                          std::move(*writer), options.max_batch,
                          std::chrono::microseconds(options.commit_linger_micros)),
                      std::move(checkpointer), std::make_unique<ReaderPool>(std::move(readers))));
}

SqliteStore::~SqliteStore() { writer_->Close(); }

// --- staff accounts

Result<StaffAccount> SqliteStore::CreateAccount(const NewStaffAccount& account) {
  if (account.username.empty() || account.password_hash.empty()) {
    return core::Fail(core::Errc::invalid_argument, "an account needs a username and a password");
  }
  return writer_->Run<StaffAccount>([&](Connection& db) -> Result<StaffAccount> {
    auto insert = db.Prepare(
        "INSERT INTO staff_account (username, role, display_name, password_hash, disabled, "
        "created_at) VALUES (?1, ?2, ?3, ?4, 0, ?5)");
    if (!insert) return insert.error();
    insert->Bind(1, account.username)
        .Bind(2, RoleName(account.role))
        .Bind(3, account.display_name)
        .Bind(4, account.password_hash)
        .Bind(5, account.created_at);
    if (auto done = insert->Run(); !done) {
      if (done.error().code == core::Errc::already_exists) {
        return core::Fail(core::Errc::already_exists, "that username is taken");
      }
      return done.error();
    }
    return StaffAccount{.id = db.LastInsertRowId(),
                        .username = account.username,
                        .role = account.role,
                        .display_name = account.display_name,
                        .password_hash = account.password_hash,
                        .disabled = false,
                        .created_at = account.created_at};
  });
}

Result<StaffAccount> SqliteStore::FindAccount(std::int64_t id) {
  return WithReader<StaffAccount>(*readers_, [&](Connection& db) -> Result<StaffAccount> {
    static const std::string sql =
        std::string("SELECT ") + kAccountColumns + " FROM staff_account WHERE id = ?1";
    auto select = db.Prepare(sql);
    if (!select) return select.error();
    select->Bind(1, id);
    return ReadOne<StaffAccount>(*select, ReadAccount, "account not found");
  });
}

Result<StaffAccount> SqliteStore::FindAccountByUsername(std::string_view username) {
  return WithReader<StaffAccount>(*readers_, [&](Connection& db) -> Result<StaffAccount> {
    static const std::string sql =
        std::string("SELECT ") + kAccountColumns + " FROM staff_account WHERE username = ?1";
    auto select = db.Prepare(sql);
    if (!select) return select.error();
    select->Bind(1, username);
    return ReadOne<StaffAccount>(*select, ReadAccount, "account not found");
  });
}

Result<std::int64_t> SqliteStore::CountAccounts() {
  return WithReader<std::int64_t>(*readers_, [&](Connection& db) -> Result<std::int64_t> {
    auto select = db.Prepare("SELECT COUNT(*) FROM staff_account");
    if (!select) return select.error();
    return ReadOne<std::int64_t>(*select, [](const Statement& row) { return row.Int(0); },
                                 "no count");
  });
}

Result<std::vector<StaffAccount>> SqliteStore::ListAccounts() {
  static const std::string sql =
      std::string("SELECT ") + kAccountColumns + " FROM staff_account ORDER BY username";
  auto lease = readers_->Acquire();
  auto select = lease->Prepare(sql);
  if (!select) return select.error();
  return ReadAll<StaffAccount>(*select, ReadAccount);
}

Status SqliteStore::SetAccountDisabled(std::int64_t id, bool disabled) {
  return writer_->Run<void>([&](Connection& db) -> Status {
    auto update = db.Prepare("UPDATE staff_account SET disabled = ?2 WHERE id = ?1");
    if (!update) return update.error();
    UITWEG_TRY(update->Bind(1, id).Bind(2, std::int64_t{disabled ? 1 : 0}).Run());
    if (db.Changes() == 0) return core::Fail(core::Errc::not_found, "account not found");
    return {};
  });
}

Status SqliteStore::SetPasswordHash(std::int64_t id, std::string_view password_hash) {
  if (password_hash.empty()) {
    return core::Fail(core::Errc::invalid_argument, "an account needs a password hash");
  }
  return writer_->Run<void>([&](Connection& db) -> Status {
    auto update = db.Prepare("UPDATE staff_account SET password_hash = ?2 WHERE id = ?1");
    if (!update) return update.error();
    UITWEG_TRY(update->Bind(1, id).Bind(2, password_hash).Run());
    if (db.Changes() == 0) return core::Fail(core::Errc::not_found, "account not found");
    return {};
  });
}

// --- staff sessions

Status SqliteStore::CreateSession(const StaffSession& session) {
  if (session.token_hash.empty()) {
    return core::Fail(core::Errc::invalid_argument, "a session needs a token hash");
  }
  return writer_->Run<void>([&](Connection& db) -> Status {
    auto insert = db.Prepare(
        "INSERT INTO staff_session (token_hash, account_id, csrf_token, created_at, "
        "last_seen_at) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!insert) return insert.error();
    insert->Bind(1, session.token_hash)
        .Bind(2, session.account_id)
        .Bind(3, session.csrf_token)
        .Bind(4, session.created_at)
        .Bind(5, session.last_seen_at);
    auto done = insert->Run();
    if (!done && done.error().code == core::Errc::not_found) {
      return core::Fail(core::Errc::not_found, "account not found");
    }
    return done;
  });
}

Result<StaffSession> SqliteStore::FindSession(std::string_view token_hash) {
  return WithReader<StaffSession>(*readers_, [&](Connection& db) -> Result<StaffSession> {
    static const std::string sql =
        std::string("SELECT ") + kSessionColumns + " FROM staff_session WHERE token_hash = ?1";
    auto select = db.Prepare(sql);
    if (!select) return select.error();
    select->Bind(1, token_hash);
    return ReadOne<StaffSession>(*select, ReadSession, "session not found");
  });
}

Status SqliteStore::TouchSession(std::string_view token_hash, UnixMillis now) {
  return writer_->Run<void>([&](Connection& db) -> Status {
    auto update = db.Prepare(
        "UPDATE staff_session SET last_seen_at = MAX(last_seen_at, ?2) WHERE token_hash = ?1");
    if (!update) return update.error();
    UITWEG_TRY(update->Bind(1, token_hash).Bind(2, now).Run());
    if (db.Changes() == 0) return core::Fail(core::Errc::not_found, "session not found");
    return {};
  });
}

Status SqliteStore::DeleteSession(std::string_view token_hash) {
  return writer_->Run<void>([&](Connection& db) -> Status {
    auto remove = db.Prepare("DELETE FROM staff_session WHERE token_hash = ?1");
    if (!remove) return remove.error();
    UITWEG_TRY(remove->Bind(1, token_hash).Run());
    if (db.Changes() == 0) return core::Fail(core::Errc::not_found, "session not found");
    return {};
  });
}

}  // namespace uitweg::store::sqlite
