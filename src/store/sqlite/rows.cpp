#include "store/sqlite/rows.hpp"

namespace uitweg::store::sqlite {

using model::Conversation;
using model::EndReason;
using model::Message;
using model::StaffAccount;
using model::StaffSession;

namespace {

core::Error Corrupt(const char* what) {
  return core::Fail(core::Errc::internal, std::string("unknown value in stored ") + what);
}

}  // namespace

Result<StaffAccount> ReadAccount(const Statement& row) {
  StaffAccount account;
  account.id = row.Int(0);
  account.username = row.Text(1);
  if (!ParseRole(row.Text(2), account.role)) return Corrupt("role");
  account.display_name = row.Text(3);
  account.password_hash = row.Text(4);
  account.disabled = row.Int(5) != 0;
  account.created_at = row.Int(6);
  return account;
}

StaffSession ReadSession(const Statement& row) {
  StaffSession session;
  session.token_hash = row.Text(0);
  session.account_id = row.Int(1);
  session.csrf_token = row.Text(2);
  session.created_at = row.Int(3);
  session.last_seen_at = row.Int(4);
  return session;
}

Result<Conversation> ReadConversation(const Statement& row) {
  Conversation conversation;
  conversation.id = row.Text(0);
  if (!ParseConversationStatus(row.Text(1), conversation.status)) return Corrupt("status");
  if (!ParseSubject(row.Text(2), conversation.subject)) return Corrupt("subject");
  conversation.nickname = row.Blob(3);
  conversation.counsellor_id = row.OptionalInt(4);
  conversation.urgency = static_cast<std::int32_t>(row.Int(5));
  conversation.last_seq = row.Int(6);
  conversation.created_at = row.Int(7);
  conversation.accepted_at = row.OptionalInt(8);
  conversation.ended_at = row.OptionalInt(9);
  if (!row.IsNull(10)) {
    EndReason reason{};
    if (!ParseEndReason(row.Text(10), reason)) return Corrupt("end reason");
    conversation.end_reason = reason;
  }
  return conversation;
}

Result<Message> ReadMessage(const Statement& row) {
  Message message;
  message.conversation_id = row.Text(0);
  message.seq = row.Int(1);
  if (!ParseMessageKind(row.Text(2), message.kind)) return Corrupt("message kind");
  if (!ParseSender(row.Text(3), message.sender)) return Corrupt("sender");
  message.author_id = row.OptionalInt(4);
  message.client_id = row.Text(5);
  message.body = row.Blob(6);
  message.created_at = row.Int(7);
  message.body_shredded = row.Int(8) != 0;
  return message;
}

Result<Conversation> LoadConversation(Connection& connection, std::string_view id) {
  static const std::string sql =
      std::string("SELECT ") + kConversationColumns + " FROM conversation WHERE id = ?1";
  auto statement = connection.Prepare(sql);
  if (!statement) return statement.error();
  statement->Bind(1, id);
  return ReadOne<Conversation>(*statement, ReadConversation, "conversation not found");
}

}  // namespace uitweg::store::sqlite
