#include "store/sqlite/backup.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "store/sqlite/connection.hpp"

namespace uitweg::store {

core::Result<BackupResult> BackupSqliteDatabase(const std::string& source,
                                                const std::string& target) {
  if (!std::filesystem::exists(source)) {
    return core::Fail(core::Errc::not_found, "no database at " + source);
  }
  if (std::filesystem::exists(target)) {
    return core::Fail(core::Errc::already_exists, target + " exists already; choose a new file");
  }
  // Copied into a file of its own beside the target, owner-only before SQLite opens it (the copy
  // is as confidential as the original), and given the target's name only once complete: a copy
  // cut off (the machine restarts, the job is killed) never passes for a backup.
  std::string partial = target + ".partial-XXXXXX";
  const int fd = ::mkstemp(partial.data());
  if (fd < 0) {
    return core::Fail(core::Errc::unavailable,
                      "cannot create a file beside " + target + ": " + std::strerror(errno));
  }
  ::close(fd);
  const auto discard = [&partial] {
    std::error_code ignored;
    std::filesystem::remove(partial, ignored);
  };
  auto copied = [&]() -> core::Result<int> {
    UITWEG_TRY_ASSIGN(auto from,
                      sqlite::Connection::Open(source, sqlite::Connection::Mode::read_only, 5000));
    UITWEG_TRY_ASSIGN(
        auto to, sqlite::Connection::Open(partial, sqlite::Connection::Mode::read_write, 5000));
    return from->BackupTo(*to);
  }();
  if (!copied) {
    discard();
    return copied.error();
  }
  // Named without replacing a file made at the target meanwhile: link() where the file system
  // has hard links, else a rename that refuses to replace (network and FAT mounts have no links).
  int named = ::link(partial.c_str(), target.c_str());
  if (named != 0 && (errno == EPERM || errno == EOPNOTSUPP || errno == ENOTSUP)) {
    named = ::renameat2(AT_FDCWD, partial.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE);
  }
  if (named != 0) {
    const int error = errno;
    discard();
    if (error == EEXIST) {
      return core::Fail(core::Errc::already_exists, target + " exists already; choose a new file");
    }
    return core::Fail(core::Errc::unavailable,
                      "cannot name the copy " + target + ": " + std::strerror(error));
  }
  discard();
  // The new name is durable only once its folder is.
  const std::filesystem::path folder = std::filesystem::absolute(target).parent_path();
  if (const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return BackupResult{*copied, target};
}

}  // namespace uitweg::store
