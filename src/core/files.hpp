#pragma once
// Folders that hold confidential data (the database, the master key).

#include <filesystem>
#include <string_view>

#include "core/error.hpp"

namespace uitweg::core {

// Creates `folder` and any missing parents. The folders it creates are owner-only (0700); a
// folder that exists already is left as it is. unavailable, naming the folder, on failure.
Status CreatePrivateFolder(const std::filesystem::path& folder);

// Writes `contents` to `path` whole or not at all: into an owner-only file beside it (0600),
// flushed to disk, then renamed over `path`. A write cut short (a full disk, the command killed)
// never leaves a shortened file under that name. Something at `path` that is no plain file
// (/dev/stdout, a pipe, a symbolic link) is written through instead. unavailable, naming the
// file, on failure.
Status WriteFileWhole(const std::filesystem::path& path, std::string_view contents);

// An exclusive advisory lock (flock) on a file, created empty (mode 0644) when missing, held
// until the object goes: for commands that must not run twice at once on one data folder.
class FileLock {
 public:
  // failed_precondition when another process holds it; unavailable when the file cannot be
  // opened.
  static Result<FileLock> TryAcquire(const std::filesystem::path& path);

  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace uitweg::core
