#include "store/setting_store.hpp"

#include "crypto/random.hpp"

namespace uitweg::store {

std::string SettingVersion(const std::optional<Setting>& stored) {
  return stored ? crypto::HashToken(stored->value).substr(0, 16) : std::string();
}

core::Result<bool> WriteSettingOver(SettingStore& settings, std::string_view name,
                                    std::string_view value, std::string_view based_on,
                                    core::UnixMillis now) {
  UITWEG_TRY_ASSIGN(const std::optional<Setting> current, settings.ReadSetting(name));
  if (SettingVersion(current) != based_on) return false;
  const auto expected = current ? std::optional<std::string_view>(current->value) : std::nullopt;
  return settings.WriteSettingIf(name, value, expected, now);
}

}  // namespace uitweg::store
