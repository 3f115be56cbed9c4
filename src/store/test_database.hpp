#pragma once
// Test support for the store contract suite: a backend is a way to make fresh, empty databases.
// Each backend (SQLite today, PostgreSQL later) provides one StoreBackend; store_contract_test
// runs every case against each of them.

#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "store/store.hpp"

namespace uitweg::store {

// One fresh database, owned by one test. Destroying it deletes the database.
class TestDatabase {
 public:
  virtual ~TestDatabase() = default;
  // A Store over this database. May be called again after the previous Store is destroyed,
  // to reopen the same data.
  virtual Result<std::unique_ptr<Store>> Open() = 0;
  // Records `version` as applied, as a newer binary would have, so that Open must refuse the
  // database. Call only while no Store is open.
  virtual Status ForceSchemaVersion(std::int64_t version) = 0;
};

struct StoreBackend {
  std::string name;  // a test-name-safe word: "sqlite"
  std::function<std::unique_ptr<TestDatabase>()> create;
};

// GoogleTest prints a parameter in test listings; the name says all there is to say.
inline void PrintTo(const StoreBackend& backend, std::ostream* out) { *out << backend.name; }

}  // namespace uitweg::store
