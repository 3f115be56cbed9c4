#pragma once
// Reading exports: detect the kind of a file by content (input_detect.hpp), cut it into batches
// on one thread (ExportCutter), turn batches into Posts on any number of threads (BatchDecoder,
// one per thread). ReadExport does both in turn, for tests and small files, and reads on past
// a batch that fails, as a scan does; it returns the first failure.
//
// Errors name the file and the position (line, column, byte) of the problem. Posts delivered
// before an error stay valid; the caller decides whether to use them.

#include <deque>
#include <memory>
#include <string>

#include "core/error.hpp"
#include "outreach/post.hpp"
#include "outreach/readers/csv_reader.hpp"
#include "outreach/readers/export_batch.hpp"
#include "outreach/readers/input_file.hpp"
#include "outreach/readers/json_records.hpp"

namespace uitweg::outreach::readers {

// Cuts files into batches. Keeps the chat names and CSV layouts that the batches point to, so it
// must outlive every batch it produced. Not thread-safe.
class ExportCutter {
 public:
  core::Status Cut(const InputFile& file, const BatchSink& sink);

 private:
  std::deque<std::string> chat_names_;
  std::deque<CsvLayout> csv_layouts_;
};

// Turns batches of any kind into posts, reusing one Post and its buffers. One per thread.
class BatchDecoder {
 public:
  core::Status Decode(const Batch& batch, const PostVisitor& visit);

 private:
  Post post_;
  JsonRecordDecoder json_;
  CsvRowDecoder csv_;
};

core::Status ReadExport(const InputFile& file, const PostVisitor& visit);

// Cuts a json_lines or plain_text file into batches of whole lines (ExportCutter uses it).
core::Status CutLines(const InputFile& file, InputKind kind, const BatchSink& sink);

}  // namespace uitweg::outreach::readers
