#pragma once
// The SQLite SettingStore: reads from the reader pool, writes through the one writer.

#include <memory>

#include "store/setting_store.hpp"
#include "store/sqlite/connections.hpp"

namespace uitweg::store::sqlite {

class SqliteSettingStore final : public SettingStore {
 public:
  explicit SqliteSettingStore(std::shared_ptr<Connections> connections)
      : connections_(std::move(connections)) {}

  core::Result<std::optional<Setting>> ReadSetting(std::string_view name) override;
  core::Status WriteSetting(std::string_view name, std::string_view value,
                            core::UnixMillis now) override;
  core::Result<bool> WriteSettingIf(std::string_view name, std::string_view value,
                                    std::optional<std::string_view> expected,
                                    core::UnixMillis now) override;

 private:
  std::shared_ptr<Connections> connections_;
};

}  // namespace uitweg::store::sqlite
