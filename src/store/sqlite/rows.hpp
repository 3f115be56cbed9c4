#pragma once
// The column lists that the SQLite store selects, and the functions that turn a row of them
// into a domain struct. A stored enum name that this binary does not know is reported as
// internal (a corrupt or foreign database), never guessed.

#include "model/conversation.hpp"
#include "model/message.hpp"
#include "model/staff.hpp"
#include "store/conversation_store.hpp"
#include "store/sqlite/connection.hpp"

namespace uitweg::store::sqlite {

// SELECT <kAccountColumns> FROM staff_account ...
inline constexpr const char* kAccountColumns =
    "id, username, role, display_name, password_hash, disabled, created_at";
inline constexpr const char* kSessionColumns =
    "token_hash, account_id, csrf_token, created_at, last_seen_at";
inline constexpr const char* kConversationColumns =
    "id, status, subject, nickname, counsellor_id, urgency, last_seq, created_at, accepted_at, "
    "ended_at, end_reason";
inline constexpr const char* kMessageColumns =
    "conversation_id, seq, kind, sender, author_id, client_id, body, created_at, body_shredded";

Result<model::StaffAccount> ReadAccount(const Statement& row);
model::StaffSession ReadSession(const Statement& row);
Result<model::Conversation> ReadConversation(const Statement& row);
Result<model::Message> ReadMessage(const Statement& row);

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

}  // namespace uitweg::store::sqlite
