#pragma once
// The stores of one database, opened together (by OpenSqliteDatabase, say) and closed together
// when this is destroyed: queued writes are committed and answered first.

#include <memory>
#include <string>

#include "store/account_store.hpp"
#include "store/conversation_store.hpp"

namespace uitweg::store {

struct Database {
  std::string backend;  // "sqlite"; named by GET /healthz
  std::unique_ptr<AccountStore> accounts;
  std::unique_ptr<ConversationStore> conversations;
};

}  // namespace uitweg::store
