#pragma once
// The in-memory catalogue of static files served to browsers: assets under /assets/… and the
// page aliases (/ → visitor, /self-check, /console, /setup). Built once at start-up from
// EmbeddedFiles(); read-only afterwards, so any thread may call Find() at once. Every asset is
// found twice: under /assets/<build id>/…, where it never changes (a new build has a new id),
// and under /assets/… for whoever asks without the id.

#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "net/embedded_files.hpp"

namespace uitweg::net {

struct StaticFile {
  std::string_view content;
  std::string_view gzipped;  // the content gzipped, or empty
  std::string_view content_type;
  std::string etag;        // strong validator of the content: a hash, quoted
  std::string gzip_etag;   // the same for the gzipped content
  bool is_page = false;    // HTML pages are never kept by the browser
  bool immutable = false;  // under the build id: kept for a year without asking again
};

class StaticFiles {
 public:
  // `build_id`: see BuildId(); empty serves assets under /assets/… only.
  explicit StaticFiles(std::span<const EmbeddedFile> files, std::string_view build_id = {});

  // nullptr when no file answers to this URL path (query string already removed).
  const StaticFile* Find(std::string_view url_path) const;

 private:
  std::unordered_map<std::string, StaticFile> files_;
};

// "text/html; charset=utf-8" and so on, by extension; "application/octet-stream" if unknown.
std::string_view ContentTypeFor(std::string_view path);

}  // namespace uitweg::net
