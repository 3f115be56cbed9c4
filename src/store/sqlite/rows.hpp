#pragma once
// Reading rows of an SQLite statement into domain structs (with store/rows.hpp).

#include "model/conversation.hpp"
#include "model/message.hpp"
#include "model/staff.hpp"
#include "store/conversation_store.hpp"
#include "store/rows.hpp"
#include "store/sqlite/connection.hpp"

namespace uitweg::store::sqlite {

// Steps `statement` once and reads one row with `read`; not_found with `missing` if there is
// no row.
template <class T, class Read>
Result<T> ReadOne(Statement& statement, Read read, const char* missing) {
  auto row = statement.Step();
  if (!row) return row.error();
  if (!*row) return core::Fail(core::Errc::not_found, missing);
  return read(statement);
}

// Steps `statement` to the end and reads every row with `read`.
template <class T, class Read>
Result<std::vector<T>> ReadAll(Statement& statement, Read read) {
  std::vector<T> out;
  for (;;) {
    auto row = statement.Step();
    if (!row) return row.error();
    if (!*row) return out;
    Result<T> item = read(statement);
    if (!item) return item.error();
    out.push_back(std::move(*item));
  }
}

}  // namespace uitweg::store::sqlite

namespace uitweg::store::sqlite {

// The conversation `id` as `connection` sees it; not_found if there is none.
Result<model::Conversation> LoadConversation(Connection& connection, std::string_view id);
// For store/write_steps.hpp (defined with the conversation store): takes the conversation's next
// seq and stores the event under it; the earlier entry a resend repeats.
Result<model::Message> AppendEvent(Connection& db, model::Message entry);
Result<model::Message> FindResend(Connection& db, const NewMessage& message);

}  // namespace uitweg::store::sqlite
