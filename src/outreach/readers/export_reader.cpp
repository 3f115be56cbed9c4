#include "outreach/readers/export_reader.hpp"

#include <algorithm>
#include <cstring>
#include <optional>
#include <utility>

#include "outreach/readers/input_detect.hpp"
#include "outreach/readers/telegram_reader.hpp"

namespace uitweg::outreach::readers {

core::Status CutLines(const InputFile& file, InputKind kind, const BatchSink& sink) {
  const char* d = file.data();
  const std::size_t n = file.size();
  std::size_t pos = 0;
  std::int64_t line = 1;
  while (pos < n) {
    std::size_t end = std::min(n, pos + kBatchBytes);
    if (end < n) {
      const void* nl = std::memchr(d + end, '\n', n - end);
      end = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - d) + 1 : n;
    }
    if (!sink(Batch{kind, &file, {}, pos, end, line, nullptr})) return {};
    line += std::count(d + pos, d + end, '\n');
    pos = end;
  }
  return {};
}

namespace {

core::Status DecodeTextLines(const Batch& batch, Post& post, const PostVisitor& visit) {
  const char* d = batch.file->data();
  post.source = batch.file->name();
  post.chat = {};
  post.date_unix = 0;
  post.entities.clear();
  post.author.clear();
  std::size_t pos = batch.begin;
  std::optional<core::Error> first_failure;
  for (std::int64_t line = batch.first_line; pos < batch.end; ++line) {
    const void* nl = std::memchr(d + pos, '\n', batch.end - pos);
    std::size_t end = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - d) : batch.end;
    const std::size_t next = end + 1;
    std::size_t begin = pos == 0 && end >= 3 && std::memcmp(d, "\xEF\xBB\xBF", 3) == 0 ? 3 : pos;
    while (end > begin && (d[end - 1] == '\r' || d[end - 1] == ' ' || d[end - 1] == '\t')) --end;
    while (begin < end && (d[begin] == ' ' || d[begin] == '\t')) ++begin;
    pos = next;
    if (begin == end) continue;
    if (end - begin > kMaxRecordBytes) {
      if (!first_failure) first_failure = batch.file->ErrorAt(begin, RecordTooLong("line"));
      continue;
    }
    post.text.assign(d + begin, end - begin);
    post.message_id = line;
    visit(post);
  }
  if (first_failure) return *first_failure;
  return {};
}

}  // namespace

core::Status ExportCutter::Cut(const InputFile& file, const BatchSink& sink) {
  DetectedInput detected = DetectInput(file.bytes());
  switch (detected.kind) {
    case InputKind::telegram_json: return CutTelegramExport(file, chat_names_, sink);
    case InputKind::csv: return CutCsv(file, csv_layouts_.emplace_back(*detected.csv), sink);
    case InputKind::json_lines:
    case InputKind::plain_text: return CutLines(file, detected.kind, sink);
  }
  return {};
}

core::Status BatchDecoder::Decode(const Batch& batch, const PostVisitor& visit) {
  switch (batch.kind) {
    case InputKind::telegram_json: return json_.DecodeArrayBatch(batch, post_, visit);
    case InputKind::json_lines: return json_.DecodeLinesBatch(batch, post_, visit);
    case InputKind::csv: return csv_.Decode(batch, post_, visit);
    case InputKind::plain_text: return DecodeTextLines(batch, post_, visit);
  }
  return {};
}

core::Status ReadExport(const InputFile& file, const PostVisitor& visit) {
  ExportCutter cutter;
  BatchDecoder decoder;
  // As a scan does: a batch's failure costs none of the batches after it.
  core::Status decoded;
  core::Status cut = cutter.Cut(file, [&](const Batch& batch) {
    core::Status status = decoder.Decode(batch, visit);
    if (decoded && !status) decoded = std::move(status);
    return true;
  });
  if (!decoded) return decoded;
  return cut;
}

}  // namespace uitweg::outreach::readers
