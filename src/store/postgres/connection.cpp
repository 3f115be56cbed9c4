#include "store/postgres/connection.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <string_view>
#include <utility>
#include <vector>

#include "core/log.hpp"

namespace uitweg::store::postgres {
namespace {

core::Errc ErrcForState(std::string_view state) {
  if (state == "23505") return core::Errc::already_exists;
  if (state == "23503") return core::Errc::not_found;
  if (state == "23514" || state == "23502" || state.starts_with("22")) {
    return core::Errc::invalid_argument;
  }
  if (state == "40001" || state == "40P01") return core::Errc::aborted;
  if (state == "55P03") return core::Errc::deadline_exceeded;  // lock_not_available
  if (state.starts_with("08") || state.starts_with("57P")) return core::Errc::unavailable;
  // The server cannot write now (read-only after a failover, disk full, out of memory or
  // connections, an I/O error): a passing state of the server, not a refusal of the statement.
  // The writer fails the whole batch for it, so that no later message of a conversation commits
  // before one it turned away. (A statement over a limit of its own, too large or too slow, is
  // that statement's refusal.)
  if (state == "25006" || state == "53100" || state == "53200" || state == "53300" ||
      state == "58030" || state == "40003") {
    return core::Errc::unavailable;
  }
  return core::Errc::internal;
}

// Parameters as libpq takes them; views the parameters' values, so lives within their call.
class ParamArrays {
 public:
  explicit ParamArrays(std::span<const Param> params) {
    values_.reserve(params.size());
    lengths_.reserve(params.size());
    formats_.reserve(params.size());
    // Text parameters must end in a NUL; reserved, so the pointers into it stay put.
    texts_.reserve(params.size());
    for (const Param& param : params) {
      if (param.null()) {
        values_.push_back(nullptr);
        lengths_.push_back(0);
        formats_.push_back(0);
      } else if (param.binary()) {
        values_.push_back(param.value().data());
        lengths_.push_back(static_cast<int>(param.value().size()));
        formats_.push_back(1);
      } else if (param.value().find('\0') != std::string_view::npos) {
        // Text travels NUL-terminated, so it would end at the NUL: what follows would be left
        // out of a comparison unseen. Sent whole instead, as binary, which PostgreSQL refuses
        // for text (no text holds a NUL) and for any other type alike.
        values_.push_back(param.value().data());
        lengths_.push_back(static_cast<int>(param.value().size()));
        formats_.push_back(1);
      } else {
        texts_.emplace_back(param.value());
        values_.push_back(texts_.back().c_str());
        lengths_.push_back(0);
        formats_.push_back(0);
      }
    }
  }
  int count() const { return static_cast<int>(values_.size()); }
  const char* const* values() const { return values_.data(); }
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
  std::vector<std::string> texts_;
};

}  // namespace

// --- Row and Rows

bool Row::IsNull(int column) const {
  return PQgetisnull(result_, index_, column) != 0;
}

std::string Row::Text(int column) const {
  return std::string(PQgetvalue(result_, index_, column),
                     static_cast<std::size_t>(PQgetlength(result_, index_, column)));
}

std::int64_t Row::Int(int column) const {
  const char* text = PQgetvalue(result_, index_, column);
  const char* end = text + PQgetlength(result_, index_, column);
  std::int64_t value = 0;
  std::from_chars(text, end, value);
  return value;
}

std::optional<std::int64_t> Row::OptionalInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

std::string Row::Blob(int column) const {
  // The text form of bytea in either output the server may be set to (hex or escape): libpq
  // reads both.
  std::size_t length = 0;
  unsigned char* bytes = PQunescapeBytea(
      reinterpret_cast<const unsigned char*>(PQgetvalue(result_, index_, column)), &length);
  if (bytes == nullptr) return {};
  std::string out(reinterpret_cast<const char*>(bytes), length);
  PQfreemem(bytes);
  return out;
}

Rows::Rows(pg_result* result) : result_(result) {}
Rows::Rows(Rows&& other) noexcept : result_(std::exchange(other.result_, nullptr)) {}
Rows& Rows::operator=(Rows&& other) noexcept {
  if (this != &other) {
    PQclear(result_);
    result_ = std::exchange(other.result_, nullptr);
  }
  return *this;
}
Rows::~Rows() {
  PQclear(result_);
}

int Rows::size() const {
  return result_ == nullptr ? 0 : PQntuples(result_);
}

std::int64_t Rows::affected() const {
  if (result_ == nullptr) return 0;
  const char* text = PQcmdTuples(result_);
  std::int64_t count = 0;
  std::from_chars(text, text + std::char_traits<char>::length(text), count);
  return count;
}

std::string TextArray(std::span<const std::string> values) {
  std::string literal = "{";
  for (const std::string& value : values) {
    if (literal.size() > 1) literal += ',';
    literal += '"';
    for (char c : value) {
      if (c == '"' || c == '\\') literal += '\\';
      literal += c;
    }
    literal += '"';
  }
  literal += '}';
  return literal;
}

std::string IntArray(std::span<const std::int64_t> values) {
  std::string literal = "{";
  for (std::int64_t value : values) {
    if (literal.size() > 1) literal += ',';
    literal += std::to_string(value);
  }
  literal += '}';
  return literal;
}

void AppendCopyText(std::string& row, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '\\': row += "\\\\"; break;
      case '\t': row += "\\t"; break;
      case '\n': row += "\\n"; break;
      case '\r': row += "\\r"; break;
      default: row += c;
    }
  }
}

