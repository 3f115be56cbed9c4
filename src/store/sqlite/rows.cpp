#include "store/sqlite/rows.hpp"

namespace uitweg::store::sqlite {

using model::Conversation;

Result<Conversation> LoadConversation(Connection& connection, std::string_view id) {
  static const std::string sql =
      std::string("SELECT ") + kConversationColumns + " FROM conversation WHERE id = ?1";
  auto statement = connection.Prepare(sql);
  if (!statement) return statement.error();
  statement->Bind(1, id);
  return ReadOne<Conversation>(*statement, ReadConversation<Statement>, "conversation not found");
}

}  // namespace uitweg::store::sqlite
