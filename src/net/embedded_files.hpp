#pragma once
// The web client compiled into the binary: every file under web/ and the vendored ES modules,
// generated at build time by embed.cmake. The data lives for the whole program.
//
// Our pages, scripts and styles refer to each other under /assets/<BuildId()>/…, an id that
// changes whenever any file does, so that browsers may keep assets there for a year.

#include <span>
#include <string_view>

namespace uitweg::net {

struct EmbeddedFile {
  std::string_view url_path;  // "/assets/visitor/app.js", without the build id
  std::string_view content;
  std::string_view gzipped = {};  // the content gzipped, when that is smaller; else empty
};

std::span<const EmbeddedFile> EmbeddedFiles();

// 12 hex digits: a digest of every embedded file.
std::string_view BuildId();

}  // namespace uitweg::net
