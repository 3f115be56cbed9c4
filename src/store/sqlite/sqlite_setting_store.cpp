#include "store/sqlite/sqlite_setting_store.hpp"

#include "store/sqlite/rows.hpp"

namespace uitweg::store::sqlite {

core::Result<std::optional<Setting>> SqliteSettingStore::ReadSetting(std::string_view name) {
  return connections_->WithReader([&](Connection& db) -> core::Result<std::optional<Setting>> {
    UITWEG_TRY_ASSIGN(auto select,
                      db.Prepare("SELECT value, updated_at FROM setting WHERE name = ?1"));
    select.Bind(1, name);
    UITWEG_TRY_ASSIGN(const bool row, select.Step());
    if (!row) return std::optional<Setting>();
    return std::optional<Setting>(Setting{.value = select.Text(0), .updated_at = select.Int(1)});
  });
}

core::Status SqliteSettingStore::WriteSetting(std::string_view name, std::string_view value,
                                              core::UnixMillis now) {
  return connections_->writer().Run<void>([&](Connection& db) -> core::Status {
    UITWEG_TRY_ASSIGN(auto upsert,
                      db.Prepare("INSERT INTO setting (name, value, updated_at) VALUES (?1, ?2, ?3)"
                                 " ON CONFLICT (name) DO UPDATE SET value = excluded.value,"
                                 " updated_at = excluded.updated_at"));
    return upsert.Bind(1, name).Bind(2, value).Bind(3, now).Run();
  });
}

core::Result<bool> SqliteSettingStore::WriteSettingIf(std::string_view name, std::string_view value,
                                                      std::optional<std::string_view> expected,
                                                      core::UnixMillis now) {
  return connections_->writer().Run<bool>([&](Connection& db) -> core::Result<bool> {
    if (!expected) {
      UITWEG_TRY_ASSIGN(auto insert, db.Prepare("INSERT INTO setting (name, value, updated_at)"
                                                " VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING"));
      UITWEG_TRY(insert.Bind(1, name).Bind(2, value).Bind(3, now).Run());
      return db.Changes() == 1;
    }
    UITWEG_TRY_ASSIGN(auto update, db.Prepare("UPDATE setting SET value = ?2, updated_at = ?3"
                                              " WHERE name = ?1 AND value = ?4"));
    UITWEG_TRY(update.Bind(1, name).Bind(2, value).Bind(3, now).Bind(4, *expected).Run());
    return db.Changes() == 1;
  });
}

}  // namespace uitweg::store::sqlite
