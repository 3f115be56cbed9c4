#pragma once
// The web client compiled into the binary: every file under web/ and the vendored ES modules,
// generated at build time by embed.cmake. The data lives for the whole program.

#include <span>
#include <string_view>

namespace uitweg::net {

struct EmbeddedFile {
  std::string_view url_path;  // "/assets/visitor/app.js"
  std::string_view content;
};

std::span<const EmbeddedFile> EmbeddedFiles();

}  // namespace uitweg::net
