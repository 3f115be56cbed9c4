#include "outreach/readers/csv_reader.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <utility>

#include "outreach/readers/input_file.hpp"
#include "outreach/readers/timestamp.hpp"

namespace uitweg::outreach::readers {
namespace {

std::string LowerTrimmed(std::string_view name) {
  while (!name.empty() && (name.front() == ' ' || name.front() == '"')) name.remove_prefix(1);
  while (!name.empty() && (name.back() == ' ' || name.back() == '"' || name.back() == '\r')) {
    name.remove_suffix(1);
  }
  std::string out(name);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

int FindColumn(const std::vector<std::string>& names,
               std::initializer_list<std::string_view> wanted) {
  for (std::string_view w : wanted) {
    auto it = std::find(names.begin(), names.end(), w);
    if (it != names.end()) return static_cast<int>(it - names.begin());
  }
  return -1;
}

constexpr std::size_t kMaxHeaderBytes = 64 * 1024;

bool LooksLikeColumnName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == ' ' || c == '-' ||
           c == '.';
  });
}

// Sets `out` when `text` is a non-negative integer of at most 18 digits.
void ParseMessageId(std::string_view text, std::int64_t& out) {
  if (text.empty() || text.size() > 18) return;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return;
    value = value * 10 + (c - '0');
  }
  out = value;
}

}  // namespace

std::optional<CsvLayout> DetectCsvHeader(std::string_view bytes) {
  std::size_t start = 0;
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") start = 3;
  std::size_t nl = bytes.find('\n', start);
  std::string_view header =
      bytes.substr(start, nl == std::string_view::npos ? bytes.size() - start : nl - start);
  // Column names are short (LooksLikeColumnName); a longer first line is text, not a header.
  if (header.size() > kMaxHeaderBytes) return std::nullopt;
  for (char delimiter : {',', ';', '\t'}) {
    std::vector<std::string> names;
    std::size_t pos = 0;
    for (;;) {
      std::size_t cut = header.find(delimiter, pos);
      names.push_back(
          LowerTrimmed(header.substr(pos, cut == std::string_view::npos ? cut : cut - pos)));
      if (cut == std::string_view::npos) break;
      pos = cut + 1;
    }
    if (!std::all_of(names.begin(), names.end(), LooksLikeColumnName)) continue;
    CsvLayout layout;
    layout.delimiter = delimiter;
    layout.text_column =
        FindColumn(names, {"message", "text", "content", "body", "post", "tekst", "bericht"});
    if (layout.text_column < 0) continue;
    if (names.size() == 1 && delimiter != ',') continue;
    layout.id_column = FindColumn(names, {"message_id", "id", "msg_id"});
    layout.date_column =
        FindColumn(names, {"date", "timestamp", "datetime", "created_at", "datum"});
    layout.chat_column =
        FindColumn(names, {"chat", "channel", "chat_name", "channel_name", "group"});
    layout.author_column = FindColumn(names, {"from", "author", "sender", "afzender"});
    layout.body_begin = nl == std::string_view::npos ? bytes.size() : nl + 1;
    layout.body_line = 2;
    return layout;
  }
  return std::nullopt;
}

core::Status CutCsv(const InputFile& file, const CsvLayout& layout, const BatchSink& sink) {
  const char* d = file.data();
  const std::size_t n = file.size();
  std::size_t pos = layout.body_begin;
  std::int64_t line = layout.body_line;
  while (pos < n) {
    Batch batch{InputKind::csv, &file, {}, pos, pos, line, &layout};
    // Walk rows until the batch is big enough; quotes decide where a row ends.
    bool in_quotes = false;
    bool at_field_start = true;
    std::size_t quote_open = 0;
    std::size_t at = pos;
    std::size_t row_end = pos;
    std::size_t quote_row = pos;  // where the row of the last quote opened begins
    std::int64_t lines = 0;
    std::int64_t lines_at_row_end = 0;
    while (at < n) {
      const char c = d[at];
      if (in_quotes) {
        if (c == '"') {
          if (at + 1 < n && d[at + 1] == '"') {
            ++at;
          } else {
            in_quotes = false;
          }
        } else if (c == '\n') {
          ++lines;
        }
      } else if (c == '"' && at_field_start) {
        in_quotes = true;
        quote_open = at;
        quote_row = row_end;
      } else if (c == '\n') {
        ++lines;
        row_end = at + 1;
        lines_at_row_end = lines;
        if (row_end - pos >= kBatchBytes) break;
        at_field_start = true;
        ++at;
        continue;
      }
      at_field_start = !in_quotes && c == layout.delimiter;
      ++at;
    }
    if (at >= n) {
      if (in_quotes) {
        // The rows before the one whose quote never closes are whole: read them, then report.
        batch.end = quote_row;
        if (batch.end > batch.begin && !sink(batch)) return {};
        return file.ErrorAt(quote_open, "quoted CSV field is never closed");
      }
      row_end = n;
      lines_at_row_end = lines;
    }
    batch.end = row_end;
    if (!sink(batch)) return {};
    pos = row_end;
    line += lines_at_row_end;
  }
  return {};
}

