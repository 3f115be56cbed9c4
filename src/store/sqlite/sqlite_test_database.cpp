#include "store/sqlite/sqlite_test_database.hpp"

#include <unistd.h>

#include <atomic>
#include <filesystem>

#include "store/sqlite/connection.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace uitweg::store::sqlite {
namespace {

class SqliteTestDatabase final : public TestDatabase {
 public:
  SqliteTestDatabase() {
    static std::atomic<int> counter{0};
    folder_ = std::filesystem::temp_directory_path() /
              ("uitweg-store-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    std::filesystem::remove_all(folder_);
  }
  ~SqliteTestDatabase() override {
    std::error_code ignored;
    std::filesystem::remove_all(folder_, ignored);
  }

  Result<Database> Open() override {
    return OpenSqliteDatabase(SqliteOptions{
        .path = (folder_ / "uitweg.db").string(), .reader_count = 4, .max_batch = 512});
  }

  Status ForceSchemaVersion(std::int64_t version) override {
    auto db =
        Connection::Open((folder_ / "uitweg.db").string(), Connection::Mode::read_write, 1000);
    if (!db) return db.error();
    auto insert = (*db)->Prepare(
        "INSERT INTO schema_version (version, name, applied_at) VALUES (?1, 'from_the_future', 0)");
    if (!insert) return insert.error();
    return insert->Bind(1, version).Run();
  }

 private:
  std::filesystem::path folder_;
};

}  // namespace

StoreBackend SqliteTestBackend() {
  return StoreBackend{"sqlite", [] { return std::make_unique<SqliteTestDatabase>(); }};
}

}  // namespace uitweg::store::sqlite
