#pragma once
// What the PostgreSQL stores of one database share: the writer thread with group commit on a
// connection of its own (store/group_commit/writer.hpp) and a pool of connections for reads.
// The account and conversation stores each hold it; the last one to go closes it, after every
// queued write has been committed and answered.
//
// Thread safety: as its parts.

#include <memory>

#include "store/connection_pool.hpp"
#include "store/group_commit/writer.hpp"
#include "store/postgres/connection.hpp"
#include "store/postgres/postgres_database.hpp"

namespace uitweg::store::postgres {

using Writer = GroupCommitWriter<Connection>;
using ReaderPool = ConnectionPool<Connection>;

class Connections {
 public:
  static Result<std::shared_ptr<Connections>> Open(const PostgresOptions& options);
  ~Connections();
  Connections(const Connections&) = delete;
  Connections& operator=(const Connections&) = delete;

  Writer& writer() { return *writer_; }

  // Runs `read` with a connection borrowed from the pool, reconnected first if it broke. A
  // connection the server dropped while it sat in the pool (PostgreSQL restarted, an idle
  // timeout) only says so when used: then `read` runs once more on a new connection, which is
  // safe because it only reads.
  template <class Read>
  auto WithReader(Read read) -> decltype(read(std::declval<Connection&>())) {
    auto lease = readers_->Acquire();
    if (Status ready = lease->Ready(); !ready) return ready.error();
    auto result = read(*lease);
    if (result || !lease->Lost()) return result;
    if (Status ready = lease->Ready(); !ready) return ready.error();
    return read(*lease);
  }

 private:
  Connections(std::unique_ptr<Writer> writer, std::unique_ptr<ReaderPool> readers)
      : writer_(std::move(writer)), readers_(std::move(readers)) {}

  std::unique_ptr<Writer> writer_;
  std::unique_ptr<ReaderPool> readers_;
};

// The conversation `id` as `connection` sees it; not_found if there is none.
Result<model::Conversation> LoadConversation(Connection& connection, std::string_view id);
// For store/write_steps.hpp (defined with the conversation store): takes the conversation's next
// seq and stores the event under it; the earlier entry a resend repeats.
Result<model::Message> AppendEvent(Connection& db, model::Message entry);
Result<model::Message> FindResend(Connection& db, const NewMessage& message);

// Reads the single row of `rows` with `read`; not_found with `missing` if there is none.
template <class T, class Read>
Result<T> ReadOne(const Rows& rows, Read read, const char* missing) {
  if (rows.empty()) return core::Fail(core::Errc::not_found, missing);
  return read(rows[0]);
}

// Reads every row of `rows` with `read`.
template <class T, class Read>
Result<std::vector<T>> ReadAll(const Rows& rows, Read read) {
  std::vector<T> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    Result<T> item = read(rows[i]);
    if (!item) return item.error();
    out.push_back(std::move(*item));
  }
  return out;
}

}  // namespace uitweg::store::postgres
