#include "crypto/master_key.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <exception>
#include <fstream>
#include <string>
#include <system_error>

#include "core/files.hpp"
#include "core/log.hpp"
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

struct ReadKeys {
  std::vector<Aead> keys;
  struct stat info {};
};

Result<ReadKeys> ReadKeyFile(const std::filesystem::path& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) return KeyFileError(path, std::strerror(errno));
  ReadKeys out;
  if (::fstat(fd.get(), &out.info) != 0) return KeyFileError(path, std::strerror(errno));
  if (!S_ISREG(out.info.st_mode)) return KeyFileError(path, "not a regular file");
  if ((out.info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return KeyFileError(path, "must be readable by its owner only (chmod 600)");
  }
  const auto size = static_cast<std::size_t>(out.info.st_size);
  if (size == 0 || size % Aead::kKeyBytes != 0 || size > MasterKey::kMaxKeys * Aead::kKeyBytes) {
    return KeyFileError(path, "must hold 1 to 16 keys of exactly 32 bytes each");
  }
  std::string bytes(size, '\0');
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::read(fd.get(), bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Wipe(bytes);
      return KeyFileError(path, "could not be read");
    }
    done += static_cast<std::size_t>(n);
  }
  for (std::size_t at = 0; at < size; at += Aead::kKeyBytes) {
    out.keys.push_back(Aead::FromKey(std::string_view(bytes).substr(at, Aead::kKeyBytes)).value());
  }
  Wipe(bytes);
  return out;
}

// Writes `keys` to a new private file next to `path`, owned as `owner` when given; returns its
// name. The caller links or renames it into place.
Result<std::filesystem::path> WriteTemporary(const std::filesystem::path& path,
                                             const std::vector<Aead>& keys,
                                             const struct ::stat* owner = nullptr) {
  const std::filesystem::path temporary =
      path.string() + ".new-" + std::to_string(::getpid()) + "-" + RandomToken(6);
  Fd fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (fd.get() < 0) return KeyFileError(path, std::strerror(errno));
  if (owner != nullptr && (owner->st_uid != ::geteuid() || owner->st_gid != ::getegid()) &&
      ::fchown(fd.get(), owner->st_uid, owner->st_gid) != 0) {
    ::unlink(temporary.c_str());
    return KeyFileError(path,
                        "belongs to another user, whose server could not read a new file "
                        "written by this one: run this as that user");
  }
  for (const Aead& key : keys) {
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
  }
  if (::fsync(fd.get()) != 0) {
    ::unlink(temporary.c_str());
    return KeyFileError(path, "could not be synced");
  }
  return temporary;
}

// When this machine started (Unix seconds), from /proc/stat; 0 when unknown.
std::int64_t BootTime() {
  std::ifstream stat("/proc/stat");
  std::string field;
  while (stat >> field) {
    if (field == "btime") {
      std::int64_t seconds = 0;
      if (stat >> seconds) return seconds;
      return 0;
    }
  }
  return 0;
}

// A process killed between writing a temporary (WriteTemporary) and renaming or removing it
// leaves it behind: a copy of keys that `keys retire` means to drop for good. Those of processes
// no longer running, or written before the machine last started (their process id may be
// another's now), are removed; a live one may still be renaming its own. The bytes are
// overwritten first, unless the file has another name: LoadOrCreate links its temporary into
// place before removing it, so a process killed between the two leaves the key file itself.
void RemoveStaleTemporaries(const std::filesystem::path& path) {
  const std::string prefix = path.filename().string() + ".new-";
  const std::int64_t booted = BootTime();
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(path.parent_path(), error)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with(prefix)) continue;
    const std::string rest = name.substr(prefix.size());
    const auto dash = rest.find('-');
    long pid = 0;
    try {
      pid = std::stol(rest.substr(0, dash));
    } catch (const std::exception&) {
      continue;
    }
    struct stat named {};
    if (pid <= 0 || ::lstat(entry.path().c_str(), &named) != 0 || !S_ISREG(named.st_mode)) continue;
    // By a margin: the boot time is worked out from the clock, which a first sync may step.
    constexpr std::int64_t kClockStepMargin = 3600;
    const bool before_boot = booted > 0 && named.st_mtim.tv_sec < booted - kClockStepMargin;
    const bool process_gone = ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
    if (!before_boot && !process_gone) continue;
    Fd fd(::open(entry.path().c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW));
    struct stat info {};
    if (fd.get() >= 0 && ::fstat(fd.get(), &info) == 0 && S_ISREG(info.st_mode) &&
        info.st_nlink == 1) {
      const std::string zeros(static_cast<std::size_t>(info.st_size), '\0');
      if (::pwrite(fd.get(), zeros.data(), zeros.size(), 0) >= 0) ::fsync(fd.get());
    }
    ::unlink(entry.path().c_str());
  }
}

void SyncFolderOf(const std::filesystem::path& path) {
  const auto folder = path.parent_path();
  Fd dir(::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() >= 0) ::fsync(dir.get());
}

}  // namespace

Result<std::vector<Aead>> MasterKey::LoadOrCreate(const std::filesystem::path& path) {
  if (auto created = core::CreatePrivateFolder(path.parent_path()); !created) {
    return KeyFileError(path, created.error().message);
  }
  RemoveStaleTemporaries(path);
  if (::access(path.c_str(), F_OK) != 0) {
    // Linked into place whole: link() fails if another process got there first, so nobody ever
    // reads a half-written key.
    std::vector<Aead> keys{Aead::Generate()};
    UITWEG_TRY_ASSIGN(const auto temporary, WriteTemporary(path, keys));
    const int linked = ::link(temporary.c_str(), path.c_str());
    const int link_errno = errno;
    ::unlink(temporary.c_str());
    if (linked == 0) {
      SyncFolderOf(path);
      return keys;
    }
    if (link_errno != EEXIST) return KeyFileError(path, std::strerror(link_errno));
  }
  UITWEG_TRY_ASSIGN(ReadKeys read, ReadKeyFile(path));
  return std::move(read.keys);
}

