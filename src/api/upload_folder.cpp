#include "api/upload_folder.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/files.hpp"
#include "core/log.hpp"
#include "core/utf8.hpp"
#include "crypto/random.hpp"

namespace uitweg::api {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxNameBytes = 255;
constexpr const char* kMeta = "upload.json";
constexpr const char* kData = "upload";

core::Error NoSuchUpload() {
  return core::Fail(core::Errc::not_found, "no such upload");
}

core::Status CheckName(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameBytes) {
    return core::Fail(core::Errc::invalid_argument, "the name is 1 to 255 bytes");
  }
  if (core::InvalidUtf8Offset(name) != name.size() || core::HasControlOrFormat(name) ||
      name.find('/') != std::string_view::npos || name.find('\\') != std::string_view::npos ||
      name == "." || name == "..") {
    return core::Fail(core::Errc::invalid_argument,
                      "the name is a file's name: UTF-8, no folders, no control characters");
  }
  return {};
}

// Writes `text` to a new file `path`, owner-only, never through a link.
core::Status WriteNewFile(const fs::path& path, std::string_view text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    return core::Fail(core::Errc::unavailable,
                      fmt::format("cannot create an upload: {}", std::strerror(errno)));
  }
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = errno;
      ::close(fd);
      return core::Fail(error == ENOSPC ? core::Errc::resource_exhausted : core::Errc::unavailable,
                        fmt::format("cannot write an upload: {}", std::strerror(error)));
    }
    written += static_cast<std::size_t>(n);
  }
  ::close(fd);
  return {};
}

}  // namespace

bool IsUploadId(std::string_view id) {
  if (id.size() != 24 || !id.starts_with("u_")) return false;
  for (const char c : id.substr(2)) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_';
    if (!safe) return false;
  }
  return true;
}

std::string ReadableSize(std::uint64_t bytes) {
  const double value = static_cast<double>(bytes);
  if (bytes >= (std::uint64_t{1} << 30)) return fmt::format("{:.1f} GB", value / (1 << 30));
  if (bytes >= (std::uint64_t{1} << 20)) return fmt::format("{:.1f} MB", value / (1 << 20));
  if (bytes >= 1024) return fmt::format("{:.0f} KB", value / 1024);
  return fmt::format("{} bytes", bytes);
}

core::Result<Upload> UploadFolder::Create(std::string_view name, std::uint64_t size,
                                          std::int64_t account_id) {
  if (size == 0) return core::Fail(core::Errc::invalid_argument, "the file is empty");
  return Make(name, size, account_id);
}

core::Result<Upload> UploadFolder::CreateUnpackFolder(std::string_view name,
                                                      std::int64_t account_id) {
  return Make(name, 0, account_id);
}

core::Result<Upload> UploadFolder::Make(std::string_view name, std::uint64_t size,
                                        std::int64_t account_id) {
  UITWEG_TRY(CheckName(name));
  UITWEG_TRY(core::CreatePrivateFolder(root_));
  Upload upload{.id = crypto::RandomId("u_"),
                .name = std::string(name),
                .size = size,
                .received = 0,
                .account_id = account_id,
                .created_at = clock_.Now()};
  upload.folder = root_ / upload.id;
  upload.file = upload.folder / kData;
  std::error_code error;
  if (!fs::create_directory(upload.folder, error) || error) {
    return core::Fail(core::Errc::unavailable, "cannot create an upload folder");
  }
  fs::permissions(upload.folder, fs::perms::owner_all, fs::perm_options::replace, error);
  const boost::json::object meta{{"name", upload.name},
                                 {"size", upload.size},
                                 {"account_id", upload.account_id},
                                 {"created_at", upload.created_at}};
  core::Status written = WriteNewFile(upload.folder / kMeta, boost::json::serialize(meta));
  if (written) written = WriteNewFile(upload.file, {});
  if (!written) {
    Remove(upload.id);
    return written.error();
  }
  return upload;
}

core::Result<Upload> UploadFolder::Read(std::string_view id) {
  if (!IsUploadId(id)) return NoSuchUpload();
  Upload upload{.id = std::string(id)};
  upload.folder = root_ / upload.id;
  upload.file = upload.folder / kData;
  std::ifstream in(upload.folder / kMeta);
  if (!in) return NoSuchUpload();
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code bad;
  const boost::json::value meta = boost::json::parse(text.str(), bad);
  const boost::json::object* fields = bad ? nullptr : meta.if_object();
  if (fields == nullptr || !fields->contains("name") || !fields->contains("size") ||
      !fields->contains("account_id") || !fields->contains("created_at")) {
    return core::Fail(core::Errc::internal, "an upload's description is damaged");
  }
  try {
    upload.name = std::string(fields->at("name").as_string());
    upload.size = fields->at("size").to_number<std::uint64_t>();
    upload.account_id = fields->at("account_id").to_number<std::int64_t>();
    upload.created_at = fields->at("created_at").to_number<std::int64_t>();
  } catch (const std::exception&) {
    return core::Fail(core::Errc::internal, "an upload's description is damaged");
  }
  std::error_code error;
  const std::uintmax_t received = fs::file_size(upload.file, error);
  if (error) return NoSuchUpload();
  upload.received = received;
  return upload;
}

