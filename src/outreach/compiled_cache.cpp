#include "outreach/compiled_cache.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string_view>
#include <vector>

namespace uitweg::outreach {
namespace {

constexpr std::string_view kMagic = "uitweg-compiled-lexicon 1\n";
constexpr std::string_view kSuffix = ".hsdb";
using Digest = std::array<unsigned char, crypto_generichash_BYTES>;

Digest Hash(std::string_view bytes) {
  Digest digest;
  crypto_generichash(digest.data(), digest.size(),
                     reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), nullptr,
                     0);
  return digest;
}

std::string DigestBytes(const Digest& digest) {
  return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

std::string Hex(const Digest& digest) {
  std::string hex(digest.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  hex.pop_back();
  return hex;
}

// Whether nobody but this process's user could have written it: Hyperscan does not check the
// database it deserialises, so a file another user planted (a cache folder others may write, or
// one named by --cache or XDG_CACHE_HOME) would run as ours.
bool WrittenOnlyByUs(const struct stat& info) {
  return info.st_uid == ::geteuid() && (info.st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

// The file's bytes, if it is a regular file (not a link) that only we could have written.
std::optional<std::string> ReadOurs(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::optional<std::string> content;
  struct stat info {};
  if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && WrittenOnlyByUs(info)) {
    content.emplace();
    char buffer[1 << 16];
    for (;;) {
      const ssize_t got = ::read(fd, buffer, sizeof buffer);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) content.reset();
      if (got <= 0) break;
      content->append(buffer, static_cast<std::size_t>(got));
    }
  }
  ::close(fd);
  return content;
}

}  // namespace

CompiledCache::CompiledCache(std::filesystem::path folder, std::size_t keep)
    : folder_(std::move(folder)), keep_(std::max<std::size_t>(keep, 1)) {
  // BLAKE2b needs no initialisation; sodium_init only picks the fastest implementation.
  static const bool initialised = sodium_init() >= 0;
  (void)initialised;
}

std::filesystem::path CompiledCache::PathOf(std::string_view key) const {
  return folder_ / (Hex(Hash(key)) + std::string(kSuffix));
}

std::optional<std::string> CompiledCache::Load(std::string_view key) const {
  struct stat folder {};
  if (::stat(folder_.c_str(), &folder) != 0 || !S_ISDIR(folder.st_mode) ||
      !WrittenOnlyByUs(folder)) {
    return std::nullopt;
  }
  const std::filesystem::path path = PathOf(key);
  const std::optional<std::string> content = ReadOurs(path);
  if (!content) return std::nullopt;
  const std::string_view file(*content);
  if (!file.starts_with(kMagic) || file.size() < kMagic.size() + Digest().size()) {
    return std::nullopt;
  }
  const std::string_view sum = file.substr(kMagic.size(), Digest().size());
  std::string bytes(file.substr(kMagic.size() + Digest().size()));
  if (sum != DigestBytes(Hash(bytes))) return std::nullopt;
  std::error_code ignored;
  std::filesystem::last_write_time(path, std::filesystem::file_time_type::clock::now(), ignored);
  return bytes;
}

void CompiledCache::Store(std::string_view key, std::string_view bytes) const {
  std::error_code error;
  std::filesystem::create_directories(folder_, error);
  if (error) return;
  ::chmod(folder_.c_str(), 0700);
  const std::filesystem::path path = PathOf(key);
  static std::atomic<unsigned> sequence{0};
  const std::filesystem::path temporary =
      path.string() + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(sequence++);
  std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
  out << kMagic << DigestBytes(Hash(bytes)) << bytes;
  out.close();
  // Owner only, whatever the umask (Load refuses a file others may write).
  std::filesystem::permissions(
      temporary, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, error);
  const bool written = static_cast<bool>(out) && !error;
  if (!written || std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::filesystem::remove(temporary, error);
    return;
  }
  RemoveLeastRecentlyUsed();
}

void CompiledCache::RemoveLeastRecentlyUsed() const {
  struct Entry {
    std::filesystem::file_time_type used;
    std::filesystem::path path;
  };
  std::vector<Entry> entries;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(folder_, error)) {
    if (entry.path().extension() != kSuffix) continue;
    std::error_code time_error;
    const auto used = entry.last_write_time(time_error);
    if (!time_error) entries.push_back({used, entry.path()});
  }
  if (entries.size() <= keep_) return;
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.used > b.used; });
  for (std::size_t i = keep_; i < entries.size(); ++i) {
    std::filesystem::remove(entries[i].path, error);
  }
}

std::filesystem::path DefaultCompiledCacheFolder() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg != nullptr && *xdg == '/') return std::filesystem::path(xdg) / "uitweg" / "lexicons";
  const char* home = std::getenv("HOME");
  if (home != nullptr && *home == '/') {
    return std::filesystem::path(home) / ".cache" / "uitweg" / "lexicons";
  }
  return {};
}

}  // namespace uitweg::outreach