void AppendCopyBytes(std::string& row, std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  // bytea's hex form, its backslash doubled for COPY.
  row += "\\\\x";
  for (unsigned char byte : bytes) {
    row += kHex[byte >> 4];
    row += kHex[byte & 0x0f];
  }
}

// --- Connection

namespace {

// A message about an address libpq cannot parse at all quotes the part it stumbled on, which
// may be the password of a `?password=` or `password=` pair, quotes and all: everything from the
// first quote to the last goes.
std::string WithoutQuotedPieces(std::string message) {
  const std::size_t first = message.find('"');
  if (first == std::string::npos) return message;
  const std::size_t last = message.rfind('"');
  message.replace(first + 1, last > first ? last - first - 1 : std::string::npos, "***");
  return message;
}

// The values of `password=` in an address libpq could not parse, as written.
std::vector<std::string> PasswordValues(const std::string& url) {
  std::vector<std::string> values;
  for (std::size_t at = url.find("password="); at != std::string::npos;
       at = url.find("password=", at + 1)) {
    const std::size_t from = at + std::string_view("password=").size();
    const std::size_t end = url.find_first_of("& \t", from);
    values.push_back(url.substr(from, end == std::string::npos ? std::string::npos : end - from));
  }
  return values;
}

// libpq's error, without the URL's password: a password libpq could not read (a stray `%`, a
// `/`) comes back in its message, which goes to the log. Each piece of what follows the user
// name in the URL's user part is blanked, in the message as written and decoded, and so is the
// value of a `password` parameter.
std::string WithoutPassword(const std::string& url, std::string message) {
  std::vector<std::string> secrets;
  const std::size_t scheme = url.find("://");
  const std::size_t start = scheme == std::string::npos ? 0 : scheme + 3;
  const std::size_t at = url.rfind('@');
  const std::string user_part =
      at == std::string::npos || at < start ? std::string() : url.substr(start, at - start);
  if (const std::size_t colon = user_part.find(':'); colon != std::string::npos) {
    secrets.push_back(user_part.substr(colon + 1));
    for (std::size_t from = colon + 1; from <= user_part.size();) {
      const std::size_t end = user_part.find_first_of(":/@?#", from);
      const std::size_t stop = end == std::string::npos ? user_part.size() : end;
      if (stop > from) secrets.push_back(user_part.substr(from, stop - from));
      from = stop + 1;
    }
  }
  if (PQconninfoOption* parsed = PQconninfoParse(url.c_str(), nullptr)) {
    for (PQconninfoOption* option = parsed; option->keyword != nullptr; ++option) {
      if (std::string_view(option->keyword) == "password" && option->val != nullptr) {
        secrets.emplace_back(option->val);
      }
    }
    PQconninfoFree(parsed);
  } else {
    message = WithoutQuotedPieces(std::move(message));
    for (std::string& value : PasswordValues(url)) secrets.push_back(std::move(value));
  }
  std::sort(secrets.begin(), secrets.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    for (std::size_t found = message.find(secret); found != std::string::npos;
         found = message.find(secret, found + 3)) {
      message.replace(found, secret.size(), "***");
    }
  }
  return message;
}

constexpr const char* kServerSideSettings =
    "SELECT set_config(s.name, ours.value, false) FROM pg_settings AS s"
    " JOIN (VALUES ('tcp_keepalives_idle', '30'), ('tcp_keepalives_interval', '10'),"
    " ('tcp_keepalives_count', '3'), ('tcp_user_timeout', '60000'),"
    " ('idle_in_transaction_session_timeout', '60000')) AS ours (name, value) USING (name)"
    " WHERE s.source = 'default'";

// The server's side of a session as the client's (Open): a node whose machine vanished in the
// middle of a batch would hold that batch's rows and locks, and stall the other nodes' writers,
// for up to two hours; and no transaction of ours waits a minute between two statements. Set in
// every session, after connecting, not as startup options (which connection poolers refuse),
// and only where nobody chose otherwise.
void TuneServerSide(PGconn* connection) {
  PGresult* tuned = PQexec(connection, kServerSideSettings);
  if (PQresultStatus(tuned) != PGRES_TUPLES_OK) {
    core::Log(core::LogLevel::warn, "store.postgres_settings_refused", {});
  }
  PQclear(tuned);
}

}  // namespace

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& url) {
  // Ours first: what the URL says comes later and wins. A connection that dies without a word
  // (a failover, a firewall that forgets idle connections) is noticed within about a minute:
  // the node's doorbell listener would otherwise wait for rings on it for hours, and a statement
  // sent on it would hang until the kernel gives up (some fifteen minutes).
  // Only a server that takes writes: after a failover, the one that became the primary.
  const char* keywords[] = {"connect_timeout",  "target_session_attrs",
                            "application_name", "keepalives",
                            "keepalives_idle",  "keepalives_interval",
                            "keepalives_count", "tcp_user_timeout",
                            "dbname",           nullptr};
  const char* values[] = {"5",  "read-write", "uitweg", "1",         "30",
                          "10", "3",          "60000",  url.c_str(), nullptr};
  PGconn* connection = PQconnectdbParams(keywords, values, 1);
  if (connection == nullptr) {
    return core::Fail(core::Errc::unavailable, "cannot connect to PostgreSQL: out of memory");
  }
  if (PQstatus(connection) != CONNECTION_OK) {
    std::string message = PQerrorMessage(connection);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
      message.pop_back();
    }
    PQfinish(connection);
    return core::Fail(core::Errc::unavailable,
                      "cannot connect to PostgreSQL: " + WithoutPassword(url, std::move(message)));
  }
  TuneServerSide(connection);
  return std::unique_ptr<Connection>(new Connection(connection));
}

