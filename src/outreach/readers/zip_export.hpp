#pragma once
// Unpacks an uploaded zip of an export (a Telegram Desktop export folder, or JSON Lines or CSV
// files) into a folder, keeping only what a scan reads: regular files whose name ends in .json,
// .jsonl or .csv (any case). Everything else is skipped unread: photos, videos, folders, macOS
// metadata (__MACOSX/, "._" files), symbolic and hard links, devices and encrypted entries.
//
// Uploads are hostile, so:
// - Names inside the zip are never used as paths. The n-th kept file is written as
//   "<n, 4 digits or more>-<its base name>", with every byte outside [A-Za-z0-9._-] replaced by
//   '_', created exclusively (never through a link) with owner-only permissions.
// - Only the zip format is accepted, read as a stream in small blocks (the archive is never held
//   in memory; libarchive does keep the central directory, some 200 bytes per entry, so the
//   caller bounds the upload's size).
// - Bytes are counted as they are decompressed, since a zip's declared sizes may lie: nothing
//   past a limit is ever written. An entry that declares more than a limit is refused at once.
// - On any error, the files already written are removed again: the folder is left as it was.
//
// Errors: invalid_argument for a file that is not a zip ("the upload is not a zip archive: …"),
// a damaged or truncated one ("truncated or damaged zip at entry \"photos/x.jpg\": …"), one
// without a file to scan ("the zip holds no .json, .jsonl or .csv file") and one of too many
// entries ("the zip holds more than 100000 entries"); resource_exhausted for a limit of bytes
// passed, named ("the export unpacks to more than 2 GiB", "\"result.json\" unpacks to more than
// 1 GiB"): a limit the caller may have drawn from the disk's free space; not_found when the zip
// does not exist; failed_precondition when the folder does not; unavailable for a full disk (the
// server's trouble, not the zip's) and other I/O failures.
// Thread-safe: calls share nothing (two calls must not write to the same folder).

#include <cstdint>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace uitweg::outreach::readers {

struct ZipLimits {
  std::uint64_t max_total_bytes = std::uint64_t{2} << 30;  // written, all files together
  std::uint64_t max_file_bytes = std::uint64_t{1} << 30;   // written for one entry
  std::uint64_t max_entries = 100000;                      // examined, kept or skipped
};

struct ExtractedFile {
  // The entry's name in the zip, made safe to show: invalid UTF-8, controls and format
  // characters become U+FFFD, and a very long name is cut.
  std::string original_name = {};
  std::string path = {};  // where it was written: into_folder/<safe name>
  std::uint64_t bytes = 0;
};

// Writes the scan's files of the zip at `zip_path` into `into_folder`, an existing (and normally
// empty) folder; returns them in the zip's order.
core::Result<std::vector<ExtractedFile>> ExtractExport(const std::string& zip_path,
                                                       const std::string& into_folder,
                                                       const ZipLimits& limits = {});

}  // namespace uitweg::outreach::readers
