#pragma once
// The folder of this server whose exports analysts may scan by path ([outreach] import_folder,
// docs/security.md): a path is resolved as the system would open it (symbolic links followed,
// `..` applied, a relative path taken from the folder) and is refused unless it lands inside
// the folder. The scan then reads the resolved path, so a link cannot lead it elsewhere.
//
// Immutable after Open; thread-safe. Blocking (file system); call from workers.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace uitweg::api {

class ImportFolder {
 public:
  // None: every path is refused.
  ImportFolder() = default;
  // `root` empty: none. failed_precondition, naming it, when `root` is not an existing folder.
  static core::Result<ImportFolder> Open(const std::string& root);

  bool configured() const { return !root_.empty(); }
  // The folder itself, resolved (empty when none).
  const std::filesystem::path& root() const { return root_; }

  // The resolved path of `asked`. permission_denied "the path is outside the import folder"
  // (or "this server has no import folder"); not_found when nothing is there; invalid_argument
  // for an empty path or one holding a NUL byte.
  core::Result<std::filesystem::path> Resolve(std::string_view asked) const;

  // What a scan of the resolved `path` reads: the file itself; for a folder, its result.json
  // when it holds one (a Telegram Desktop export), else its .json, .jsonl and .csv files (not
  // those of folders within, nor links that lead outside the import folder), by name.
  // invalid_argument when a folder holds none, or when its result.json is no regular file;
  // permission_denied when result.json links outside.
  core::Result<std::vector<std::filesystem::path>> FilesToScan(
      const std::filesystem::path& path) const;

  // `path` relative to the folder, for showing ("channels/result.json").
  std::string Shown(const std::filesystem::path& path) const;

 private:
  explicit ImportFolder(std::filesystem::path root) : root_(std::move(root)) {}
  bool Inside(const std::filesystem::path& resolved) const;

  std::filesystem::path root_;
};

// Whether `name` ends in .json, .jsonl or .csv (any case): what a scan reads.
bool IsExportFileName(std::string_view name);
// Whether `name` ends in .zip (any case).
bool IsZipFileName(std::string_view name);

}  // namespace uitweg::api
