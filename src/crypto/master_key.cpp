#include "crypto/master_key.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include "core/files.hpp"
#include "crypto/random.hpp"

namespace uitweg::crypto {
namespace {

core::Error KeyFileError(const std::filesystem::path& path, std::string_view what) {
  return core::Fail(core::Errc::failed_precondition,
                    "master key file " + path.string() + ": " + std::string(what));
}

// Closes a file descriptor on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

Result<Aead> ReadKeyFile(const std::filesystem::path& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) return KeyFileError(path, std::strerror(errno));
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return KeyFileError(path, std::strerror(errno));
  if (!S_ISREG(info.st_mode)) return KeyFileError(path, "not a regular file");
  if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return KeyFileError(path, "must be readable by its owner only (chmod 600)");
  }
  if (info.st_size != static_cast<off_t>(Aead::kKeyBytes)) {
    return KeyFileError(path, "must hold exactly 32 bytes");
  }
  std::string key(Aead::kKeyBytes, '\0');
  std::size_t done = 0;
  while (done < key.size()) {
    const ssize_t n = ::read(fd.get(), key.data() + done, key.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return KeyFileError(path, "could not be read");
    done += static_cast<std::size_t>(n);
  }
  auto aead = Aead::FromKey(key);
  std::fill(key.begin(), key.end(), '\0');
  return aead;
}

}  // namespace

Result<Aead> MasterKey::LoadOrCreate(const std::filesystem::path& path) {
  const auto folder = path.parent_path();
  if (auto created = core::CreatePrivateFolder(folder); !created) {
    return KeyFileError(path, created.error().message);
  }
  if (::access(path.c_str(), F_OK) == 0) return ReadKeyFile(path);

  // Written whole to a private temporary file, then linked into place: link() fails if another
  // process got there first, so nobody ever reads a half-written key.
  const std::filesystem::path temporary =
      path.string() + ".new-" + std::to_string(::getpid()) + "-" + RandomToken(6);
  Aead key = Aead::Generate();
  {
    Fd fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (fd.get() < 0) return KeyFileError(path, std::strerror(errno));
    const std::string_view bytes = key.key();
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::write(fd.get(), bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        ::unlink(temporary.c_str());
        return KeyFileError(path, "could not be written");
      }
      done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd.get()) != 0) {
      ::unlink(temporary.c_str());
      return KeyFileError(path, "could not be synced");
    }
  }
  const int linked = ::link(temporary.c_str(), path.c_str());
  const int link_errno = errno;
  ::unlink(temporary.c_str());
  if (linked != 0) {
    if (link_errno == EEXIST) return ReadKeyFile(path);
    return KeyFileError(path, std::strerror(link_errno));
  }
  Fd dir(::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() >= 0) ::fsync(dir.get());
  return key;
}

Result<Aead> MasterKey::FromBase64(std::string_view text) {
  auto bytes = Base64Decode(text);
  if (!bytes) bytes = Base64UrlDecode(text);
  if (!bytes || bytes->size() != Aead::kKeyBytes) {
    return core::Fail(core::Errc::invalid_argument,
                      "the master key must be base64 of exactly 32 bytes");
  }
  return Aead::FromKey(*bytes);
}

}  // namespace uitweg::crypto
