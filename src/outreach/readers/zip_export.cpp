#include "outreach/readers/zip_export.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "core/utf8.hpp"

namespace uitweg::outreach::readers {
namespace {

constexpr std::size_t kBlockBytes = 64 * 1024;
// Long enough for any real name, short enough for a message or a file system.
constexpr std::size_t kShownNameBytes = 200;
constexpr std::size_t kSafeBaseBytes = 100;

std::string FormatBytes(std::uint64_t bytes) {
  constexpr std::pair<std::uint64_t, const char*> kUnits[] = {{std::uint64_t{1} << 40, "TiB"},
                                                              {std::uint64_t{1} << 30, "GiB"},
                                                              {std::uint64_t{1} << 20, "MiB"},
                                                              {std::uint64_t{1} << 10, "KiB"}};
  for (const auto& [unit, name] : kUnits) {
    if (bytes >= unit && bytes % unit == 0) return std::to_string(bytes / unit) + " " + name;
  }
  return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
}

std::string ShownName(std::string_view raw) {
  std::string shown;
  std::size_t i = 0;
  while (i < raw.size() && shown.size() < kShownNameBytes) {
    char32_t code_point = 0;
    const std::size_t length = core::DecodeUtf8(raw.substr(i), code_point);
    if (length == 0 || core::IsControlOrFormat(code_point)) {
      shown += core::kReplacementCharacter;
      i += length == 0 ? 1 : length;
    } else {
      shown += raw.substr(i, length);
      i += length;
    }
  }
  if (i < raw.size()) shown += "\u2026";
  return shown;
}

std::string_view BaseName(std::string_view name) {
  const std::size_t slash = name.find_last_of("/\\");
  return slash == std::string_view::npos ? name : name.substr(slash + 1);
}

bool EndsWithIgnoringCase(std::string_view text, std::string_view lower_suffix) {
  if (text.size() < lower_suffix.size()) return false;
  text.remove_prefix(text.size() - lower_suffix.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c =
        text[i] >= 'A' && text[i] <= 'Z' ? static_cast<char>(text[i] - 'A' + 'a') : text[i];
    if (c != lower_suffix[i]) return false;
  }
  return true;
}

// macOS's Finder adds "__MACOSX/…/._result.json" beside each file: binary metadata, never an
// export, whatever its name ends in.
bool IsMacMetadata(std::string_view name) {
  return name.starts_with("__MACOSX/") || name.find("/__MACOSX/") != std::string_view::npos ||
         BaseName(name).starts_with("._");
}

bool IsScanFile(std::string_view name) {
  const std::string_view base = BaseName(name);
  return (EndsWithIgnoringCase(base, ".json") || EndsWithIgnoringCase(base, ".jsonl") ||
          EndsWithIgnoringCase(base, ".csv")) &&
         !IsMacMetadata(name);
}

// "0001-result.json": unique by its number, a plain file name by construction whatever the
// entry was called, and still ending in the entry's extension.
std::string SafeName(std::size_t number, std::string_view name) {
  std::string_view base = BaseName(name);
  if (base.size() > kSafeBaseBytes) base.remove_prefix(base.size() - kSafeBaseBytes);
  char prefix[32];
  std::snprintf(prefix, sizeof prefix, "%04zu-", number);
  std::string safe = prefix;
  for (const char c : base) {
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '_' || c == '-';
    safe += plain ? c : '_';
  }
  return safe;
}

// The name as stored; names that libarchive cannot convert to the locale come back raw.
std::string_view RawName(archive_entry* entry) {
  if (const char* name = archive_entry_pathname(entry)) return name;
  if (const char* name = archive_entry_pathname_utf8(entry)) return name;
  return {};
}

bool IsKept(archive_entry* entry, std::string_view raw_name) {
  return archive_entry_filetype(entry) == AE_IFREG && archive_entry_hardlink(entry) == nullptr &&
         !archive_entry_is_encrypted(entry) && IsScanFile(raw_name);
}

std::string ErrnoText(int error) {
  return std::error_code(error, std::generic_category()).message();
}

class UniqueFd {
 public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  // 0, or -1 with errno set: a full disk may show only here (NFS, some FUSE file systems).
  int Close() { return ::close(std::exchange(fd_, -1)); }