Connection::~Connection() {
  PQfinish(connection_);
}

core::Error Connection::LastError(pg_result* result) const {
  if (PQstatus(connection_) != CONNECTION_OK) {
    return core::Fail(core::Errc::unavailable, "the connection to PostgreSQL was lost");
  }
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  const std::string_view code = state ? state : "";
  return core::Fail(ErrcForState(code), std::string(primary ? primary : "the statement failed") +
                                            " (SQLSTATE " + std::string(code) + ")");
}

Status Connection::Exec(std::string_view sql) {
  std::string text;
  for (const std::string& statement : preceding_) text += statement + "; ";
  preceding_.clear();
  text += sql;
  PGresult* result = PQexec(connection_, text.c_str());
  const ExecStatusType status = PQresultStatus(result);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
    PQclear(result);
    return {};
  }
  core::Error error = LastError(result);
  PQclear(result);
  return error;
}

Status Connection::RunPreceding() {
  if (preceding_.empty()) return {};
  const Status ran = Exec("");
  if (!ran && InTransaction()) (void)Exec("ROLLBACK");
  return ran;
}

Result<std::string> Connection::Prepared(std::string_view sql) {
  std::string text(sql);
  auto prepared = prepared_.find(text);
  if (prepared != prepared_.end()) return prepared->second;
  // Prepared outside any pipeline: what Precede kept (a ROLLBACK TO, say) must have run by then.
  UITWEG_TRY(RunPreceding());
  const std::string name = "s" + std::to_string(++names_given_);
  PGresult* made = PQprepare(connection_, name.c_str(), text.c_str(), 0, nullptr);
  if (PQresultStatus(made) != PGRES_COMMAND_OK) {
    core::Error error = LastError(made);
    PQclear(made);
    return error;
  }
  PQclear(made);
  prepared_.emplace(std::move(text), name);
  return name;
}

Result<Rows> Connection::Query(std::string_view sql, std::span<const Param> params) {
  if (!preceding_.empty()) {
    UITWEG_TRY(OpenPipeline());
    Send(sql, params);
    const Status synced = SyncPipeline();
    Result<Rows> rows = synced ? Next() : Result<Rows>(synced.error());
    UITWEG_TRY(ClosePipeline());
    return rows;
  }
  UITWEG_TRY_ASSIGN(const std::string name, Prepared(sql));
  const ParamArrays arrays(params);
  PGresult* result = PQexecPrepared(connection_, name.c_str(), arrays.count(), arrays.values(),
                                    arrays.lengths(), arrays.formats(), 0);
  const ExecStatusType status = PQresultStatus(result);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return Rows(result);
  core::Error error = LastError(result);
  PQclear(result);
  return error;
}

