#include "api/import_folder.hpp"

#include <algorithm>
#include <cctype>

namespace uitweg::api {
namespace {

namespace fs = std::filesystem;

bool EndsWithNoCase(std::string_view text, std::string_view suffix) {
  if (text.size() < suffix.size()) return false;
  return std::equal(suffix.begin(), suffix.end(), text.end() - static_cast<long>(suffix.size()),
                    [](char a, char b) {
                      return std::tolower(static_cast<unsigned char>(a)) ==
                             std::tolower(static_cast<unsigned char>(b));
                    });
}

}  // namespace

bool IsExportFileName(std::string_view name) {
  return EndsWithNoCase(name, ".json") || EndsWithNoCase(name, ".jsonl") ||
         EndsWithNoCase(name, ".csv");
}

bool IsZipFileName(std::string_view name) {
  return EndsWithNoCase(name, ".zip");
}

core::Result<ImportFolder> ImportFolder::Open(const std::string& root) {
  if (root.empty()) return ImportFolder();
  std::error_code error;
  const fs::path resolved = fs::canonical(root, error);
  if (error || !fs::is_directory(resolved, error)) {
    return core::Fail(core::Errc::failed_precondition,
                      "the outreach import folder " + root + " is not an existing folder");
  }
  return ImportFolder(resolved);
}

bool ImportFolder::Inside(const fs::path& resolved) const {
  auto [in_root, in_path] =
      std::mismatch(root_.begin(), root_.end(), resolved.begin(), resolved.end());
  return in_root == root_.end();
}

core::Result<fs::path> ImportFolder::Resolve(std::string_view asked) const {
  if (!configured()) {
    return core::Fail(core::Errc::permission_denied, "this server has no import folder");
  }
  if (asked.empty() || asked.find('\0') != std::string_view::npos) {
    return core::Fail(core::Errc::invalid_argument, "the path is empty or holds a NUL byte");
  }
  fs::path path(asked);
  if (path.is_relative()) path = root_ / path;
  std::error_code error;
  // Follows the links of the part that exists and applies `..` to the rest, so that nothing
  // outside is told apart from nothing at all.
  const fs::path resolved = fs::weakly_canonical(path, error);
  if (error || !Inside(resolved)) {
    return core::Fail(core::Errc::permission_denied, "the path is outside the import folder");
  }
  if (!fs::exists(resolved, error)) {
    return core::Fail(core::Errc::not_found, "nothing is at that path in the import folder");
  }
  return resolved;
}

core::Result<std::vector<fs::path>> ImportFolder::FilesToScan(const fs::path& path) const {
  std::error_code error;
  if (!fs::is_directory(path, error)) return std::vector<fs::path>{path};
  // A Telegram Desktop export; its result.json may be a link, to be followed only inside.
  if (fs::exists(fs::symlink_status(path / "result.json", error))) {
    const fs::path result = fs::canonical(path / "result.json", error);
    if (error || !Inside(result)) {
      return core::Fail(core::Errc::permission_denied, "the path is outside the import folder");
    }
    if (!fs::is_regular_file(result, error)) {
      return core::Fail(core::Errc::invalid_argument, "the folder's result.json is not a file");
    }
    return std::vector<fs::path>{result};
  }
  std::vector<fs::path> files;
  for (fs::directory_iterator it(path, error), end; !error && it != end; it.increment(error)) {
    if (!IsExportFileName(it->path().filename().string())) continue;
    std::error_code unreadable;
    const fs::path resolved = fs::canonical(it->path(), unreadable);
    if (unreadable || !Inside(resolved) || !fs::is_regular_file(resolved, unreadable)) continue;
    files.push_back(resolved);
  }
  if (files.empty()) {
    return core::Fail(core::Errc::invalid_argument,
                      "the folder holds no .json, .jsonl or .csv file to scan");
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string ImportFolder::Shown(const fs::path& path) const {
  const fs::path relative = path.lexically_relative(root_);
  return relative.empty() || relative == "." ? path.filename().string() : relative.string();
}

}  // namespace uitweg::api