 private:
  int fd_ = -1;
};

struct ArchiveFree {
  void operator()(archive* reader) const { archive_read_free(reader); }
};
using ArchiveReader = std::unique_ptr<archive, ArchiveFree>;

// The files written into the folder so far; removed again unless Keep() was called.
class WrittenFiles {
 public:
  explicit WrittenFiles(int folder_fd) : folder_fd_(folder_fd) {}
  WrittenFiles(const WrittenFiles&) = delete;
  WrittenFiles& operator=(const WrittenFiles&) = delete;
  ~WrittenFiles() {
    if (kept_) return;
    for (const std::string& name : names_) ::unlinkat(folder_fd_, name.c_str(), 0);
  }
  void Add(std::string name) { names_.push_back(std::move(name)); }
  void Keep() { kept_ = true; }

 private:
  int folder_fd_ = -1;
  std::vector<std::string> names_;
  bool kept_ = false;
};

// One run of ExtractExport: the entries read so far and what they cost.
class Extraction {
 public:
  Extraction(archive* reader, int folder_fd, std::string folder, const ZipLimits& limits)
      : reader_(reader),
        folder_fd_(folder_fd),
        folder_(std::move(folder)),
        limits_(limits),
        written_(folder_fd),
        buffer_(std::make_unique<char[]>(kBlockBytes)) {}

  core::Result<std::vector<ExtractedFile>> Run() {
    std::string previous;
    std::uint64_t examined = 0;
    for (;;) {
      archive_entry* entry = nullptr;
      const int header = archive_read_next_header(reader_, &entry);
      if (header == ARCHIVE_EOF) break;
      if (header != ARCHIVE_OK && header != ARCHIVE_WARN) {
        return Damaged(previous.empty() ? "at its start" : "after entry \"" + previous + "\"");
      }
      if (++examined > limits_.max_entries) {
        return core::Fail(
            core::Errc::invalid_argument,
            "the zip holds more than " + std::to_string(limits_.max_entries) + " entries");
      }
      const std::string_view raw_name = RawName(entry);
      std::string shown = ShownName(raw_name);
      if (IsKept(entry, raw_name)) {
        UITWEG_TRY(Copy(entry, raw_name, shown));
      } else if (const int skip = archive_read_data_skip(reader_);
                 skip != ARCHIVE_OK && skip != ARCHIVE_WARN) {
        return Damaged("at entry \"" + shown + "\"");
      }
      previous = std::move(shown);
    }
    if (files_.empty()) {
      return core::Fail(core::Errc::invalid_argument,
                        "the zip holds no .json, .jsonl or .csv file");
    }
    written_.Keep();
    return std::move(files_);
  }

