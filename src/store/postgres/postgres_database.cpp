#include "store/postgres/postgres_database.hpp"

#include "store/postgres/connections.hpp"
#include "store/postgres/postgres_account_store.hpp"
#include "store/postgres/postgres_conversation_store.hpp"

namespace uitweg::store {

Result<Database> OpenPostgresDatabase(const PostgresOptions& options) {
  UITWEG_TRY_ASSIGN(auto connections, postgres::Connections::Open(options));
  return Database{
      .backend = "postgresql",
      .accounts = std::make_unique<postgres::PostgresAccountStore>(connections),
      .conversations = std::make_unique<postgres::PostgresConversationStore>(connections)};
}

}  // namespace uitweg::store
