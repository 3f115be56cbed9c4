#include "core/files.hpp"

#include <system_error>
#include <vector>

namespace uitweg::core {

Status CreatePrivateFolder(const std::filesystem::path& folder) {
  if (folder.empty()) return {};
  std::error_code ec;
  std::vector<std::filesystem::path> missing;
  for (auto at = folder; !at.empty() && !std::filesystem::exists(at, ec); at = at.parent_path()) {
    missing.push_back(at);
    if (at == at.parent_path()) break;
  }
  // Parents first, each owner-only as soon as it exists.
  for (auto it = missing.rbegin(); it != missing.rend() && !ec; ++it) {
    std::filesystem::create_directory(*it, ec);
    if (!ec) {
      std::filesystem::permissions(*it, std::filesystem::perms::owner_all,
                                   std::filesystem::perm_options::replace, ec);
    }
  }
  if (ec) {
    return Fail(Errc::unavailable, "cannot create folder " + folder.string() + ": " + ec.message());
  }
  return {};
}

}  // namespace uitweg::core
