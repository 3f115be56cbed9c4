#pragma once
// Settings that admins change while the service runs (the opening hours), shared by every node
// of a database: a name and a text value each, written whole. What a value means is the
// caller's (api/opening_hours_api.cpp).
//
// Thread safety and errors as AccountStore: any thread, blocking (call from workers);
// unavailable/internal when the database fails.

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace uitweg::store {

struct Setting {
  std::string value = {};
  core::UnixMillis updated_at = 0;
};

class SettingStore {
 public:
  virtual ~SettingStore() = default;

  // nullopt when it was never written.
  virtual core::Result<std::optional<Setting>> ReadSetting(std::string_view name) = 0;
  // Creates or replaces it.
  virtual core::Status WriteSetting(std::string_view name, std::string_view value,
                                    core::UnixMillis now) = 0;
  // Replaces it only while its value is still `expected` (nullopt: creates it only while it was
  // never written), so that a change made meanwhile is not written over. Whether it was written.
  virtual core::Result<bool> WriteSettingIf(std::string_view name, std::string_view value,
                                            std::optional<std::string_view> expected,
                                            core::UnixMillis now) = 0;
};

// A short name for what is stored ("" while it was never written), for an editor to send back
// with its change: WriteSettingOver then writes only over what the editor started from.
std::string SettingVersion(const std::optional<Setting>& stored);

// Replaces it only while its SettingVersion is still `based_on`, so that a colleague's change
// made meanwhile is not written over. Whether it was written.
core::Result<bool> WriteSettingOver(SettingStore& settings, std::string_view name,
                                    std::string_view value, std::string_view based_on,
                                    core::UnixMillis now);

}  // namespace uitweg::store