core::Status MasterKey::Replace(const std::filesystem::path& path, const std::vector<Aead>& keys) {
  if (keys.empty() || keys.size() > kMaxKeys) {
    return core::Fail(core::Errc::invalid_argument, "a key file holds 1 to 16 keys");
  }
  // The server reads the file as the user it runs as: a rotation run as root (sudo) keeps the
  // file that user's, or the server would go on sealing under a key about to be retired.
  RemoveStaleTemporaries(path);
  struct stat old {};
  const bool exists = ::stat(path.c_str(), &old) == 0;
  UITWEG_TRY_ASSIGN(const auto temporary, WriteTemporary(path, keys, exists ? &old : nullptr));
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const int rename_errno = errno;
    ::unlink(temporary.c_str());
    return KeyFileError(path, std::strerror(rename_errno));
  }
  SyncFolderOf(path);
  return {};
}

Result<Aead> MasterKey::FromBase64(std::string_view text) {
  auto bytes = Base64Decode(text);
  if (!bytes) bytes = Base64UrlDecode(text);
  if (!bytes || bytes->size() != Aead::kKeyBytes) {
    if (bytes) Wipe(*bytes);
    return core::Fail(core::Errc::invalid_argument,
                      "the master key must be base64 of exactly 32 bytes");
  }
  auto key = Aead::FromKey(*bytes);
  Wipe(*bytes);
  return key;
}

Result<std::vector<Aead>> MasterKey::ListFromBase64(std::string_view text) {
  std::vector<Aead> keys;
  for (;;) {
    const std::size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    UITWEG_TRY_ASSIGN(Aead key, FromBase64(item));
    keys.push_back(std::move(key));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  if (keys.size() > kMaxKeys) {
    return core::Fail(core::Errc::invalid_argument, "at most 16 master keys at once");
  }
  return keys;
}

Result<std::shared_ptr<MasterKeys>> MasterKeys::Fixed(std::vector<Aead> keys) {
  if (keys.empty()) return core::Fail(core::Errc::invalid_argument, "no master key");
  auto ring = std::make_shared<Ring>();
  ring->keys = std::move(keys);
  return std::shared_ptr<MasterKeys>(new MasterKeys(std::move(ring), {}));
}

MasterKeys::FileStamp MasterKeys::StampOf(const struct ::stat& info) {
  return FileStamp{
      static_cast<std::uint64_t>(info.st_dev), static_cast<std::uint64_t>(info.st_ino),
      static_cast<std::uint64_t>(info.st_size),
      static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec};
}

Result<std::shared_ptr<MasterKeys>> MasterKeys::FollowFile(const std::filesystem::path& path) {
  UITWEG_TRY(MasterKey::LoadOrCreate(path));
  UITWEG_TRY_ASSIGN(ReadKeys read, ReadKeyFile(path));
  auto ring = std::make_shared<Ring>();
  ring->keys = std::move(read.keys);
  ring->stamp = StampOf(read.info);
  return std::shared_ptr<MasterKeys>(new MasterKeys(std::move(ring), path));
}

std::shared_ptr<const MasterKeys::Ring> MasterKeys::Held() const {
  std::lock_guard lock(mu_);
  return ring_;
}

std::shared_ptr<const MasterKeys::Ring> MasterKeys::Fresh() const {
  std::shared_ptr<const Ring> held = Held();
  if (path_.empty()) return held;
  struct stat info {};
  if (::stat(path_.c_str(), &info) != 0 || StampOf(info) == held->stamp) return held;
  auto read = ReadKeyFile(path_);
  if (!read) {
    // Said once per change of the file: until it is readable, what is sealed here is sealed
    // under a key that `keys retire` may drop.
    std::lock_guard lock(mu_);
    if (unreadable_ != StampOf(info)) {
      unreadable_ = StampOf(info);
      core::Log(core::LogLevel::error, "keys.file_unreadable",
                {{"error", read.error().message},
                 {"note", "sealing goes on under the keys read before"}});
    }
    return held;
  }
  auto ring = std::make_shared<Ring>();
  ring->keys = std::move(read->keys);
  ring->stamp = StampOf(read->info);
  std::lock_guard lock(mu_);
  ring_ = ring;
  return ring;
}

std::string MasterKeys::Seal(std::string_view plaintext, std::string_view associated_data) const {
  return Fresh()->keys.front().Seal(plaintext, associated_data);
}

Result<std::string> MasterKeys::Open(std::string_view sealed,
                                     std::string_view associated_data) const {
  std::shared_ptr<const Ring> ring = Held();
  for (int attempt = 0; attempt < 2; ++attempt) {
    for (const Aead& key : ring->keys) {
      if (auto opened = key.Open(sealed, associated_data)) return opened;
    }
    std::shared_ptr<const Ring> fresh = Fresh();
    if (fresh == ring) break;
    ring = std::move(fresh);
  }
  return core::Fail(core::Errc::invalid_argument, "no master key opens the sealed value");
}

bool MasterKeys::SealedByCurrent(std::string_view sealed, std::string_view associated_data) const {
  return static_cast<bool>(Fresh()->keys.front().Open(sealed, associated_data));
}

Aead MasterKeys::Current() const {
  return Fresh()->keys.front();
}

std::size_t MasterKeys::size() const {
  return Fresh()->keys.size();
}

}  // namespace uitweg::crypto