// --- Pipelines

Status Connection::OpenPipeline() {
  owed_.clear();
  pipeline_broken_ = false;
  kept_failed_.reset();
  prepare_failed_.reset();
  if (PQpipelineStatus(connection_) != PQ_PIPELINE_OFF || PQenterPipelineMode(connection_) != 1) {
    preceding_.clear();
    return core::Fail(core::Errc::unavailable, "the connection to PostgreSQL was lost");
  }
  for (const std::string& statement : std::exchange(preceding_, {})) {
    SendUnprepared(statement, Owed::Kind::kept);
  }
  return {};
}

void Connection::SendUnprepared(const std::string& sql, Owed::Kind kind) {
  pipeline_broken_ = pipeline_broken_ || PQsendQueryParams(connection_, sql.c_str(), 0, nullptr,
                                                           nullptr, nullptr, nullptr, 0) != 1;
  owed_.push_back({kind, {}});
}

void Connection::SendControl(std::string_view sql) {
  SendUnprepared(std::string(sql), Owed::Kind::statement);
}

void Connection::Send(std::string_view sql, std::span<const Param> params) {
  if (pipeline_broken_) return;
  std::string text(sql);
  auto prepared = prepared_.find(text);
  if (prepared == prepared_.end()) {
    // Counted as prepared from now on, so that a second use in this pipeline does not prepare it
    // again; ReadAhead forgets it should the preparation fail or be skipped.
    const std::string name = "s" + std::to_string(++names_given_);
    pipeline_broken_ = PQsendPrepare(connection_, name.c_str(), text.c_str(), 0, nullptr) != 1;
    owed_.push_back({Owed::Kind::prepare, text});
    prepared = prepared_.emplace(std::move(text), name).first;
  }
  const ParamArrays arrays(params);
  pipeline_broken_ =
      pipeline_broken_ ||
      PQsendQueryPrepared(connection_, prepared->second.c_str(), arrays.count(), arrays.values(),
                          arrays.lengths(), arrays.formats(), 0) != 1;
  owed_.push_back({Owed::Kind::statement, {}});
}

Status Connection::SyncPipeline() {
  pipeline_broken_ = pipeline_broken_ || PQpipelineSync(connection_) != 1;
  if (pipeline_broken_) {
    return core::Fail(core::Errc::unavailable, "the connection to PostgreSQL was lost");
  }
  return {};
}

pg_result* Connection::ReadPipelined() {
  PGresult* result = pipeline_broken_ ? nullptr : PQgetResult(connection_);
  if (result == nullptr) {
    pipeline_broken_ = true;
    return nullptr;
  }
  // Each statement's results end in a null.
  while (PGresult* rest = PQgetResult(connection_)) PQclear(rest);
  return result;
}

void Connection::ReadAhead() {
  while (!owed_.empty() && owed_.front().kind != Owed::Kind::statement) {
    const Owed owed = std::move(owed_.front());
    owed_.pop_front();
    PGresult* result = ReadPipelined();
    if (result == nullptr) return;
    const ExecStatusType status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK &&
        status != PGRES_PIPELINE_ABORTED) {
      if (owed.kind == Owed::Kind::kept && !kept_failed_) kept_failed_ = LastError(result);
      if (owed.kind == Owed::Kind::prepare) {
        prepare_failed_ = LastError(result);
        prepared_.erase(owed.sql);
      }
    } else if (owed.kind == Owed::Kind::prepare && status == PGRES_PIPELINE_ABORTED) {
      prepared_.erase(owed.sql);
    }
    PQclear(result);
  }
}

Result<Rows> Connection::Next() {
  ReadAhead();
  if (owed_.empty()) return core::Fail(core::Errc::internal, "no statement left in the pipeline");
  owed_.pop_front();
  PGresult* result = ReadPipelined();
  if (result == nullptr) {
    return core::Fail(core::Errc::unavailable, "the connection to PostgreSQL was lost");
  }
  const ExecStatusType status = PQresultStatus(result);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return Rows(result);
  core::Error error =
      status == PGRES_PIPELINE_ABORTED
          ? core::Fail(core::Errc::aborted, "skipped: a statement before it in the pipeline failed")
          : LastError(result);
  if (prepare_failed_) error = *std::exchange(prepare_failed_, std::nullopt);
  PQclear(result);
  return error;
}

