#pragma once
// Test support for the store contract suites: a backend is a way to make fresh, empty databases.
// Each backend (SQLite plain and encrypted today) provides one StoreBackend; the contract suites
// run every case against each of them.

#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <ostream>
#include <string>

#include "store/database.hpp"

namespace uitweg::store {

// One fresh database, owned by one test. Destroying it deletes the database.
class TestDatabase {
 public:
  virtual ~TestDatabase() = default;
  // The stores over this database. May be called again after the previous ones are destroyed,
  // to reopen the same data. Writes are answered on a thread of the backend's.
  virtual Result<Database> Open() = 0;
  // Records `version` as applied, as a newer binary would have, so that Open must refuse the
  // database. Call only while no Database is open.
  virtual Status ForceSchemaVersion(std::int64_t version) = 0;
};

struct StoreBackend {
  std::string name;  // a test-name-safe word: "sqlite"
  std::function<std::unique_ptr<TestDatabase>()> create;
};

// GoogleTest prints a parameter in test listings; the name says all there is to say.
inline void PrintTo(const StoreBackend& backend, std::ostream* out) {
  *out << backend.name;
}

// Runs a write and waits for its answer: `start` gets the Done to pass to the store.
template <class T, class Start>
Result<T> Await(Start&& start) {
  std::promise<Result<T>> answer;
  std::future<Result<T>> answered = answer.get_future();
  start(Done<T>([&answer](Result<T> result) { answer.set_value(std::move(result)); }));
  return answered.get();
}

}  // namespace uitweg::store
