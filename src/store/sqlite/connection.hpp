#pragma once
// One SQLite connection with its cache of prepared statements, and the statement handle that
// binds, steps and reads one of them. The only header in Uitweg that knows about sqlite3.h is
// connection.cpp's; everything above speaks through these two classes.
//
// Thread safety: none. A connection (and every Statement taken from it) is used by one thread
// at a time; the writer thread and the reader pool make sure of that.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/error.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace uitweg::store::sqlite {

using core::Result;
using core::Status;

class Connection;

// A cached prepared statement in use. Parameters are numbered from 1, columns from 0. On
// destruction it is reset and its bindings cleared, ready for the next user. Move-only.
class Statement {
 public:
  Statement(Connection& connection, sqlite3_stmt* statement);
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  Statement& Bind(int index, std::int64_t value);
  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, const std::optional<std::int64_t>& value);
  Statement& BindBlob(int index, std::string_view bytes);
  Statement& BindNull(int index);

  // true when a row is ready to read; false when the statement is done.
  Result<bool> Step();
  // Steps to the end, for statements that return no rows.
  Status Run();

  std::int64_t Int(int column) const;
  std::optional<std::int64_t> OptionalInt(int column) const;
  std::string Text(int column) const;
  std::string Blob(int column) const;
  bool IsNull(int column) const;

 private:
  Connection* connection_;
  sqlite3_stmt* statement_;
};

class Connection {
 public:
  enum class Mode { read_write, read_only };

  // Opens `path` (creating it in read_write mode) with extended result codes and the given busy
  // timeout. unavailable if it cannot be opened.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, Mode mode,
                                                  int busy_timeout_ms);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Copies the whole database into `target` (an open, empty database) as one consistent
  // snapshot; in WAL mode the writer goes on meanwhile. Returns the pages copied.
  Result<int> BackupTo(Connection& target);

  // Runs one or more statements that return no rows, without caching them (schema, pragmas).
  Status Exec(std::string_view sql);
  // The first column of the first row of a one-off query, as text ("" if there is no row).
  Result<std::string> QueryText(std::string_view sql);
  // A prepared statement from the cache, compiled on first use.
  Result<Statement> Prepare(std::string_view sql);

  std::int64_t Changes() const;
  std::int64_t LastInsertRowId() const;
  // true while a transaction is open.
  bool InTransaction() const;
  // For the group-commit writer: a transaction-control statement, prepared once and cached.
  Status Control(std::string_view sql);
  // For the group-commit writer: takes the write lock at once, so that a batch never waits
  // half-way for another writer.
  static constexpr std::string_view kBeginWrite = "BEGIN IMMEDIATE";
  // For the group-commit writer: Control prepares one statement, and runs in-process.
  static constexpr bool kDefersControl = false;
  // For the group-commit writer: an open SQLite file needs nothing before a batch.
  Status Ready() { return {}; }
  // For the group-commit writer: nothing to choose, since the one writer holds the whole
  // database (BEGIN IMMEDIATE) and no row of it is ever held by another.
  void WaitForLocks(bool) {}

  // Has `hook` called on this connection's thread, at the next AfterAnswers after a commit, with
  // the number of pages then in the write-ahead log. Replaces SQLite's automatic checkpoint on
  // this connection: whoever sets a hook takes over checkpointing.
  void OnCommit(std::function<void(int wal_pages)> hook);
  // Runs the commit hook once for the commits since the last call, if there were any. The
  // group-commit writer calls it after it has handed on a batch's answers, so that a checkpoint
  // the hook runs delays the next batch, never the answers of the one that just committed.
  void AfterAnswers();
  // Copies as much of the write-ahead log into the database as no reader still needs, without
  // waiting for anyone; unavailable (busy) if another checkpoint is running. Callable from a
  // commit hook, as SQLite's own automatic checkpoint is.
  Status CheckpointPassive();
  // Copies the whole log into the database and truncates it to nothing, so that no earlier
  // version of a page is left in it; without waiting for anyone: unavailable (busy) while a
  // writer or a reader still needs the log, or another checkpoint runs.
  Status CheckpointTruncate();

  // Maps an SQLite result code to our errors: unique clashes are already_exists, missing
  // foreign rows not_found, busy or I/O failures unavailable, the rest internal. `what` names
  // the operation; the message never contains values.
  core::Error ErrorFrom(int code, std::string_view what) const;

 private:
  Connection(sqlite3* db, int busy_timeout_ms) : db_(db), busy_timeout_ms_(busy_timeout_ms) {}

  sqlite3* db_;
  const int busy_timeout_ms_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
  std::function<void(int)> commit_hook_;
  int wal_pages_ = -1;  // the log's size at the last commit not yet passed to commit_hook_
};

}  // namespace uitweg::store::sqlite
