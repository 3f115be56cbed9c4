// Fuzzes the extraction of an uploaded zip: the input is written to a file and unpacked with small
// limits into a folder of this process's own, which is emptied after each input. Traps when the
// contract breaks: a success must list exactly the files in the folder, each of the size it
// says and within the limits; a failure must leave the folder empty.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

#include "fuzz_support.hpp"
#include "outreach/readers/zip_export.hpp"

namespace {

namespace fs = std::filesystem;

constexpr uitweg::outreach::readers::ZipLimits kLimits = {
    .max_total_bytes = 256 * 1024, .max_file_bytes = 128 * 1024, .max_entries = 64};

void RemoveWorkFolder();

const fs::path& WorkFolder() {
  static const fs::path folder = [] {
    const fs::path path =
        fs::temp_directory_path() / ("uitweg-zip-export-fuzz-" + std::to_string(::getpid()));
    fs::remove_all(path);
    fs::create_directories(path / "out");
    return path;
  }();
  // Registered once the path is built, so it runs before the path is destroyed.
  [[maybe_unused]] static const int removed_at_exit = std::atexit(RemoveWorkFolder);
  return folder;
}

void RemoveWorkFolder() {
  std::error_code ignored;
  fs::remove_all(WorkFolder(), ignored);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace uitweg;
  const fs::path zip = WorkFolder() / "upload.zip";
  const fs::path out = WorkFolder() / "out";
  {
    std::ofstream file(zip, std::ios::binary | std::ios::trunc);
    file.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!file) __builtin_trap();
  }

  const auto files = outreach::readers::ExtractExport(zip.string(), out.string(), kLimits);

  std::size_t left = 0;
  for (const fs::directory_entry& entry : fs::directory_iterator(out)) {
    if (!entry.is_regular_file() || entry.is_symlink()) __builtin_trap();
    ++left;
  }
  if (!files) {
    if (left != 0) __builtin_trap();
    fuzz::Keep(files.error().message.size());
    return 0;
  }
  if (files->empty() || left != files->size()) __builtin_trap();
  std::uint64_t total = 0;
  for (const outreach::readers::ExtractedFile& file : *files) {
    if (fs::path(file.path).parent_path() != out) __builtin_trap();
    if (fs::file_size(file.path) != file.bytes || file.bytes > kLimits.max_file_bytes) {
      __builtin_trap();
    }
    total += file.bytes;
    fuzz::Keep(file.original_name.size());
  }
  if (total > kLimits.max_total_bytes) __builtin_trap();
  for (const outreach::readers::ExtractedFile& file : *files) fs::remove(file.path);
  return 0;
}
