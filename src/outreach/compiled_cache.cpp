#include "outreach/compiled_cache.hpp"

#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
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
  const std::filesystem::path path = PathOf(key);
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  const std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string_view file(content);
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
  const bool written = static_cast<bool>(out);
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
