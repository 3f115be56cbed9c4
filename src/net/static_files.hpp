#pragma once
// The in-memory catalogue of static files served to browsers: assets under /assets/… and the
// page aliases (/ → visitor, /self-check, /console, /setup). Built once at start-up from
// EmbeddedFiles(); read-only afterwards, so any thread may call Find() at once.

#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "net/embedded_files.hpp"

namespace uitweg::net {

struct StaticFile {
  std::string_view content;
  std::string_view content_type;
  std::string etag;      // strong validator: a hash of the content, quoted
  bool is_page = false;  // HTML pages are revalidated every time; assets are cached briefly
};

class StaticFiles {
 public:
  explicit StaticFiles(std::span<const EmbeddedFile> files);

  // nullptr when no file answers to this URL path (query string already removed).
  const StaticFile* Find(std::string_view url_path) const;

 private:
  std::unordered_map<std::string, StaticFile> files_;
};

// "text/html; charset=utf-8" and so on, by extension; "application/octet-stream" if unknown.
std::string_view ContentTypeFor(std::string_view path);

}  // namespace uitweg::net