std::size_t CsvRowDecoder::ParseRow(const char* d, std::size_t end, std::size_t pos, char delimiter,
                                    std::size_t kept) {
  fields_.clear();
  lines_in_row_ = 1;
  for (;;) {
    Field field{pos, pos, false};
    if (pos < end && d[pos] == '"') {
      field.quoted = true;
      std::size_t at = pos + 1;
      while (at < end) {
        if (d[at] == '"') {
          if (at + 1 < end && d[at + 1] == '"') {
            at += 2;
            continue;
          }
          break;
        }
        if (d[at] == '\n') ++lines_in_row_;
        ++at;
      }
      field.begin = pos + 1;
      field.end = std::min(at, end);
      pos = std::min(at + 1, end);
      // Anything between the closing quote and the delimiter is dropped, as lenient readers do.
      while (pos < end && d[pos] != delimiter && d[pos] != '\n') ++pos;
    } else {
      while (pos < end && d[pos] != delimiter && d[pos] != '\n') ++pos;
      field.end = pos;
      if (field.end > field.begin && d[field.end - 1] == '\r') --field.end;
    }
    if (fields_.size() < kept) fields_.push_back(field);
    if (pos >= end) return end;
    if (d[pos] == '\n') return pos + 1;
    ++pos;  // delimiter
  }
}

void CsvRowDecoder::Unquote(const char* d, const Field& field, std::string& out) const {
  out.clear();
  if (!field.quoted) {
    out.append(d + field.begin, d + field.end);
    return;
  }
  std::size_t at = field.begin;
  while (at < field.end) {
    const void* q = std::memchr(d + at, '"', field.end - at);
    std::size_t stop = q ? static_cast<std::size_t>(static_cast<const char*>(q) - d) : field.end;
    out.append(d + at, d + stop);
    if (stop >= field.end) break;
    out.push_back('"');
    at = stop + 2;
  }
}

std::string_view CsvRowDecoder::FieldText(const char* d, int column, std::string& scratch) const {
  if (column < 0 || static_cast<std::size_t>(column) >= fields_.size()) return {};
  Unquote(d, fields_[static_cast<std::size_t>(column)], scratch);
  return scratch;
}

core::Status CsvRowDecoder::Decode(const Batch& batch, Post& post, const PostVisitor& visit) {
  const CsvLayout& layout = *batch.csv;
  const char* d = batch.file->data();
  post.source = batch.file->name();
  // A row of a million delimiters keeps no more than the columns read.
  const std::size_t kept =
      static_cast<std::size_t>(std::max({layout.text_column, layout.id_column, layout.date_column,
                                         layout.chat_column, layout.author_column}) +
                               1);
  std::size_t pos = batch.begin;
  std::int64_t line = batch.first_line;
  std::optional<core::Error> first_failure;
  while (pos < batch.end) {
    const std::size_t next = ParseRow(d, batch.end, pos, layout.delimiter, kept);
    const std::int64_t row_line = line;
    line += lines_in_row_;
    const std::size_t row_begin = std::exchange(pos, next);
    if (next - row_begin > kMaxRecordBytes) {
      if (!first_failure) first_failure = batch.file->ErrorAt(row_begin, RecordTooLong("row"));
      continue;
    }
    if (layout.text_column >= static_cast<int>(fields_.size())) continue;
    const Field& text = fields_[static_cast<std::size_t>(layout.text_column)];
    if (text.end <= text.begin) continue;
    Unquote(d, text, post.text);
    post.entities.clear();
    post.message_id = row_line;
    if (layout.id_column >= 0) {
      ParseMessageId(FieldText(d, layout.id_column, scratch_), post.message_id);
    }
    post.date_unix = 0;
    if (layout.date_column >= 0) {
      post.date_unix = ParseTimestamp(FieldText(d, layout.date_column, scratch_)).value_or(0);
    }
    post.chat = {};
    if (layout.chat_column >= 0) {
      FieldText(d, layout.chat_column, chat_);
      post.chat = chat_;
    }
    post.author.clear();
    if (layout.author_column >= 0) FieldText(d, layout.author_column, post.author);
    visit(post);
  }
  if (first_failure) return *first_failure;
  return {};
}

}  // namespace uitweg::outreach::readers
