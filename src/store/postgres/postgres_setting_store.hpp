#pragma once
// The PostgreSQL SettingStore.

#include <memory>

#include "store/postgres/connections.hpp"
#include "store/setting_store.hpp"

namespace uitweg::store::postgres {

class PostgresSettingStore final : public SettingStore {
 public:
  explicit PostgresSettingStore(std::shared_ptr<Connections> connections)
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

}  // namespace uitweg::store::postgres
