#pragma once
// The unit of work between cutting an export into pieces (one thread, fast) and turning the
// pieces into Posts (many threads): a Batch is a byte range of one input file holding whole
// records of one kind. Batches of one file are independent of each other.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "outreach/post.hpp"

namespace uitweg::outreach::readers {

class InputFile;
struct CsvLayout;

enum class InputKind {
  telegram_json,  // Telegram Desktop export, or a JSON array of message records
  json_lines,     // one JSON object per line
  csv,            // a header with a text column, then one record per row
  plain_text,     // one post per line
};

struct Batch {
  InputKind kind = InputKind::plain_text;
  const InputFile* file = nullptr;
  std::string_view chat;  // lives as long as the ExportCutter that produced the batch
  // [begin, end): for telegram_json the elements of one JSON array, from the first element's
  // first byte to the last element's last byte; otherwise whole lines or CSV rows.
  std::size_t begin = 0;
  std::size_t end = 0;
  std::int64_t first_line = 1;     // 1-based line number at `begin`
  const CsvLayout* csv = nullptr;  // for csv
};

// Receives batches in file order. Returning false stops the cutting early.
using BatchSink = std::function<bool(const Batch&)>;

// Receives each post of a batch; the post is only valid during the call.
using PostVisitor = std::function<void(const Post&)>;

// Target size of a batch: large enough to amortise the per-batch costs, small enough to keep
// every thread busy and the memory per thread small.
inline constexpr std::size_t kBatchBytes = 256 * 1024;

// A record (a line, a CSV row, one message of an export) longer than this is no post anyone
// wrote: it is passed over and reported, so that one such record cannot fill the node's memory
// with copies of itself.
inline constexpr std::size_t kMaxRecordBytes = 1024 * 1024;

// The error that reports a record longer than kMaxRecordBytes; `what` names it ("line").
inline std::string RecordTooLong(std::string_view what) {
  return "this " + std::string(what) + " is longer than 1 MiB and is passed over";
}

}  // namespace uitweg::outreach::readers
