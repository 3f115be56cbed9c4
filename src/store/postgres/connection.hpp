#pragma once
// One connection to PostgreSQL through libpq, and the rows it answers with. Statements with
// parameters are prepared once per connection and reused; results come in text form, bytea
// decoded by Row::Blob.
//
// Errors are mapped from PostgreSQL's SQLSTATE: a unique clash is already_exists, a foreign key
// that points nowhere not_found, a check or data error invalid_argument, a deadlock or
// serialization failure aborted (the whole transaction must run again), a connection that broke
// or a server that is shutting down unavailable, anything else internal. Messages carry the
// server's primary message and SQLSTATE only, never parameters or row data.
//
// Thread safety: none; one thread uses a connection at a time.

#include <cstdint>
#include <deque>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"

struct pg_conn;
struct pg_result;

namespace uitweg::store::postgres {

using core::Result;
using core::Status;

// A statement parameter: text, an integer, binary bytes (bytea) or NULL. Views what it is given;
// build parameters within the call that uses them.
class Param {
 public:
  Param(std::string_view text) : value_(text) {}    // NOLINT: implicit by design
  Param(const std::string& text) : value_(text) {}  // NOLINT
  Param(const char* text) : value_(text) {}         // NOLINT
  Param(std::int64_t number) : owned_(std::to_string(number)), value_(owned_) {}  // NOLINT
  Param(std::int32_t number) : Param(static_cast<std::int64_t>(number)) {}        // NOLINT
  Param(std::optional<std::int64_t> number)                                       // NOLINT
      : owned_(number ? std::to_string(*number) : std::string()), value_(owned_), null_(!number) {}
  static Param Bytes(std::string_view bytes) {
    Param param(bytes);
    param.binary_ = true;
    return param;
  }
  static Param Null() {
    Param param(std::string_view{});
    param.null_ = true;
    return param;
  }
  Param(const Param& other)
      : owned_(other.owned_),
        value_(other.value_.data() == other.owned_.data() ? std::string_view(owned_)
                                                          : other.value_),
        null_(other.null_),
        binary_(other.binary_) {}
  Param& operator=(const Param&) = delete;

  std::string_view value() const { return value_; }
  bool null() const { return null_; }
  bool binary() const { return binary_; }

 private:
  std::string owned_;  // an integer's digits
  std::string_view value_;
  bool null_ = false;
  bool binary_ = false;
};

// One row of a result; valid while its Rows lives.
class Row {
 public:
  Row(const pg_result* result, int index) : result_(result), index_(index) {}
  bool IsNull(int column) const;
  std::string Text(int column) const;
  std::int64_t Int(int column) const;
  std::optional<std::int64_t> OptionalInt(int column) const;
  // A bytea column's bytes.
  std::string Blob(int column) const;

 private:
  const pg_result* result_;
  int index_;
};

class Rows {
 public:
  explicit Rows(pg_result* result);
  Rows(Rows&&) noexcept;
  Rows& operator=(Rows&&) noexcept;
  ~Rows();

  int size() const;
  bool empty() const { return size() == 0; }
  Row operator[](int index) const { return Row(result_, index); }
  // How many rows an INSERT, UPDATE or DELETE touched.
  std::int64_t affected() const;

 private:
  pg_result* result_;
};

// Append a column's value to a COPY text row: text, escaped; bytes, as a bytea literal.
void AppendCopyText(std::string& row, std::string_view text);
void AppendCopyBytes(std::string& row, std::string_view bytes);

// A text[] literal of `values` ({"a","b"}), for `= ANY($1::text[])`.
std::string TextArray(std::span<const std::string> values);
// A bigint[] literal of `values` ({1,2}), for `$1::bigint[]`.
std::string IntArray(std::span<const std::int64_t> values);

class Connection {
 public:
  // Connects to `url` (postgresql://user@host:port/database?...), with a connect timeout of 5 s
  // and the application name "uitweg" unless the URL says otherwise. unavailable when the
  // server cannot be reached or refuses.
  static Result<std::unique_ptr<Connection>> Open(const std::string& url);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements without parameters (transaction control, schema).
  Status Exec(std::string_view sql);
  // Runs one statement with parameters $1, $2, ..., prepared on first use.
  Result<Rows> Query(std::string_view sql, std::span<const Param> params);
  Result<Rows> Query(std::string_view sql, std::initializer_list<Param> params = {}) {
    return Query(sql, std::span<const Param>(params.begin(), params.size()));
  }

  // Bulk load: `COPY table (columns) FROM STDIN` in text format, then rows (tab-separated
  // columns, \N for NULL; AppendCopyText, AppendCopyBytes) in as many CopyRows calls as suit,
  // then EndCopy.
  Status BeginCopy(std::string_view copy_sql);
  Status CopyRows(std::string_view rows);
  Status EndCopy();

  // For LISTEN: the socket to wait on for notifications.
  int Socket() const;
  // The payloads of the notifications that have come in, after reading what the socket holds.
  // unavailable when the connection broke.
  Result<std::vector<std::string>> Notifications();

