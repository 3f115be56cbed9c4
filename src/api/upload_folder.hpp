#pragma once
// The channel exports analysts upload for a scan (docs/protocol.md, "Outreach"), each in a
// folder of its own, <root>/<id>/: `upload` holds the bytes received so far and `upload.json`
// what the upload was declared as (name, size, account, time). Bytes arrive in chunks, each
// appended where the last one ended, so that no request is large and no file is held in memory;
// a chunk that arrives at another offset changes nothing and learns how much is there, so a
// client can resume after a lost answer. The bytes on disk are the only count: an upload
// survives a restart.
//
// Ids are random (RandomId "u_…"), checked before they name a folder. An upload belongs to the
// account that created it: to another it does not exist. Sweep removes uploads left unscanned
// for a day; the scan of an upload removes it once the scan has ended (Remove).
//
// Thread-safe: appends are serialised. Blocking (file I/O); call from workers. Errors:
// not_found for an unknown (or another's) upload, invalid_argument for a bad name or size,
// resource_exhausted when the disk is full, unavailable for other I/O failures.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace uitweg::api {

struct Upload {
  std::string id = {};
  std::string name = {};   // the file's name as the client gave it (no folders)
  std::uint64_t size = 0;  // declared
  std::uint64_t received = 0;
  std::int64_t account_id = 0;
  core::UnixMillis created_at = 0;
  std::filesystem::path folder = {};
  std::filesystem::path file = {};  // folder / "upload"

  bool complete() const { return received == size; }
};

// What came of a chunk.
enum class ChunkOutcome {
  appended,      // written; `received` is the new count
  wrong_offset,  // not where the last chunk ended; nothing written
  past_the_end,  // it would go past the declared size; nothing written
};
struct ChunkResult {
  ChunkOutcome outcome = ChunkOutcome::appended;
  std::uint64_t received = 0;
};

class UploadFolder {
 public:
  // How long an upload that no scan took is kept.
  static constexpr core::UnixMillis kKeepUnscanned = 24 * 60 * 60 * 1000;

  // `root` is created (owner-only) on the first upload.
  UploadFolder(std::filesystem::path root, const core::Clock& clock)
      : root_(std::move(root)), clock_(clock) {}

  // A new, empty upload. `name`: 1-255 bytes of UTF-8 without a slash or a control character.
  core::Result<Upload> Create(std::string_view name, std::uint64_t size, std::int64_t account_id);
  // A folder of its own (an upload of no bytes) to unpack a zip from the import folder into;
  // removed as uploads are.
  core::Result<Upload> CreateUnpackFolder(std::string_view name, std::int64_t account_id);
  // Appends `bytes` at `offset`, which must be what was received so far.
  core::Result<ChunkResult> Append(std::string_view id, std::int64_t account_id,
                                   std::uint64_t offset, std::string_view bytes);
  core::Result<Upload> Find(std::string_view id, std::int64_t account_id);
  // Removes the upload's folder with everything in it (an unpacked zip too); a missing one is
  // fine. Logged, never failing.
  void Remove(std::string_view id);
  // Removes every upload older than kKeepUnscanned for which `held(id)` is false; returns how
  // many.
  std::int64_t Sweep(const std::function<bool(std::string_view id)>& held);

  // Bytes free on the disk of the uploads, less what the uploads under way (written to in the
  // last hour) are still to receive: three uploads begun one after another must not each count
  // on the same free gigabytes.
  core::Result<std::uint64_t> FreeBytes();
  const std::filesystem::path& root() const { return root_; }

 private:
  core::Result<Upload> Make(std::string_view name, std::uint64_t size, std::int64_t account_id);
  core::Result<Upload> Read(std::string_view id);
  std::uint64_t StillToReceive();

  const std::filesystem::path root_;
  const core::Clock& clock_;
  // Held while a chunk is appended, so that two at one offset cannot both be written.
  std::mutex appending_;
};

// Whether `id` has the shape of an upload id ("u_" and 22 URL-safe characters).
bool IsUploadId(std::string_view id);

// "512 KB", "3.4 MB", "2.0 GB" (binary units), for messages about sizes.
std::string ReadableSize(std::uint64_t bytes);

}  // namespace uitweg::api
