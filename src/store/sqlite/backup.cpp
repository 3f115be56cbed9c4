#include "store/sqlite/backup.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "store/sqlite/connection.hpp"

namespace uitweg::store {

core::Result<BackupResult> BackupSqliteDatabase(const std::string& source,
                                                const std::string& target) {
  if (!std::filesystem::exists(source)) {
    return core::Fail(core::Errc::not_found, "no database at " + source);
  }
  // Created owner-only before SQLite opens it: the copy is as confidential as the original.
  const int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) {
      return core::Fail(core::Errc::already_exists, target + " exists already; choose a new file");
    }
    return core::Fail(core::Errc::unavailable,
                      "cannot create " + target + ": " + std::strerror(errno));
  }
  ::close(fd);
  auto copied = [&]() -> core::Result<int> {
    UITWEG_TRY_ASSIGN(auto from,
                      sqlite::Connection::Open(source, sqlite::Connection::Mode::read_only, 5000));
    UITWEG_TRY_ASSIGN(auto to,
                      sqlite::Connection::Open(target, sqlite::Connection::Mode::read_write, 5000));
    return from->BackupTo(*to);
  }();
  if (!copied) {
    std::error_code ignored;
    std::filesystem::remove(target, ignored);
    return copied.error();
  }
  return BackupResult{*copied, target};
}

}  // namespace uitweg::store
