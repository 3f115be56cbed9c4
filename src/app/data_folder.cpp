#include "app/data_folder.hpp"

#include <cstdlib>

#include "store/encrypting_conversation_store.hpp"
#include "store/postgres/postgres_database.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace uitweg::app {

std::string DatabasePath(const std::filesystem::path& data_dir) {
  return (data_dir / "uitweg.db").string();
}

std::string DataFolder(const std::optional<std::string>& flag) {
  if (flag) return *flag;
  const char* from_environment = std::getenv("UITWEG_DATA");
  if (from_environment != nullptr && *from_environment != '\0') return from_environment;
  return "./data";
}

core::Status RequireExistingDatabase(const std::filesystem::path& data_dir,
                                     const std::string& database) {
  if (!database.empty() || std::filesystem::exists(DatabasePath(data_dir))) return {};
  return core::Fail(core::Errc::not_found,
                    "there is no database at " + DatabasePath(data_dir) +
                        " (is the data folder right? --data, $UITWEG_DATA, data_dir)");
}

core::Result<core::FileLock> HoldDataFolder(const std::filesystem::path& data_dir) {
  UITWEG_TRY(core::CreatePrivateFolder(data_dir));
  auto locked = core::FileLock::TryAcquire(data_dir / "serve.lock");
  if (!locked && locked.error().code == core::Errc::failed_precondition) {
    return core::Fail(core::Errc::failed_precondition,
                      "another `uitweg serve` or `uitweg migrate-data` uses the data folder " +
                          data_dir.string());
  }
  return locked;
}

core::Result<std::string> DatabaseUrl(const std::optional<std::string>& flag) {
  std::string url;
  if (const char* from_environment = std::getenv("UITWEG_DATABASE")) url = from_environment;
  if (flag) url = *flag;
  if (!url.empty() && !store::IsPostgresUrl(url)) {
    return core::Fail(
        core::Errc::invalid_argument,
        std::string(flag ? "--database" : "UITWEG_DATABASE") + " must be a postgresql:// URL");
  }
  return url;
}

core::Result<store::Database> OpenDatabase(const std::filesystem::path& data_dir,
                                           const std::string& database, core::Post completions) {
  UITWEG_TRY(core::CreatePrivateFolder(data_dir.string()));
  if (!database.empty()) {
    return store::OpenPostgresDatabase(
        store::PostgresOptions{.url = database, .completions = std::move(completions)});
  }
  return store::OpenSqliteDatabase(
      store::SqliteOptions{.path = DatabasePath(data_dir), .completions = std::move(completions)});
}

core::Result<OpenedData> OpenDataFolder(const std::filesystem::path& data_dir,
                                        const std::string& database_url, core::Post completions,
                                        core::Post blocking) {
  UITWEG_TRY_ASSIGN(store::Database database,
                    OpenDatabase(data_dir, database_url, std::move(completions)));
  const char* master_key = std::getenv("UITWEG_MASTER_KEY");
  UITWEG_TRY_ASSIGN(std::shared_ptr<crypto::MasterKeys> keys,
                    store::EncryptAtRest(database, master_key != nullptr ? master_key : "",
                                         data_dir / "master.key", std::move(blocking)));
  return OpenedData{std::move(database), std::move(keys)};
}

}  // namespace uitweg::app