core::Result<Upload> UploadFolder::Find(std::string_view id, std::int64_t account_id) {
  UITWEG_TRY_ASSIGN(Upload upload, Read(id));
  if (upload.account_id != account_id) return NoSuchUpload();
  return upload;
}

core::Result<ChunkResult> UploadFolder::Append(std::string_view id, std::int64_t account_id,
                                               std::uint64_t offset, std::string_view bytes) {
  std::lock_guard lock(appending_);
  UITWEG_TRY_ASSIGN(const Upload upload, Find(id, account_id));
  if (offset != upload.received) {
    return ChunkResult{ChunkOutcome::wrong_offset, upload.received};
  }
  if (bytes.size() > upload.size - upload.received) {
    return ChunkResult{ChunkOutcome::past_the_end, upload.received};
  }
  const int fd = ::open(upload.file.c_str(), O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return NoSuchUpload();
  std::size_t written = 0;
  int failure = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::pwrite(fd, bytes.data() + written, bytes.size() - written,
                               static_cast<off_t>(offset + written));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      failure = n < 0 ? errno : EIO;
      break;
    }
    written += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (failure != 0) {
    // What was written stays: the client resumes from the count it is told next time.
    if (failure == ENOSPC) {
      return core::Fail(core::Errc::resource_exhausted, "the server's disk is full");
    }
    return core::Fail(core::Errc::unavailable,
                      fmt::format("cannot write the upload: {}", std::strerror(failure)));
  }
  return ChunkResult{ChunkOutcome::appended, upload.received + written};
}

void UploadFolder::Remove(std::string_view id) {
  if (!IsUploadId(id)) return;
  std::error_code error;
  fs::remove_all(root_ / std::string(id), error);
  if (error) {
    core::Log(core::LogLevel::warn, "outreach.upload_not_removed",
              {{"upload", std::string(id)}, {"error", error.message()}});
  }
}

std::int64_t UploadFolder::Sweep(const std::function<bool(std::string_view id)>& held) {
  std::error_code error;
  fs::directory_iterator entries(root_, error);
  if (error) return 0;
  const core::UnixMillis cut_off = clock_.Now() - kKeepUnscanned;
  std::vector<std::string> due;
  for (const fs::directory_entry& entry : entries) {
    const std::string id = entry.path().filename().string();
    if (!IsUploadId(id) || held(id)) continue;
    core::Result<Upload> upload = Read(id);
    // A folder whose description is gone or damaged is kept no longer than a day either.
    const bool old =
        upload ? upload->created_at < cut_off
               : fs::last_write_time(entry.path(), error) <
                     fs::file_time_type::clock::now() - std::chrono::milliseconds(kKeepUnscanned);
    if (old) due.push_back(id);
  }
  for (const std::string& id : due) Remove(id);
  return static_cast<std::int64_t>(due.size());
}

core::Result<std::uint64_t> UploadFolder::FreeBytes() {
  std::error_code error;
  fs::path at = root_;
  while (!at.empty() && !fs::exists(at, error) && at != at.parent_path()) at = at.parent_path();
  const fs::space_info space = fs::space(at.empty() ? fs::path(".") : at, error);
  if (error) return core::Fail(core::Errc::unavailable, "cannot tell the free disk space");
  const auto available = static_cast<std::uint64_t>(space.available);
  const std::uint64_t promised = StillToReceive();
  return available > promised ? available - promised : 0;
}

std::uint64_t UploadFolder::StillToReceive() {
  // One left half-way (its browser closed) holds nothing back for long.
  const auto active_since = fs::file_time_type::clock::now() - std::chrono::hours(1);
  std::uint64_t promised = 0;
  std::error_code error;
  for (fs::directory_iterator it(root_, error), end; !error && it != end; it.increment(error)) {
    const core::Result<Upload> upload = Read(it->path().filename().string());
    if (!upload || upload->complete()) continue;
    std::error_code unknown;
    if (fs::last_write_time(upload->file, unknown) < active_since && !unknown) continue;
    promised += upload->size - upload->received;
  }
  return promised;
}

}  // namespace uitweg::api
