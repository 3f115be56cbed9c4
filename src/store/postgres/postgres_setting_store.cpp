#include "store/postgres/postgres_setting_store.hpp"

namespace uitweg::store::postgres {

core::Result<std::optional<Setting>> PostgresSettingStore::ReadSetting(std::string_view name) {
  return connections_->WithReader([&](Connection& db) -> core::Result<std::optional<Setting>> {
    UITWEG_TRY_ASSIGN(Rows rows, db.Query("SELECT value, updated_at FROM setting WHERE name = $1",
                                          {std::string(name)}));
    if (rows.size() == 0) return std::optional<Setting>();
    return std::optional<Setting>(Setting{.value = rows[0].Text(0), .updated_at = rows[0].Int(1)});
  });
}

core::Status PostgresSettingStore::WriteSetting(std::string_view name, std::string_view value,
                                                core::UnixMillis now) {
  return connections_->writer().Run<void>([&](Connection& db) -> core::Status {
    UITWEG_TRY(
        db.Query("INSERT INTO setting (name, value, updated_at)"
                 " VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE"
                 " SET value = excluded.value, updated_at = excluded.updated_at",
                 {std::string(name), std::string(value), now}));
    return {};
  });
}

core::Result<bool> PostgresSettingStore::WriteSettingIf(std::string_view name,
                                                        std::string_view value,
                                                        std::optional<std::string_view> expected,
                                                        core::UnixMillis now) {
  return connections_->writer().Run<bool>([&](Connection& db) -> core::Result<bool> {
    if (!expected) {
      UITWEG_TRY_ASSIGN(Rows inserted, db.Query("INSERT INTO setting (name, value, updated_at)"
                                                " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                                                {std::string(name), std::string(value), now}));
      return inserted.affected() == 1;
    }
    UITWEG_TRY_ASSIGN(Rows updated, db.Query("UPDATE setting SET value = $2, updated_at = $3"
                                             " WHERE name = $1 AND value = $4",
                                             {std::string(name), std::string(value), now,
                                              std::string(*expected)}));
    return updated.affected() == 1;
  });
}

}  // namespace uitweg::store::postgres
