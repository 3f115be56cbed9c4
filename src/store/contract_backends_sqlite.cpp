// The contract suite on SQLite (store_contract_test): see ContractBackends in contract_fixture.hpp.

#include "store/contract_fixture.hpp"
#include "store/encrypting_test_database.hpp"
#include "store/sqlite/sqlite_test_database.hpp"

namespace uitweg::store {

std::vector<StoreBackend> ContractBackends() {
  return {sqlite::SqliteTestBackend(), EncryptingTestBackend(sqlite::SqliteTestBackend())};
}

}  // namespace uitweg::store
