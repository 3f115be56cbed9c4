#include "core/files.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>
#include <utility>
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

namespace {

// Writes all of `contents` to `fd`; 0 or the error.
int WriteAll(int fd, std::string_view contents) {
  std::size_t written = 0;
  while (written < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n < 0 ? errno : EIO;
    written += static_cast<std::size_t>(n);
  }
  return 0;
}

}  // namespace

Status WriteFileWhole(const std::filesystem::path& path, std::string_view contents) {
  const auto failed = [&path](int error) {
    return Fail(Errc::unavailable, "cannot write " + path.string() + ": " + std::strerror(error));
  };
  // What is no plain file (standard output's /dev/stdout, a pipe, a link) is written through,
  // as it is: replacing it would put a file in its place.
  struct stat target {};
  if (::lstat(path.c_str(), &target) == 0 && !S_ISREG(target.st_mode)) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0) return failed(errno);
    int error = WriteAll(fd, contents);
    if (::close(fd) != 0 && error == 0) error = errno;
    if (error != 0) return failed(error);
    return {};
  }
  std::string partial = path.string() + ".partial-XXXXXX";
  const int fd = ::mkostemp(partial.data(), O_CLOEXEC);
  if (fd < 0) return failed(errno);
  int error = WriteAll(fd, contents);
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error == 0 && ::rename(partial.c_str(), path.c_str()) != 0) error = errno;
  if (error != 0) {
    ::unlink(partial.c_str());
    return failed(error);
  }
  // The new name lasts through a crash once the folder is flushed too.
  const std::filesystem::path folder = path.has_parent_path() ? path.parent_path() : ".";
  if (const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
    (void)::fsync(dir);
    ::close(dir);
  }
  return {};
}

Result<FileLock> FileLock::TryAcquire(const std::filesystem::path& path) {
  // Read-only and readable by all (it holds nothing; its folder guards it): a lock file that a
  // command run with sudo made first must not keep the service's own user from taking it later.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) {
    return Fail(Errc::unavailable, "cannot open " + path.string() + ": " + std::strerror(errno));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd);
    if (error == EWOULDBLOCK) {
      return Fail(Errc::failed_precondition, path.string() + " is held by another process");
    }
    return Fail(Errc::unavailable, "cannot lock " + path.string() + ": " + std::strerror(error));
  }
  return FileLock(fd);
}

FileLock::FileLock(FileLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace uitweg::core
