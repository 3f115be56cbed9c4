#include "net/static_files.hpp"

#include <array>
#include <cstdint>
#include <utility>

#include <fmt/format.h>

#include "core/fnv.hpp"

namespace uitweg::net {
namespace {

struct PageAlias {
  std::string_view page;
  std::string_view asset;
};

constexpr std::array kPages = {
    PageAlias{"/", "/assets/visitor/index.html"},
    PageAlias{"/self-check", "/assets/visitor/self-check.html"},
    PageAlias{"/console", "/assets/console/index.html"},
    PageAlias{"/setup", "/assets/setup/index.html"},
    PageAlias{"/account-setup", "/assets/setup/account.html"},
};

// FNV-1a, 64 bit: the ETag only has to change when the content does.
std::string EtagOf(std::string_view content) {
  return fmt::format("\"{:016x}-{:x}\"", core::Fnv1a64(content), content.size());
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

std::string_view ContentTypeFor(std::string_view path) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kTypes = {{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".webp", "image/webp"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"},
      {".toml", "text/plain; charset=utf-8"},
  }};
  for (const auto& [extension, type] : kTypes) {
    if (EndsWith(path, extension)) return type;
  }
  return "application/octet-stream";
}

StaticFiles::StaticFiles(std::span<const EmbeddedFile> files, std::string_view build_id) {
  constexpr std::string_view kAssets = "/assets/";
  for (const EmbeddedFile& file : files) {
    StaticFile entry{.content = file.content,
                     .gzipped = file.gzipped,
                     .content_type = ContentTypeFor(file.url_path),
                     .etag = EtagOf(file.content),
                     .gzip_etag = file.gzipped.empty() ? std::string() : EtagOf(file.gzipped),
                     .is_page = EndsWith(file.url_path, ".html"),
                     .immutable = false};
    if (!build_id.empty() && file.url_path.starts_with(kAssets) && !entry.is_page) {
      StaticFile versioned = entry;
      versioned.immutable = true;
      files_.emplace(std::string(kAssets) + std::string(build_id) + "/" +
                         std::string(file.url_path.substr(kAssets.size())),
                     std::move(versioned));
    }
    files_.emplace(std::string(file.url_path), std::move(entry));
  }
  for (const PageAlias& alias : kPages) {
    auto it = files_.find(std::string(alias.asset));
    if (it != files_.end()) files_.emplace(std::string(alias.page), it->second);
  }
}

const StaticFile* StaticFiles::Find(std::string_view url_path) const {
  auto it = files_.find(std::string(url_path));
  if (it != files_.end()) return &it->second;
  // Another build's id: while nodes of two builds serve side by side (an update rolling through
  // them), a page from one asks another for its assets. It gets today's file, revalidated,
  // never kept for a year under an id that is not its own.
  constexpr std::string_view kAssets = "/assets/";
  constexpr std::size_t kIdLength = 12;
  if (url_path.starts_with(kAssets) && url_path.size() > kAssets.size() + kIdLength &&
      url_path[kAssets.size() + kIdLength] == '/') {
    const std::string_view id = url_path.substr(kAssets.size(), kIdLength);
    if (id.find_first_not_of("0123456789abcdef") == std::string_view::npos) {
      it = files_.find(std::string(kAssets) +
                       std::string(url_path.substr(kAssets.size() + kIdLength + 1)));
      if (it != files_.end() && !it->second.is_page) return &it->second;
    }
  }
  return nullptr;
}

}  // namespace uitweg::net
