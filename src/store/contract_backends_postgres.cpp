// The contract suite on PostgreSQL (store_contract_postgres_test): see ContractBackends in
// contract_fixture.hpp.

#include "store/contract_fixture.hpp"
#include "store/encrypting_test_database.hpp"
#include "store/testing/postgres_test_database.hpp"

namespace uitweg::store {

std::vector<StoreBackend> ContractBackends() {
  return {postgres::PostgresTestBackend(), EncryptingTestBackend(postgres::PostgresTestBackend())};
}

}  // namespace uitweg::store
