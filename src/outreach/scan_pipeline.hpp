#pragma once
// Scans export files for recruitment posts. One thread detects each file's kind and cuts it into
// batches; `threads` workers turn batches into posts and analyse them, each with its own
// BatchDecoder and Analyzer::Worker, fed through a bounded queue (memory stays flat: the files
// are mapped, and pages already scanned are handed back; only the flagged posts are held, up to
// ScanOptions::max_flagged). Posts scoring at least min_score are
// kept, sorted by score (highest first; ties by source, chat, message id) and grouped into
// near-duplicate clusters (near_duplicates.hpp) numbered in that order. Each cluster's channels
// are the distinct chats of its posts; a post without a chat name counts its file as its channel.
//
// A path that is a folder holding result.json (how Telegram Desktop saves an export) means that
// file. A file that cannot be opened is reported and skipped; the other files are scanned. A
// message or line that cannot be parsed is reported with its position (the first of each file)
// and passed over, its neighbours read; what comes after an unclosed CSV quote or a cut in a
// Telegram file's structure cannot be told apart and is not read. A file that gets shorter while
// it is read (rewritten in place) reads as zeros past its new end and is reported as changed
// (readers/shrink_guard.hpp). Not thread-safe itself.

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "outreach/analyzer.hpp"
#include "outreach/near_duplicates.hpp"

namespace uitweg::outreach {

struct FlaggedPost {
  std::string source;
  std::string chat;
  std::int64_t message_id = 0;
  std::int64_t date_unix = 0;
  std::string text;
  std::string author;  // as the export names them; may be empty
  Finding finding;
  MinHashSignature fingerprint = {};  // of the text, for near-duplicate clustering
  std::uint32_t cluster = 0;          // 1-based near-duplicate group
};

// Counters the scan updates while it runs, for a progress line. Readable from any thread.
struct ScanProgress {
  std::atomic<std::uint64_t> bytes_total{0};  // of the files opened so far
  std::atomic<std::uint64_t> bytes_done{0};
  std::atomic<std::uint64_t> posts{0};
  // Set from any thread to stop early: no further batch is read (those already read are still
  // analysed, so the report holds what was found so far) and no further file opened.
  std::atomic<bool> cancel{false};
};

struct ScanReport {
  std::vector<FlaggedPost> flagged;
  std::vector<core::Error> failures;  // one per failed file, in file order
  std::uint64_t bytes = 0;
  std::uint64_t posts = 0;
  std::uint32_t clusters = 0;
  // By cluster - 1: the distinct channels its posts appear in, in order of first appearance.
  std::vector<std::vector<std::string>> cluster_channels = {};
  // The scan stopped at ScanOptions::max_flagged: what follows the posts read by then was not
  // read.
  bool full = false;
};

struct ScanOptions {
  int threads = 1;
  double min_score = 4;
  NearDuplicateOptions near_duplicates = {};
  // Flagged posts are held until the end (to sort and cluster them): past this many, the scan
  // stops reading, so that a lexicon that flags nearly everything cannot take all memory.
  // 0: no limit.
  std::size_t max_flagged = 0;
  // Reads no file through a link at the path's end (InputFile::Open): the server's, whose
  // files others may change between the start of a scan and its reading.
  bool refuse_links = false;
};

ScanReport ScanFiles(const Analyzer& analyzer, const std::vector<std::string>& paths,
                     const ScanOptions& options, ScanProgress& progress);

}  // namespace uitweg::outreach