Status Connection::ClosePipeline() {
  while (!owed_.empty()) {
    ReadAhead();
    if (owed_.empty()) break;
    owed_.pop_front();
    PQclear(ReadPipelined());
  }
  if (!pipeline_broken_) {
    PGresult* sync = PQgetResult(connection_);
    pipeline_broken_ = sync == nullptr || PQresultStatus(sync) != PGRES_PIPELINE_SYNC;
    PQclear(sync);
  }
  pipeline_broken_ = PQexitPipelineMode(connection_) != 1 || pipeline_broken_;
  prepare_failed_.reset();
  if (pipeline_broken_ || PQstatus(connection_) != CONNECTION_OK) {
    // What the server holds of this session is unknown now: start a new one.
    owed_.clear();
    NewSession();
    return core::Fail(core::Errc::unavailable, "the connection to PostgreSQL was lost");
  }
  if (kept_failed_) {
    if (InTransaction()) (void)Exec("ROLLBACK");
    return *std::exchange(kept_failed_, std::nullopt);
  }
  return {};
}

Status Connection::BeginCopy(std::string_view copy_sql) {
  PGresult* result = PQexec(connection_, std::string(copy_sql).c_str());
  const bool ok = PQresultStatus(result) == PGRES_COPY_IN;
  core::Error error = ok ? core::Error{} : LastError(result);
  PQclear(result);
  if (!ok) return error;
  return {};
}

Status Connection::CopyRows(std::string_view rows) {
  if (PQputCopyData(connection_, rows.data(), static_cast<int>(rows.size())) != 1) {
    return core::Fail(core::Errc::unavailable, "the bulk load was cut off");
  }
  return {};
}

Status Connection::EndCopy() {
  if (PQputCopyEnd(connection_, nullptr) != 1) {
    return core::Fail(core::Errc::unavailable, "the bulk load was cut off");
  }
  PGresult* result = PQgetResult(connection_);
  const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  core::Error error = ok ? core::Error{} : LastError(result);
  PQclear(result);
  while (PGresult* rest = PQgetResult(connection_)) PQclear(rest);
  if (!ok) return error;
  return {};
}

int Connection::Socket() const {
  return PQsocket(connection_);
}

Result<std::vector<std::string>> Connection::Notifications() {
  if (PQconsumeInput(connection_) == 0 || PQstatus(connection_) != CONNECTION_OK) {
    return core::Fail(core::Errc::unavailable, "the connection to PostgreSQL was lost");
  }
  std::vector<std::string> payloads;
  while (PGnotify* notification = PQnotifies(connection_)) {
    payloads.emplace_back(notification->extra);
    PQfreemem(notification);
  }
  return payloads;
}

bool Connection::InTransaction() {
  (void)RunPreceding();
  const PGTransactionStatusType status = PQtransactionStatus(connection_);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

bool Connection::Lost() {
  // A server that ended the session sends a last error and closes; libpq may not have read the
  // close yet, and reading what has come finds it.
  if (PQstatus(connection_) == CONNECTION_OK && PQconsumeInput(connection_) == 0) return true;
  return PQstatus(connection_) != CONNECTION_OK;
}

Status Connection::Ready() {
  preceding_.clear();
  // A pipeline that could not be ended leaves the connection unusable for anything else.
  if (PQstatus(connection_) == CONNECTION_OK && PQpipelineStatus(connection_) == PQ_PIPELINE_OFF) {
    return {};
  }
  NewSession();
  if (PQstatus(connection_) != CONNECTION_OK) {
    return core::Fail(core::Errc::unavailable, "PostgreSQL cannot be reached");
  }
  return {};
}

void Connection::NewSession() {
  PQreset(connection_);
  ++sessions_;
  prepared_.clear();
  if (PQstatus(connection_) == CONNECTION_OK) TuneServerSide(connection_);
}

Status LockForTransaction(Connection& db, std::int64_t key) {
  if (db.WaitsForLocks()) {
    UITWEG_TRY(db.Query("SELECT pg_advisory_xact_lock($1)", {key}));
    return {};
  }
  UITWEG_TRY_ASSIGN(Rows taken, db.Query("SELECT pg_try_advisory_xact_lock($1)::INT", {key}));
  if (taken.empty() || taken[0].Int(0) != 1) {
    return core::Fail(core::Errc::deadline_exceeded, "another node holds the lock");
  }
  return {};
}

}  // namespace uitweg::store::postgres