 private:
  core::Status Copy(archive_entry* entry, std::string_view raw_name, const std::string& shown) {
    // Declared sizes may lie, so they only turn away early what the count below would stop.
    if (archive_entry_size_is_set(entry)) {
      const auto declared =
          static_cast<std::uint64_t>(std::max<la_int64_t>(archive_entry_size(entry), 0));
      if (declared > limits_.max_file_bytes) return FileTooLarge(shown);
      if (declared > limits_.max_total_bytes - total_bytes_) return ExportTooLarge();
    }
    const std::string name = SafeName(files_.size() + 1, raw_name);
    UniqueFd out(::openat(folder_fd_, name.c_str(),
                          O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!out) return WriteFailure(errno, "create", name, shown);
    written_.Add(name);
    std::uint64_t bytes = 0;
    for (;;) {
      const la_ssize_t read = archive_read_data(reader_, buffer_.get(), kBlockBytes);
      if (read == 0) break;
      if (read < 0) return Damaged("at entry \"" + shown + "\"");
      const auto size = static_cast<std::uint64_t>(read);
      if (size > limits_.max_file_bytes - bytes) return FileTooLarge(shown);
      if (size > limits_.max_total_bytes - total_bytes_) return ExportTooLarge();
      UITWEG_TRY(WriteAll(out.get(), buffer_.get(), static_cast<std::size_t>(read), name, shown));
      bytes += size;
      total_bytes_ += size;
    }
    if (out.Close() != 0) return WriteFailure(errno, "write", name, shown);
    files_.push_back({shown, (std::filesystem::path(folder_) / name).string(), bytes});
    return {};
  }

  static core::Status WriteAll(int fd, const char* data, std::size_t size, const std::string& name,
                               const std::string& shown) {
    while (size > 0) {
      const ssize_t done = ::write(fd, data, size);
      if (done < 0) {
        if (errno == EINTR) continue;
        return WriteFailure(errno, "write", name, shown);
      }
      data += done;
      size -= static_cast<std::size_t>(done);
    }
    return {};
  }

  static core::Error WriteFailure(int error, std::string_view verb, const std::string& name,
                                  const std::string& shown) {
    return core::Fail(core::Errc::unavailable, "cannot " + std::string(verb) + " " + name +
                                                   " (from \"" + shown +
                                                   "\"): " + ErrnoText(error));
  }

  core::Error Damaged(const std::string& where) const {
    const char* what = archive_error_string(reader_);
    return core::Fail(core::Errc::invalid_argument,
                      "truncated or damaged zip " + where + ": " + (what ? what : "unknown error"));
  }

  core::Error FileTooLarge(const std::string& shown) const {
    return core::Fail(core::Errc::resource_exhausted, "\"" + shown + "\" unpacks to more than " +
                                                          FormatBytes(limits_.max_file_bytes));
  }

  core::Error ExportTooLarge() const {
    return core::Fail(core::Errc::resource_exhausted,
                      "the export unpacks to more than " + FormatBytes(limits_.max_total_bytes));
  }

  archive* reader_ = nullptr;
  int folder_fd_ = -1;
  std::string folder_;
  ZipLimits limits_;
  WrittenFiles written_;
  std::unique_ptr<char[]> buffer_;
  std::vector<ExtractedFile> files_;
  std::uint64_t total_bytes_ = 0;
};

}  // namespace

core::Result<std::vector<ExtractedFile>> ExtractExport(const std::string& zip_path,
                                                       const std::string& into_folder,
                                                       const ZipLimits& limits) {
  const UniqueFd folder(::open(into_folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!folder) {
    return core::Fail(core::Errc::failed_precondition,
                      "cannot open the folder " + into_folder + ": " + ErrnoText(errno));
  }
  const UniqueFd zip(::open(zip_path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!zip) {
    const int error = errno;
    return core::Fail(error == ENOENT ? core::Errc::not_found : core::Errc::unavailable,
                      "cannot open " + zip_path + ": " + ErrnoText(error));
  }
  struct stat status = {};
  if (::fstat(zip.get(), &status) != 0 || !S_ISREG(status.st_mode)) {
    return core::Fail(core::Errc::invalid_argument, zip_path + " is not a file");
  }

  const ArchiveReader reader(archive_read_new());
  if (!reader) return core::Fail(core::Errc::internal, "cannot start libarchive");
  if (archive_read_support_format_zip(reader.get()) != ARCHIVE_OK ||
      archive_read_open_fd(reader.get(), zip.get(), kBlockBytes) != ARCHIVE_OK) {
    const char* what = archive_error_string(reader.get());
    return core::Fail(core::Errc::invalid_argument,
                      "the upload is not a zip archive: " + std::string(what ? what : "unknown"));
  }
  return Extraction(reader.get(), folder.get(), into_folder, limits).Run();
}

}  // namespace uitweg::outreach::readers
