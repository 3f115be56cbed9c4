#pragma once
// Turns JSON message records into Posts: Telegram Desktop messages ({id, type, date,
// date_unixtime, text (a string, or an array of strings and entity objects), text_entities})
// and scraper records ({message_id, date, message, ...}). Records whose `type` is not "message"
// (service messages, "unsupported") and records without text are skipped. Strings may use the
// exporter's "\xNN" escapes. Parsing uses simdjson with the CPU's best kernel, one batch at a
// time, so memory follows the batch size, not the file size.

#include <memory>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "outreach/post.hpp"
#include "outreach/readers/export_batch.hpp"

namespace uitweg::outreach::readers {

class JsonRecordDecoder {
 public:
  JsonRecordDecoder();
  ~JsonRecordDecoder();
  JsonRecordDecoder(const JsonRecordDecoder&) = delete;
  JsonRecordDecoder& operator=(const JsonRecordDecoder&) = delete;

  // A telegram_json batch: the elements of a messages array (or of a root array of records).
  core::Status DecodeArrayBatch(const Batch& batch, Post& post, const PostVisitor& visit);
  // A json_lines batch: one record per non-blank line.
  core::Status DecodeLinesBatch(const Batch& batch, Post& post, const PostVisitor& visit);

 private:
  // The batch's messages parsed one at a time.
  core::Status DecodeEachAlone(const Batch& batch, Post& post, const PostVisitor& visit);

  struct State;
  std::unique_ptr<State> state_;
};

// The value of a JSON string token (with its quotes), "\xNN" escapes accepted.
core::Result<std::string> DecodeJsonString(std::string_view token);

}  // namespace uitweg::outreach::readers