  // Keeps a statement without parameters (transaction control) to go along with the next
  // statement this connection runs, in the same round trip to the server: with Exec as more
  // statements of its text, with Query in one pipeline (see OpenPipeline; InTransaction runs
  // them on their own first). Should a kept statement fail, the
  // statement after it does not run and the call answers the kept one's error; with Query and
  // InTransaction the whole transaction is then rolled back, since the savepoints that later
  // statements count on may not exist.
  void Precede(std::string_view sql) { preceding_.emplace_back(sql); }

  // A pipeline, for the group-commit writer: OpenPipeline, then Send each statement (what Precede
  // kept goes ahead of them), then SyncPipeline, then Next once for each statement sent, in the
  // order sent, then ClosePipeline. All of it is one round trip to the server. Once a statement
  // fails, the server skips the ones after it (Next answers them aborted) and the transaction
  // stays spoiled until a ROLLBACK TO. ClosePipeline reads what Next did not, leaves pipeline
  // mode and answers unavailable if the connection broke, or the error of a kept statement that
  // failed (the transaction is then rolled back, as with Query). Statements are prepared on
  // first use within the pipeline.
  Status OpenPipeline();
  void Send(std::string_view sql, std::span<const Param> params = {});
  // Like Send, for a statement without parameters run once or seldom (SAVEPOINT p3): unprepared.
  void SendControl(std::string_view sql);
  Status SyncPipeline();
  Result<Rows> Next();
  Status ClosePipeline();
  // For the group-commit writer: statements of consecutive units may share a pipeline.
  static constexpr bool kPipelines = true;

  // true while a transaction is open (also one that an error has spoiled). Runs what Precede
  // kept first.
  bool InTransaction();
  // Connects again if the connection broke (or a pipeline was left unfinished); unavailable if
  // that fails. Drops what Precede kept.
  Status Ready();
  // Whether the connection to the server is gone; ask after a call failed.
  bool Lost();
  // How many sessions with the server this connection has had: a call that finds the session
  // broken mid-way connects anew, and what the old session held (an open transaction) is gone.
  std::uint64_t Sessions() const { return sessions_; }

  // For the group-commit writer: a transaction-control statement (as Exec).
  Status Control(std::string_view sql) { return Exec(sql); }
  // For the group-commit writer: PostgreSQL's row locks need no special kind of transaction, but
  // the writes count on each statement reading what was committed when it starts (the audit
  // chain's read after its lock, a bump re-checked after a row lock), whatever the server's
  // default isolation.
  static constexpr std::string_view kBeginWrite = "BEGIN ISOLATION LEVEL READ COMMITTED";
  // For the group-commit writer: every call is a round trip to the server, so the transaction's
  // own statements go through Precede.
  static constexpr bool kDefersControl = true;
  // For the group-commit writer: whether a statement that locks a row another transaction holds
  // waits for it (true, the default) or answers deadline_exceeded at once (false). Statements
  // that can do without waiting ask WaitsForLocks and take their rows with FOR UPDATE NOWAIT.
  void WaitForLocks(bool wait) { waits_for_locks_ = wait; }
  bool WaitsForLocks() const { return waits_for_locks_; }

 private:
  explicit Connection(pg_conn* connection) : connection_(connection) {}
  core::Error LastError(pg_result* result) const;
  // The statement's name, preparing it on first use (after running what Precede kept).
  Result<std::string> Prepared(std::string_view sql);
  // Runs what Precede kept on its own; if that fails, rolls the transaction back.
  Status RunPreceding();
  // A result the open pipeline still owes, in the order sent.
  struct Owed {
    enum class Kind { kept, prepare, statement } kind;
    std::string sql;  // for prepare: the statement being prepared
  };
  // Reads the next result of the open pipeline (and the end of that statement's results);
  // nullptr when the connection broke.
  pg_result* ReadPipelined();
  void SendUnprepared(const std::string& sql, Owed::Kind kind);
  // Starts a new session with the server, which holds nothing of the last (PQreset).
  void NewSession();
  // Reads the results owed ahead of the next statement's: kept statements and preparations.
  void ReadAhead();

  pg_conn* connection_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL -> statement name
  std::uint64_t names_given_ = 0;                          // names are s1, s2, ..., never reused
  std::vector<std::string> preceding_;                     // see Precede
  // The open pipeline's state (see OpenPipeline).
  std::deque<Owed> owed_;
  bool pipeline_broken_ = false;               // a send failed or the connection broke
  std::optional<core::Error> kept_failed_;     // a kept statement's error
  std::optional<core::Error> prepare_failed_;  // the next statement's preparation's error
  std::uint64_t sessions_ = 1;
  bool waits_for_locks_ = true;  // see WaitForLocks
};

// Takes the advisory lock `key` until the writer's transaction ends. While the writer lets units
// do without waiting (WaitsForLocks false), a lock another node holds answers deadline_exceeded
// at once, and the writer runs the unit again in its next batch instead of holding the whole
// batch (chat messages among it) until that node commits.
Status LockForTransaction(Connection& db, std::int64_t key);

}  // namespace uitweg::store::postgres
