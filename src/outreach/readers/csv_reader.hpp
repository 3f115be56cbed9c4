#pragma once
// CSV exports of scraped channels (Telethon scrapers: message_id, date, sender_id, ..., message):
// RFC 4180 fields with quoted newlines and "" escapes; ',' ';' or tab as the delimiter. The
// header names the columns; the text column is the first of message, text, content, body,
// post, tekst, bericht. Unquoted fields with stray quotes are taken literally.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "outreach/post.hpp"
#include "outreach/readers/export_batch.hpp"

namespace uitweg::outreach::readers {

struct CsvLayout {
  char delimiter = ',';
  int text_column = -1;
  int id_column = -1;          // message_id, id
  int date_column = -1;        // date, timestamp, datetime, created_at, datum
  int chat_column = -1;        // chat, channel, chat_name, channel_name, group
  int author_column = -1;      // from, author, sender, afzender
  std::size_t body_begin = 0;  // first byte after the header row
  std::int64_t body_line = 2;  // its line number
};

// The layout when the first row of `bytes` is a header with a text column, else nullopt.
std::optional<CsvLayout> DetectCsvHeader(std::string_view bytes);

// Cuts the rows after the header into batches (kind csv, `layout` attached, which must outlive
// them). Errors: an unterminated quoted field, with its position.
core::Status CutCsv(const InputFile& file, const CsvLayout& layout, const BatchSink& sink);

// Turns the rows of one csv batch into posts. Reuses its buffers; one per thread.
class CsvRowDecoder {
 public:
  // `visit` is called once per row with a non-empty text; `post` is reused.
  core::Status Decode(const Batch& batch, Post& post, const PostVisitor& visit);

 private:
  struct Field {
    std::size_t begin;
    std::size_t end;
    bool quoted;
  };
  // Parses the row starting at `pos`, keeping its first `kept` fields; returns the offset after
  // its line break.
  std::size_t ParseRow(const char* data, std::size_t end, std::size_t pos, char delimiter,
                       std::size_t kept);
  void Unquote(const char* data, const Field& field, std::string& out) const;
  std::string_view FieldText(const char* data, int column, std::string& scratch) const;

  std::vector<Field> fields_;
  std::string chat_;
  std::string scratch_;
  std::int64_t lines_in_row_ = 0;
};

}  // namespace uitweg::outreach::readers
