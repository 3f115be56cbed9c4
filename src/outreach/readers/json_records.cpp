#include "outreach/readers/json_records.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <cstring>
#include <optional>

#include "core/utf8.hpp"
#include "outreach/readers/input_file.hpp"
#include "outreach/readers/json_scan.hpp"
#include "outreach/readers/timestamp.hpp"

namespace uitweg::outreach::readers {

static_assert(kInputPadding >= simdjson::SIMDJSON_PADDING);

namespace dom = simdjson::dom;

// The DOM parser rather than On-Demand: simdjson 3.0's On-Demand front end is bound at compile
// time to the kernel the compiler flags allow (the slow portable one for a generic x86-64
// build), while the DOM parser picks the best kernel (AVX2, AVX-512) at run time. Parsing one
// batch at a time keeps its tape as small as the batch.
struct JsonRecordDecoder::State {
  dom::parser parser;
  std::string buffer;
  std::string chat;
};

namespace {

enum class Record { post, skipped };

bool IsTextKey(std::string_view key) {
  return key == "text" || key == "message" || key == "content" || key == "body";
}

bool IsChatKey(std::string_view key) {
  return key == "chat" || key == "channel" || key == "chat_name" || key == "channel_name";
}

// Telegram's "from" names the sender (for a channel post, the channel).
bool IsAuthorKey(std::string_view key) {
  return key == "from" || key == "author" || key == "sender";
}

// Accessors for elements whose type the caller has checked.
std::string_view AsString(dom::element value) {
  std::string_view out;
  if (value.get_string().get(out) != simdjson::SUCCESS) return {};
  return out;
}

dom::array AsArray(dom::element value) {
  dom::array out;
  if (value.get_array().get(out) != simdjson::SUCCESS) return {};
  return out;
}

dom::object AsObject(dom::element value) {
  dom::object out;
  if (value.get_object().get(out) != simdjson::SUCCESS) return {};
  return out;
}

bool ParseDigits(std::string_view text, std::int64_t& out) {
  if (text.empty() || text.size() > 18) return false;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  out = value;
  return true;
}

bool ReadInteger(dom::element value, std::int64_t& out) {
  switch (value.type()) {
    case dom::element_type::INT64: return value.get_int64().get(out) == simdjson::SUCCESS;
    case dom::element_type::UINT64: {
      std::uint64_t unsigned_value = 0;
      if (value.get_uint64().get(unsigned_value) != simdjson::SUCCESS) return false;
      out = static_cast<std::int64_t>(unsigned_value);
      return true;
    }
    case dom::element_type::DOUBLE: {
      double double_value = 0;
      if (value.get_double().get(double_value) != simdjson::SUCCESS) return false;
      if (!(double_value > -9.2e18 && double_value < 9.2e18)) return false;
      out = static_cast<std::int64_t>(double_value);
      return true;
    }
    case dom::element_type::STRING: return ParseDigits(AsString(value), out);
    default: return false;
  }
}

void AddEntity(Post& post, std::string_view type, std::string_view text) {
  if (type.empty() || type == "plain" || text.empty()) return;
  post.entities.push_back(Entity{std::string(type), std::string(text)});
}

// An entity object {type, text, ...}; returns its visible text.
std::string_view EntityText(dom::object entity, std::string_view& type) {
  std::string_view text;
  for (dom::key_value_pair field : entity) {
    if (field.key == "type" && field.value.is_string()) {
      type = AsString(field.value);
    } else if (field.key == "text" && field.value.is_string()) {
      text = AsString(field.value);
    }
  }
  return text;
}

void ReadTextArray(dom::array parts, Post& post) {
  post.entities.clear();
  for (dom::element part : parts) {
    if (part.is_string()) {
      post.text.append(AsString(part));
    } else if (part.is_object()) {
      std::string_view type;
      std::string_view text = EntityText(AsObject(part), type);
      post.text.append(text);
      AddEntity(post, type, text);
    }
  }
}

void ReadEntities(dom::array entities, Post& post) {
  post.entities.clear();
  for (dom::element entity : entities) {
    if (!entity.is_object()) continue;
    std::string_view type;
    std::string_view text = EntityText(AsObject(entity), type);
    AddEntity(post, type, text);
  }
}

Record DecodeRecord(dom::object record, Post& post, std::string_view batch_chat,
                    std::string& chat) {
  post.text.clear();
  post.author.clear();
  post.entities.clear();
  post.message_id = 0;
  post.date_unix = 0;
  post.chat = batch_chat;
  bool text_is_array = false;
  bool have_text = false;
  bool have_unixtime = false;
  std::optional<dom::element> date;
  for (dom::key_value_pair field : record) {
    const std::string_view key = field.key;
    const dom::element value = field.value;
    if (key == "type") {
      if (value.is_string() && AsString(value) != "message") {
        return Record::skipped;
      }
    } else if (key == "id" || key == "message_id") {
      ReadInteger(value, post.message_id);
    } else if (key == "date_unixtime") {
      std::int64_t seconds = 0;
      if (ReadInteger(value, seconds) && IsPostDate(seconds)) {
        post.date_unix = seconds;
        have_unixtime = true;
      }
    } else if (key == "date") {
      date = value;
    } else if (IsTextKey(key) && !have_text) {
      if (value.is_string()) {
        post.text.assign(AsString(value));
        have_text = !post.text.empty();
      } else if (value.is_array()) {
        ReadTextArray(AsArray(value), post);
        text_is_array = true;
        have_text = !post.text.empty();
      }
    } else if (key == "text_entities" && !text_is_array && value.is_array()) {
      ReadEntities(AsArray(value), post);
    } else if (IsAuthorKey(key) && value.is_string()) {
      post.author.assign(AsString(value));
    } else if (IsChatKey(key) && value.is_string()) {
      chat.assign(AsString(value));
      post.chat = chat;
    }
  }
  // Telegram writes `date` (naive local time) before `date_unixtime`; parse it only when it is
  // all there is.
  if (!have_unixtime && date.has_value()) {
    if (date->is_string()) {
      post.date_unix = ParseTimestamp(AsString(*date)).value_or(0);
    } else if (std::int64_t seconds = 0; ReadInteger(*date, seconds) && IsPostDate(seconds)) {
      post.date_unix = seconds;
    }
  }
  return have_text ? Record::post : Record::skipped;
}

}  // namespace

JsonRecordDecoder::JsonRecordDecoder() : state_(std::make_unique<State>()) {}
JsonRecordDecoder::~JsonRecordDecoder() = default;

namespace {

// Copies `json` (with \xNN rewritten) into `buffer`, followed by simdjson's padding, and parses it.
simdjson::error_code ParseCopy(dom::parser& parser, std::string& buffer, std::string_view json,
                               bool wrap_in_array, dom::element& doc) {
  buffer.clear();
  if (wrap_in_array) buffer.push_back('[');
  json::AppendRewritingHexEscapes(json, buffer);
  if (wrap_in_array) buffer.push_back(']');
  const std::size_t length = buffer.size();
  buffer.resize(length + simdjson::SIMDJSON_PADDING);
  return parser.parse(buffer.data(), length, false).get(doc);
}

core::Error DescribeError(const InputFile& file, std::size_t begin, std::string_view json,
                          simdjson::error_code error, std::string_view where) {
  std::size_t offset = begin;
  if (error == simdjson::UTF8_ERROR) offset += core::InvalidUtf8Offset(json);
  return file.ErrorAt(offset, fmt::format("{} {}", simdjson::error_message(error), where));
}

}  // namespace

core::Status JsonRecordDecoder::DecodeArrayBatch(const Batch& batch, Post& post,
                                                 const PostVisitor& visit) {
  const InputFile& file = *batch.file;
  post.source = file.name();
  const std::string_view range(file.data() + batch.begin, batch.end - batch.begin);
  // A batch is cut after the message that takes it past kBatchBytes (256 KiB): one over a
  // record's limit holds a long message, maybe one too long to read, and is not copied whole.
  if (range.size() > kMaxRecordBytes) return DecodeEachAlone(batch, post, visit);
  dom::element doc;
  if (ParseCopy(state_->parser, state_->buffer, range, true, doc) != simdjson::SUCCESS) {
    // One message that does not parse must not cost its neighbours.
    core::Status each = DecodeEachAlone(batch, post, visit);
    if (!each) return each;
    return file.ErrorAt(batch.begin, "malformed JSON between messages");
  }
  const dom::array elements = AsArray(doc);
  for (dom::element element : elements) {
    if (!element.is_object()) continue;
    if (DecodeRecord(AsObject(element), post, batch.chat, state_->chat) == Record::post) {
      visit(post);
    }
  }
  return {};
}

core::Status JsonRecordDecoder::DecodeEachAlone(const Batch& batch, Post& post,
                                                const PostVisitor& visit) {
  const InputFile& file = *batch.file;
  const char* d = file.data();
  // The first message that cannot be read is reported with its position.
  std::optional<core::Error> first_failure;
  std::size_t pos = batch.begin;
  while (pos < batch.end) {
    const std::size_t end = json::ValueEnd(d, batch.end, pos);
    const std::size_t stop = end == json::kNotFound ? batch.end : end;
    const std::string_view element(d + pos, stop - pos);
    dom::element alone;
    if (element.size() > kMaxRecordBytes) {
      if (!first_failure) first_failure = file.ErrorAt(pos, RecordTooLong("message"));
    } else if (simdjson::error_code error =
                   ParseCopy(state_->parser, state_->buffer, element, false, alone);
               error != simdjson::SUCCESS) {
      if (!first_failure) {
        first_failure = DescribeError(file, pos, element, error, "in this message");
      }
    } else if (alone.is_object() &&
               DecodeRecord(AsObject(alone), post, batch.chat, state_->chat) == Record::post) {
      visit(post);
    }
    pos = json::SkipWhitespace(d, batch.end, stop);
    if (pos < batch.end && d[pos] == ',') pos = json::SkipWhitespace(d, batch.end, pos + 1);
  }
  if (first_failure) return *first_failure;
  return {};
}

core::Status JsonRecordDecoder::DecodeLinesBatch(const Batch& batch, Post& post,
                                                 const PostVisitor& visit) {
  const InputFile& file = *batch.file;
  const char* d = file.data();
  post.source = file.name();
  std::size_t pos = batch.begin;
  std::int64_t line = batch.first_line;
  // A line that does not parse is reported (the first of the batch) and passed over.
  std::optional<core::Error> first_failure;
  for (; pos < batch.end; ++line) {
    const void* nl = std::memchr(d + pos, '\n', batch.end - pos);
    const std::size_t line_end =
        nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - d) : batch.end;
    const std::size_t start = json::SkipWhitespace(d, line_end, pos);
    const std::string_view content(d + start, line_end - start);
    pos = line_end + 1;
    if (content.empty()) continue;
    if (content.size() > kMaxRecordBytes) {
      if (!first_failure) first_failure = file.ErrorAt(start, RecordTooLong("line"));
      continue;
    }
    dom::element doc;
    simdjson::error_code error = ParseCopy(state_->parser, state_->buffer, content, false, doc);
    if (error != simdjson::SUCCESS || !doc.is_object()) {
      if (!first_failure) {
        first_failure = error != simdjson::SUCCESS
                            ? DescribeError(file, start, content, error, "in this line")
                            : file.ErrorAt(start, "line is not a JSON object");
      }
      continue;
    }
    if (DecodeRecord(AsObject(doc), post, batch.chat, state_->chat) == Record::post) {
      if (post.message_id == 0) post.message_id = line;
      visit(post);
    }
  }
  if (first_failure) return *first_failure;
  return {};
}

core::Result<std::string> DecodeJsonString(std::string_view token) {
  dom::parser parser;
  std::string buffer;
  dom::element doc;
  if (ParseCopy(parser, buffer, token, false, doc) != simdjson::SUCCESS || !doc.is_string()) {
    return core::Fail(core::Errc::invalid_argument, "malformed JSON string");
  }
  return std::string(AsString(doc));
}

}  // namespace uitweg::outreach::readers
